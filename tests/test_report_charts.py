"""Single charts (PNG, SVG, PDF through matplotlib) and the report printed to PDF by headless Chromium."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from plotwatch.cli import app
from plotwatch.errors import InputError
from plotwatch.report import write_report
from plotwatch.report.charts import DPI, KINDS, SIZE, write_chart
from plotwatch.report.pdf import ChromiumMissing, find_chromium
from plotwatch.store import open_store
from tests.analytics_helpers import build_analytics_db

CHROMIUM = "/usr/bin/chromium"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_analytics_db(str(tmp_path_factory.mktemp("charts") / "charts.db"))


def _chart(db: str, kind: str, out: Path, **filters: str) -> Path:
    with open_store(db) as store:
        assert write_chart(store, kind, out, **filters) == out.stat().st_size > 0  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_png_opens_at_its_size_and_has_ink(db: str, tmp_path: Path, kind: str) -> None:
    with Image.open(_chart(db, kind, tmp_path / f"{kind}.png")) as image:
        image.verify()
    with Image.open(tmp_path / f"{kind}.png") as image:
        assert image.format == "PNG"
        assert image.size == (int(SIZE[0] * DPI), int(SIZE[1] * DPI))
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 20  # more than a blank page with a caption


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_svg_parses_and_says_what_it_shows(db: str, tmp_path: Path, kind: str) -> None:
    root = ET.parse(_chart(db, kind, tmp_path / f"{kind}.svg")).getroot()
    assert root.tag == f"{SVG}svg"
    assert len(list(root.iter(f"{SVG}path"))) > 10
    text = (tmp_path / f"{kind}.svg").read_text(encoding="utf-8")
    assert "all plots" in text  # the scope line under the title (matplotlib keeps text as comments)


def test_charts_draw_the_data(db: str, tmp_path: Path) -> None:
    recalls = _chart(db, "recalls", tmp_path / "recalls.svg").read_text(encoding="utf-8")
    assert "120 d" in recalls and "never reversed" in recalls
    assert "NLD from IRN" in recalls and "DNK from IRN" in recalls
    unified = _chart(db, "unified", tmp_path / "unified.svg").read_text(encoding="utf-8")
    assert "EXPEL vs IRN, 2018-01" in unified and "DNK NLD SWE" in unified
    rates = _chart(db, "response-rate", tmp_path / "rate.svg").read_text(encoding="utf-8")
    assert "1/2" in rates and "0/1" in rates  # NLD: one of two plots answered; AUT: none
    lags = _chart(db, "response-lag", tmp_path / "lag.svg").read_text(encoding="utf-8")
    assert "EXPEL (2)" in lags and "ARREST (2)" in lags
    narrowed = _chart(db, "timeline", tmp_path / "rus.svg", state="RUS").read_text(encoding="utf-8")
    assert "plots behind RUS" in narrowed and "SURVEIL" in narrowed and "KIDNAP" not in narrowed


def test_the_same_data_gives_the_same_svg(db: str, tmp_path: Path) -> None:
    first = _chart(db, "unified", tmp_path / "a.svg").read_bytes()
    assert _chart(db, "unified", tmp_path / "b.svg").read_bytes() == first


def test_an_empty_selection_still_draws_a_chart_saying_so(db: str, tmp_path: Path) -> None:
    text = _chart(db, "recalls", tmp_path / "none.svg", since="2030").read_text(encoding="utf-8")
    assert "no dated recalls" in text


def test_pdf_chart(db: str, tmp_path: Path) -> None:
    assert _chart(db, "timeline", tmp_path / "t.pdf").read_bytes().startswith(b"%PDF-")


def test_bad_kind_or_suffix_is_a_clear_error(db: str, tmp_path: Path) -> None:
    with open_store(db) as store:
        with pytest.raises(InputError, match="use one of timeline, response-lag"):
            write_chart(store, "pie", tmp_path / "x.png")
        with pytest.raises(InputError, match=r"name the file \.png, \.svg or \.pdf"):
            write_chart(store, "timeline", tmp_path / "x.gif")
    assert not (tmp_path / "x.png").exists() and not (tmp_path / "x.gif").exists()


def test_chart_command(db: str, tmp_path: Path) -> None:
    out = tmp_path / "cli.png"
    result = CliRunner().invoke(app, ["chart", "response-rate", "--db", db, "--state", "IRN", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}")
    with Image.open(out) as image:
        assert image.format == "PNG"
    failed = CliRunner().invoke(app, ["chart", "pie", "--db", db, "-o", str(tmp_path / "pie.png")])
    assert failed.exit_code != 0 and isinstance(failed.exception, InputError)  # main() prints it on one line
    assert "unknown chart" in str(failed.exception)


def test_missing_chromium_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PLOTWATCH_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ChromiumMissing, match="apt-get install chromium"):
        find_chromium()
    with pytest.raises(ChromiumMissing, match="/nowhere/chromium: no such executable"):
        find_chromium("/nowhere/chromium")


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.browser
def test_report_as_pdf(db: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    out = tmp_path / "report.pdf"
    with open_store(db) as store:
        size = write_report(store, out, format="pdf", chromium=CHROMIUM)
    pdf = out.read_bytes()
    assert size == len(pdf) > 10_000
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert _pages(pdf) >= 2
    # The CLI picks PDF from the suffix.
    again = tmp_path / "again.pdf"
    result = CliRunner().invoke(app, ["report", "--db", db, "-o", str(again), "--chromium", CHROMIUM])
    assert result.exit_code == 0, result.output
    assert again.read_bytes().startswith(b"%PDF-") and _pages(again.read_bytes()) == _pages(pdf)
