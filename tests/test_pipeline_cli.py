"""The whole path through the CLI: run, re-run, export, show, errors, on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from plotwatch.export.validate import validate_record

pytestmark = pytest.mark.model

GOOD = [
    {"id": "g1", "published": "2018-06-08", "title": "Dutch expel Iranians",
     "text": "Dutch expel Iranians\n\nTHE HAGUE — The Netherlands expelled two Iranian diplomats on Tuesday."},
    {"id": "g2", "published": "2018-06-09", "source": "Other Wire",
     "text": "Expulsions\n\nThe Dutch government expelled two Iranian diplomats on 5 June, officials said."},
]  # fmt: skip


def plotwatch(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "plotwatch.cli", *args], capture_output=True, text=True,
                          input=stdin, timeout=300)  # fmt: skip


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    lines = [json.dumps(GOOD[0]), "{not json", json.dumps({"id": "empty", "text": "  "}), json.dumps(GOOD[1])]
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "bad.jsonl").write_bytes(b'{"id": "x", "text": "caf\xe9 \xff"}\n')
    return folder


@pytest.fixture(scope="module")
def db(batch: Path) -> Path:
    path = batch / "pw.db"
    result = plotwatch("run", str(batch / "news.jsonl"), str(batch / "bad.jsonl"), "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_bad_lines_reported_and_good_documents_stored(db: Path, batch: Path) -> None:
    with sqlite3.connect(db) as con:
        docs = {row[0] for row in con.execute("SELECT doc_id FROM documents")}
        errors = [row[0] for row in con.execute("SELECT origin FROM ingest_errors")]
    assert docs == {"g1", "g2"}
    assert any(origin.endswith("news.jsonl:2") for origin in errors)
    assert any(origin.endswith("news.jsonl:3") for origin in errors)
    assert any("bad.jsonl:1" in origin for origin in errors)
    listed = plotwatch("errors", "--db", str(db)).stdout
    assert "news.jsonl:2" in listed


def test_rerun_adds_nothing(db: Path, batch: Path) -> None:
    before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM events").fetchone()[0]
    result = plotwatch("run", str(batch / "news.jsonl"), "--db", str(db))
    assert result.returncode == 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 2
        assert con.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before


def test_export_events_validate_and_evidence_points_into_text(db: Path) -> None:
    result = plotwatch("export", "--db", str(db), "--format", "jsonl", "--what", "events")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    texts = dict(sqlite3.connect(db).execute("SELECT doc_id, text FROM documents").fetchall())
    assert {r["type"] for r in records} == {"EXPEL"}
    for record in records:
        validate_record(record, "event")
        evidence = record["evidence"]
        assert texts[record["doc_id"]][evidence["start"] : evidence["end"]] == evidence["text"]
    assert len({r["incident_id"] for r in records}) == 1, "the two reports are one expulsion"


def test_incidents_table_and_show(db: Path) -> None:
    table = plotwatch("incidents", "--db", str(db), "--type", "EXPEL").stdout
    assert "EXPEL" in table and "NLD" in table
    incident_id = table.splitlines()[1].split()[0]
    shown = plotwatch("show", incident_id, "--db", str(db)).stdout
    assert "The Netherlands expelled two Iranian diplomats" in shown


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    result = plotwatch("show", "nope", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_stdin_input(tmp_path: Path) -> None:
    path = tmp_path / "stdin.db"
    result = plotwatch("run", "-", "--db", str(path), stdin=json.dumps(GOOD[0]) + "\n")
    assert result.returncode == 0, result.stderr
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
