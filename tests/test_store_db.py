"""The store: opening, migrations, documents, errors, statistics (on a real database file).

Set PLOTWATCH_TEST_POSTGRES to a scratch PostgreSQL URL (its public schema is
dropped) to run the same tests on PostgreSQL too; .ci/run does.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, insert, inspect, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from plotwatch.errors import StoreError
from plotwatch.models import Document, Event, Evidence, IngestError
from plotwatch.store import Store, migrations, open_store
from plotwatch.store.migrations import MIGRATIONS, Migration, applied_versions, migrate
from plotwatch.store.schema import metadata, schema_migrations

TEXT = "Dutch authorities expelled two Iranian diplomats in June 2018."


@pytest.fixture
def db(backend_db: str) -> str:
    """A new database on each backend (conftest.py: SQLite, and PostgreSQL when configured)."""
    return backend_db


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    with open_store(db) as opened:
        yield opened


def doc(doc_id: str = "a1", text: str = TEXT, **fields: str) -> Document:
    return Document(doc_id=doc_id, text=text, **fields)


# Opening and migrations


def test_open_creates_the_tables_and_records_the_migrations(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"documents", "events", "incidents", "ingest_errors", "extractions", "schema_migrations"} <= tables
    indexes = {index["name"] for index in inspect(store.engine).get_indexes("events")}
    assert {"ix_events_doc_id", "ix_events_incident_id", "ix_events_type", "ix_events_country"} <= indexes
    applied = applied_versions(store.engine)
    assert list(applied) == [migration.version for migration in MIGRATIONS]
    assert all(stamp.endswith("+00:00") for stamp in applied.values())


def test_migrate_again_is_a_no_op(db: str) -> None:
    with open_store(db) as first:
        first.add_document(doc())
        before = applied_versions(first.engine)
        assert migrate(first.engine) == []
    with open_store(db) as again:
        assert applied_versions(again.engine) == before
        assert again.count_documents() == 1


def test_a_failing_migration_leaves_nothing_behind(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_done(conn: Connection) -> None:
        conn.execute(text("CREATE TABLE half_done (x INTEGER)"))
        conn.execute(text("INSERT INTO documents_typo VALUES (1)"))  # fails

    with open_store(db):
        pass
    broken = Migration(MIGRATIONS[-1].version + 1, "broken", half_done)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(StoreError, match="cannot open"):
        open_store(db)
    engine = create_engine(db if "://" in db else f"sqlite:///{db}")
    assert "half_done" not in inspect(engine).get_table_names()
    assert list(applied_versions(engine)) == [migration.version for migration in MIGRATIONS]
    engine.dispose()


def test_a_database_from_a_newer_version_is_refused(db: str) -> None:
    with open_store(db) as opened, opened.engine.begin() as conn:
        conn.execute(insert(schema_migrations).values(version=999, name="future", applied_at="2030"))
    with pytest.raises(StoreError, match="newer"):
        open_store(db)


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "pw.db"
    with open_store(str(path)) as opened, opened.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_sqlite_url_works_like_a_path(tmp_path: Path) -> None:
    path = tmp_path / "pw.db"
    with open_store(str(path)) as by_path:
        by_path.add_document(doc())
    with open_store(f"sqlite:///{path}") as by_url:
        assert by_url.count_documents() == 1


def test_json_columns_are_plain_text_json(tmp_path: Path) -> None:
    path = tmp_path / "pw.db"
    with open_store(str(path)) as opened:
        opened.add_document(doc())
        evidence = Evidence(TEXT, 0, len(TEXT))
        opened.save_extraction("a1", "test-1", [Event("a1", "EXPEL", evidence, victims=["two diplomats"])])
    with sqlite3.connect(path) as raw:
        victims, kind = raw.execute("SELECT victims, typeof(victims) FROM events").fetchone()
    raw.close()
    assert kind == "text"
    assert json.loads(victims) == ["two diplomats"]


def test_the_schema_compiles_for_postgresql() -> None:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    for table in metadata.sorted_tables:
        assert "CREATE TABLE" in str(CreateTable(table).compile(dialect=dialect))
        for index in table.indexes:
            assert "CREATE INDEX" in str(CreateIndex(index).compile(dialect=dialect))


# Errors that say what to do


def test_a_missing_directory_gives_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "dir" / "pw.db"
    with pytest.raises(StoreError, match="does not exist") as caught:
        open_store(str(path))
    assert str(path) in str(caught.value)


def test_a_directory_gives_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        open_store(str(tmp_path))


def test_a_file_that_is_not_a_database_gives_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the tables you are looking for\n" * 200)
    with pytest.raises(StoreError, match="cannot open") as caught:
        open_store(str(path))
    assert str(path) in str(caught.value)


def test_a_bad_url_gives_a_store_error() -> None:
    with pytest.raises(StoreError, match="URL"):
        open_store("nosuchdialect://host/db")


# Documents


def test_add_document_is_true_once(store: Store) -> None:
    assert store.add_document(doc(url="https://example.org/a1", published="2018-06-07"))
    assert not store.add_document(doc(url="https://example.org/a1", published="2018-06-07"))
    assert store.count_documents() == 1


def test_the_same_text_under_another_id_is_not_added(store: Store) -> None:
    assert store.add_document(doc("a1"))
    assert not store.add_document(doc("a2"))
    assert not store.add_document(doc("a3", text="  " + TEXT.replace(" ", "\n  ") + "\n"))
    assert store.get_document("a2") is None
    assert store.count_documents() == 1


def test_the_same_id_with_another_text_is_not_added(store: Store) -> None:
    assert store.add_document(doc("a1"))
    assert not store.add_document(doc("a1", text="An updated version of the story."))
    stored = store.get_document("a1")
    assert stored is not None and stored.text == TEXT


def test_documents_come_back_as_they_went_in(store: Store) -> None:
    first = Document(
        doc_id="a1",
        text=TEXT,
        url="https://example.org/a1",
        title="Netherlands expels two Iranian diplomats",
        published="2018-06-07",
        language="en",
        source="Example News",
        origin="articles.jsonl:1",
        reader="jsonl",
    )
    second = doc("a2", text="A second, different article.")
    store.add_document(first)
    store.add_document(second)
    assert store.get_document("a1") == first
    assert store.get_document("missing") is None
    assert list(store.iter_documents()) == [first, second]


def test_documents_are_keyed_by_content_hash(store: Store) -> None:
    store.add_document(doc())
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT id, doc_id FROM documents")).one()
    assert tuple(row) == (doc().content_hash, "a1")


# Ingest errors and statistics


def test_errors_are_kept_in_order(store: Store) -> None:
    errors = [IngestError("feed.xml:3", "not well-formed XML"), IngestError("a.jsonl:12", "no text")]
    for err in errors:
        store.add_error(err)
    assert store.list_errors() == errors


def test_stats_counts_everything(store: Store) -> None:
    store.add_document(doc())
    evidence = Evidence(TEXT, 0, len(TEXT))
    evs = [
        Event(doc_id="a1", type="EXPEL", evidence=evidence, country="NLD", trigger="expelled"),
        Event(doc_id="a1", type="SPY", evidence=evidence, country="NLD", trigger="spying"),
        Event(doc_id="a1", type="EXPEL", evidence=evidence, scope="domestic", trigger="deported"),
    ]
    store.save_extraction("a1", "test-1", evs)
    store.add_error(IngestError("x:1", "bad"))
    stats = store.stats()
    assert stats["documents"] == 1 and stats["events"] == 3 and stats["errors"] == 1
    assert stats["incidents"] == 0
    assert stats["by_type"] == {"EXPEL": 2, "SPY": 1}
    assert stats["by_country"] == {"NLD": 2}
    assert stats["by_scope"] == {"unknown": 2, "domestic": 1}


def test_migration_rows_are_readable(store: Store) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(select(schema_migrations)).all()
    assert [(row.version, row.name) for row in rows] == [(m.version, m.name) for m in MIGRATIONS]


def test_the_same_ingest_error_is_recorded_once(tmp_path: Path) -> None:
    from plotwatch.models import IngestError
    from plotwatch.store import open_store

    with open_store(str(tmp_path / "errors.db")) as store:
        error = IngestError(origin="feed.xml:3", message="not XML")
        assert store.add_error(error) is True
        assert store.add_error(error) is False
        assert store.add_error(IngestError(origin="feed.xml:4", message="not XML")) is True
        assert [e.origin for e in store.list_errors()] == ["feed.xml:3", "feed.xml:4"]
