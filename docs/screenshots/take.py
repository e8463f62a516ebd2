"""Take the README's screenshots of the web app on the demo database.

    python docs/screenshots/take.py                 # runs the pipeline on the bundled sample first
    python docs/screenshots/take.py --db demo.db    # or uses a database made by `plotwatch demo`
    python docs/screenshots/take.py --only analytics,report,chart   # retakes only those

Needs Debian's chromium (/usr/bin/chromium) and Playwright for Python (test extra).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from plotwatch import api
from plotwatch.report import write_report
from plotwatch.report.charts import write_chart
from plotwatch.store import open_store
from plotwatch.web import WebConfig, add_user, create_app
from plotwatch.web.accounts import list_users

HERE = Path(__file__).resolve().parent
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
USER, PASSWORD = "screenshots", "screenshots-pw"


def prepare(db: str | None) -> str:
    if db is None:
        db = str(Path(tempfile.mkdtemp()) / "demo.db")
        api.demo_command(db)
    with open_store(db) as store:
        if USER not in {user["name"] for user in list_users(store.engine)}:
            add_user(store.engine, USER, "reviewer", PASSWORD)
    return db


def start(db: str, port: int) -> uvicorn.Server:
    server = uvicorn.Server(uvicorn.Config(create_app(WebConfig(db=db)), host="127.0.0.1", port=port,
                                           log_level="warning"))  # fmt: skip
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def shoot(page: Page, path: str, name: str, full: bool = False, only: set[str] | None = None) -> None:
    if only and name not in only:
        return
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(HERE / f"{name}.png"), full_page=full)
    print(f"docs/screenshots/{name}.png ← {path}")


def report_and_chart(db: str, page: Page, only: set[str] | None) -> None:
    """The HTML report as Chromium shows it, and one chart as `plotwatch chart` writes it."""
    with open_store(db) as store:
        if not only or "report" in only:
            report = Path(tempfile.mkdtemp()) / "report.html"
            write_report(store, report, since="2015")
            shoot(page, report.as_uri(), "report")
        if not only or "chart" in only:
            write_chart(store, "response-rate", HERE / "chart.png")
            print("docs/screenshots/chart.png ← plotwatch chart response-rate")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", help="comma-separated names to retake, e.g. analytics,report,chart")
    only = set(parser.parse_args().only.split(",")) if parser.parse_args().only else None
    db = prepare(parser.parse_args().db)
    server = start(db, parser.parse_args().port)
    with open_store(db) as store:
        largest = store.list_incidents(limit=1)[0]["incident_id"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(base_url=f"http://127.0.0.1:{parser.parse_args().port}",
                                viewport={"width": 1280, "height": 860})  # fmt: skip
        page.goto("/login")
        page.fill("input[name=name]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("form.login button[type=submit]")
        page.wait_for_url("**/")
        shoot(page, "/", "home", only=only)
        shoot(page, "/incidents?sort=sources", "incidents", only=only)
        shoot(page, f"/incidents/{largest}", "incident", full=True, only=only)
        shoot(page, "/map", "map", only=only)
        shoot(page, "/search?q=embassy+diplomats", "search", only=only)
        shoot(page, "/states/IRN", "state", only=only)
        shoot(page, "/analytics", "analytics", only=only)
        report_and_chart(db, page, only)
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
