"""The report on the package's sample and on the development set: its numbers match the database, and it
loads nothing from elsewhere. The development set (../shared/eval/dev) is used when it is beside the checkout."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from plotwatch import pipeline
from plotwatch.api import sample_path
from plotwatch.models import HOSTILE_TYPES
from plotwatch.report import build_report, write_report
from plotwatch.store import open_store

CHROMIUM = "/usr/bin/chromium"
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
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


@pytest.fixture(scope="module", params=["sample", "dev"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(database, report) of the package's sample, then of the development set."""
    if request.param == "sample":
        return request.getfixturevalue("sample_db"), request.getfixturevalue("report")
    if not (DEV / "articles.jsonl").exists():
        pytest.skip("the shared dev set is not beside this checkout")
    db = str(tmp_path_factory.mktemp("report-dev") / "dev.db")
    pipeline.run([str(DEV / "articles.jsonl")], db)
    started = time.perf_counter()
    with open_store(db) as store:
        text = build_report(store)
    assert time.perf_counter() - started < 10, "the report on 32 articles should take well under a second"
    return db, text


def _busiest_host(db: str) -> tuple[str, set[str]]:
    """The host country with the most hostile incidents (ties: first by code) and those incidents."""
    rows = _sql(db, f"""SELECT country, incident_id FROM incidents WHERE type IN ({HOSTILE}) AND country IS NOT NULL
                        ORDER BY country""")  # fmt: skip
    hosts: dict[str, set[str]] = {}
    for country, incident_id in rows:
        hosts.setdefault(country, set()).add(incident_id)
    code = max(sorted(hosts), key=lambda key: len(hosts[key]))
    return code, hosts[code]


def test_three_numbers_match_the_database(built: tuple[str, str]) -> None:
    db, report = built
    hostile = {row[0] for row in _sql(db, f"SELECT incident_id FROM incidents WHERE type IN ({HOSTILE})")}
    answered = {row[0] for row in _sql(db, f"""
        SELECT DISTINCT l.target_id FROM incident_links l JOIN incidents h ON h.incident_id = l.target_id
        WHERE l.kind = 'response_to' AND h.type IN ({HOSTILE})""")}  # fmt: skip
    host, in_host = _busiest_host(db)
    assert hostile and answered and len(in_host) >= 2
    for name, expected in (("hostile", hostile), ("responded", answered), (f"host-{host}-incidents", in_host)):
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
def test_report_opens_without_external_requests(built: tuple[str, str], chromium: object, tmp_path: Path) -> None:
    report = built[1]
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
