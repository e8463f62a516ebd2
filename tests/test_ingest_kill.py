"""kill -9 in the middle of `plotwatch run`, then the same run again: no duplicates, nothing lost.

The reference is the same corpus run once without interruption. The run under test is killed while it is
still storing documents, run again and killed while it is extracting events, then run again to the end:
the database must then hold exactly what the reference holds (documents, events, incidents, sightings).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plotwatch import pipeline
from tests.ingest_server import html_page

pytestmark = [pytest.mark.model, pytest.mark.slow]

SAMPLE = Path(__file__).parent.parent / "plotwatch" / "data" / "sample" / "articles.jsonl"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """6 HTML pages (slower to read: a window to kill in), then 8 sample articles as JSON Lines."""
    folder = tmp_path_factory.mktemp("corpus")
    pages = folder / "pages"
    pages.mkdir()
    lines = [line for line in SAMPLE.read_text("utf-8").splitlines() if line.strip()]
    for number, article in enumerate(json.loads(line) for line in lines[:6]):
        text = f"{article['text']}\n\nThis copy was filed by desk {number}."
        (pages / f"page-{number:02d}.html").write_bytes(html_page(article.get("title") or "News", text))
    (folder / "articles.jsonl").write_text("\n".join(lines[6:14]) + "\n", "utf-8")
    return [str(pages), str(folder / "articles.jsonl")]


def contents(db: Path | str) -> dict[str, object]:
    with sqlite3.connect(db, timeout=30) as con:
        docs = con.execute("SELECT doc_id, id FROM documents ORDER BY doc_id").fetchall()
        events = con.execute("SELECT event_id, doc_id, type FROM events ORDER BY event_id").fetchall()
        extracted = con.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
        incidents = con.execute("SELECT COUNT(*) FROM incidents").fetchone()[0]
        errors = con.execute("SELECT COUNT(*) FROM ingest_errors").fetchone()[0]
        sightings = con.execute("SELECT COUNT(*), COUNT(DISTINCT content_hash || origin) FROM sightings").fetchone()
    return {"documents": docs, "events": events, "extracted": extracted, "incidents": incidents,
            "errors": errors, "sightings": sightings}  # fmt: skip


@pytest.fixture(scope="module")
def reference(corpus: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    db = tmp_path_factory.mktemp("reference") / "reference.db"
    pipeline.run(corpus, str(db))
    return contents(db)


def count(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=0.2) as con:
            return int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet, or busy for a moment
        return 0


def run(corpus: list[str], db: Path, *, quiet: bool = False) -> subprocess.Popen[bytes]:
    # Batches of 2 documents: several commits per stage, so a kill falls between two of them.
    command = [sys.executable, "-m", "plotwatch.cli", "run", *corpus, "--db", str(db), "--batch", "2"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL if quiet else subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip


def kill_when(process: subprocess.Popen[bytes], db: Path, table: str, at_least: int) -> None:
    deadline = time.monotonic() + 240
    while count(db, table) < at_least:
        assert process.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def test_killed_twice_then_run_again_equals_one_clean_run(
    corpus: list[str], reference: dict[str, object], tmp_path: Path
) -> None:
    db = tmp_path / "killed.db"
    kill_when(run(corpus, db, quiet=True), db, "documents", 2)  # while it is still storing documents
    stored = contents(db)
    kill_when(run(corpus, db, quiet=True), db, "extractions", 3)  # the same run again, killed while extracting
    extracting = contents(db)
    assert stored != reference and extracting != reference  # both were really cut short
    again = run(corpus, db)
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr.decode()
    assert contents(db) == reference
