"""Shared fixtures: one loaded spaCy pipeline per test session; a fresh database on each backend."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from plotwatch.extract import EXTRACTOR_VERSION, load_pipeline
from plotwatch.extract.events import doc_context, events_from_doc
from plotwatch.models import Document, Event
from plotwatch.store import open_store


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline()


@pytest.fixture(scope="session")
def extract_text(nlp):  # type: ignore[no-untyped-def]
    """Extract events from a hand-written text published on a given date."""

    def run(text: str, published: str = "2018-07-04") -> list[Event]:
        document = Document(doc_id="t1", text=text, published=published)
        parsed = nlp(text)
        return events_from_doc(parsed, doc_context(parsed, document, EXTRACTOR_VERSION))

    return run


# PostgreSQL: set PLOTWATCH_TEST_POSTGRES to a scratch database URL (.ci/run starts a throwaway
# server and sets it); every test that asks for ``backend_db`` then runs on SQLite and PostgreSQL.
PG_URL = os.environ.get("PLOTWATCH_TEST_POSTGRES")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


def fresh_postgres() -> str:
    """The scratch PostgreSQL database, emptied: its public schema dropped and created again."""
    assert PG_URL, "set PLOTWATCH_TEST_POSTGRES"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


def db_records(db: str) -> dict[str, list[dict[str, Any]]]:
    """Every document, event record and incident record of ``db``, in a stable order (to compare runs)."""
    with open_store(db) as store:
        return {
            "documents": sorted(({"doc_id": d.doc_id, "text": d.text} for d in store.iter_documents()),
                                key=lambda d: d["doc_id"]),
            "events": sorted(store.iter_event_records("all"), key=lambda r: r["event_id"]),
            "incidents": sorted(store.iter_incident_records(), key=lambda r: r["incident_id"]),
        }  # fmt: skip


@pytest.fixture(params=BACKENDS)
def backend_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database: a SQLite file, then (with PLOTWATCH_TEST_POSTGRES) PostgreSQL."""
    return str(tmp_path / "plotwatch.db") if request.param == "sqlite" else fresh_postgres()
