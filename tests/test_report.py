"""The report on the package's sample: its numbers match the database, and it loads nothing from elsewhere."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from plotwatch import pipeline
from plotwatch.api import sample_path
from plotwatch.models import HOSTILE_TYPES
from plotwatch.report import build_report, write_report
from plotwatch.store import open_store

CHROMIUM = "/usr/bin/chromium"
HOSTILE = ",".join(f"'{kind}'" for kind in sorted(HOSTILE_TYPES))

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("report") / "sample.db")
    pipeline.run([sample_path()], db)
    return db


@pytest.fixture(scope="module")
def report(sample_db: str) -> str:
    with open_store(sample_db) as store:
        return build_report(store)


def _metric(report: str, name: str) -> tuple[str, list[str]]:
    found = re.search(rf'<a href="[^"]*" data-ids="([^"]*)" data-metric="{name}">([^<]*)</a>', report)
    assert found, f"no number {name} in the report"
    return found.group(2), found.group(1).split()


def _sql(db: str, query: str) -> list[tuple[str, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(query))


def test_three_numbers_match_the_database(sample_db: str, report: str) -> None:
    hostile = {row[0] for row in _sql(sample_db, f"SELECT incident_id FROM incidents WHERE type IN ({HOSTILE})")}
    answered = {row[0] for row in _sql(sample_db, f"""
        SELECT DISTINCT l.target_id FROM incident_links l JOIN incidents h ON h.incident_id = l.target_id
        WHERE l.kind = 'response_to' AND h.type IN ({HOSTILE})""")}  # fmt: skip
    in_gbr = {row[0] for row in _sql(sample_db, f"""
        SELECT incident_id FROM incidents WHERE type IN ({HOSTILE}) AND country = 'GBR'""")}  # fmt: skip
    assert hostile and answered and in_gbr
    for name, expected in (("hostile", hostile), ("responded", answered), ("host-GBR-incidents", in_gbr)):
        shown, ids = _metric(report, name)
        assert int(shown) == len(expected), name
        assert set(ids) == expected, name
    rate, _ = _metric(report, "response-rate")
    assert rate == f"{len(answered) / len(hostile):.0%}"


def test_every_number_links_to_incidents(report: str) -> None:
    anchors = set(re.findall(r'href="#(set-\d+)"', report))
    assert anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in report
    assert re.search(r'href="/incidents/inc-[0-9a-f]+"', report)


def test_report_command_filters(sample_db: str, tmp_path: Path) -> None:
    out = tmp_path / "irn.html"
    with open_store(sample_db) as store:
        assert write_report(store, out, state="IRN", since="2015") > 0
    text = out.read_text(encoding="utf-8")
    assert "state behind: IRN" in text
    behind = re.findall(r"</a></td><td>([A-Z]*)</td><td>\d{4}", text)
    assert behind and all(state == "IRN" for state in behind)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError(f"{CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        yield browser
        browser.close()


@pytest.mark.browser
def test_report_opens_without_external_requests(report: str, chromium: object, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(report, encoding="utf-8")
    page = chromium.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("networkidle")
    assert [url for url in requests if not url.startswith("file://")] == []
    assert requests == [path.as_uri()]
    assert page.locator("svg").count() >= 3
    assert page.locator("svg circle").count() > 0
    assert page.locator("h2").first.inner_text() == "Summary"
    page.close()
