"""Recorded schema migrations.

``MIGRATIONS`` is the ordered history of the schema; each step is a function
of a connection, run in its own transaction together with the row that records
it in ``schema_migrations``. ``migrate(engine)`` applies the steps a database
lacks, so re-running it is a no-op.

To change the schema: edit ``schema.py``, append a step here (``ALTER TABLE``
and the like) and, if the step changes a table that migration 1 creates, give
migration 1 a frozen copy of that table's old definition, so that a new
database and an old one go through the same steps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import Connection, Engine, insert, select, text

from plotwatch.errors import StoreError
from plotwatch.store import schema


class Migration(NamedTuple):
    version: int
    name: str
    apply: Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    tables = [table for table in schema.metadata.sorted_tables if table is not schema.schema_migrations]
    schema.metadata.create_all(conn, tables=tables)


MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial", _initial),)


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string (how timestamps are stored)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def applied_versions(engine: Engine) -> dict[int, str]:
    """Applied migration versions and when each was applied."""
    table = schema.schema_migrations
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.version, table.c.applied_at).order_by(table.c.version))
        return {row.version: row.applied_at for row in rows}


def migrate(engine: Engine) -> list[int]:
    """Apply the missing migrations in order; return the versions applied now."""
    with engine.begin() as conn:
        schema.schema_migrations.create(conn, checkfirst=True)
    done = applied_versions(engine)
    _check_known(done, engine)
    applied: list[int] = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        with engine.begin() as conn:
            migration.apply(conn)
            conn.execute(
                insert(schema.schema_migrations).values(
                    version=migration.version, name=migration.name, applied_at=utc_now()
                )
            )
        applied.append(migration.version)
    return applied


def _check_known(done: dict[int, str], engine: Engine) -> None:
    known = {migration.version for migration in MIGRATIONS}
    unknown = sorted(set(done) - known)
    if unknown:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(
            f"{where}: the database has schema migrations {unknown} that this plotwatch does not know "
            "(it was written by a newer version); upgrade plotwatch or use another database"
        )


def _web_accounts(conn: Connection) -> None:
    """Accounts, sessions, login attempts, settings, review overlay and audit log of the web app.

    A frozen copy of ``plotwatch/web/tables.py`` as it was when this step was
    written; a later change to those tables needs a step of its own.
    """
    from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text

    frozen = MetaData()
    Table("users", frozen, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("name", String, nullable=False, unique=True), Column("role", String, nullable=False),
          Column("password_hash", String, nullable=False), Column("disabled", Boolean, nullable=False),
          Column("created_at", String, nullable=False))  # fmt: skip
    Table("sessions", frozen, Column("id", String, primary_key=True),
          Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
          Column("csrf", String, nullable=False), Column("created_at", String, nullable=False),
          Column("expires_at", String, nullable=False))  # fmt: skip
    Table("login_attempts", frozen, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("key", String, nullable=False), Column("at", String, nullable=False),
          Index("ix_login_attempts_key_at", "key", "at"))  # fmt: skip
    Table("web_settings", frozen, Column("key", String, primary_key=True), Column("value", Text, nullable=False))
    overrides = [Column(name, String) for name in ("type", "country", "date", "date_end", "actor_state",
                                                   "target_state", "label")]  # fmt: skip
    Table("incident_reviews", frozen, Column("incident_id", String, primary_key=True),
          Column("status", String, nullable=False), *overrides, Column("event_ids", Text, nullable=False),
          Column("updated_at", String, nullable=False), Column("updated_by", String, nullable=False))  # fmt: skip
    Table("audit_log", frozen, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("at", String, nullable=False), Column("user_name", String, nullable=False),
          Column("action", String, nullable=False), Column("target_kind", String, nullable=False),
          Column("target_id", String, nullable=False), Column("before", Text), Column("after", Text),
          Column("reason", Text, nullable=False), Index("ix_audit_log_target", "target_kind", "target_id"))  # fmt: skip
    frozen.create_all(conn)


MIGRATIONS = (*MIGRATIONS, Migration(2, "web accounts, review overlay, audit log", _web_accounts))


def _ingest_provenance(conn: Connection) -> None:
    """Sightings, kept originals and feed state of the ingest stage (additive: new tables only).

    A frozen copy of the tables in ``plotwatch/ingest/ledger.py`` as they were
    when this step was written; a later change to those tables needs a step of its own.
    """
    import sqlalchemy as sa

    frozen = sa.MetaData()
    sa.Table("sightings", frozen, sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
             sa.Column("content_hash", sa.String, nullable=False), sa.Column("doc_id", sa.String, nullable=False),
             sa.Column("origin", sa.Text, nullable=False), sa.Column("url", sa.Text),
             sa.Column("reader", sa.String, nullable=False), sa.Column("fetched_at", sa.String),
             sa.Column("http_status", sa.Integer), sa.Column("raw_size", sa.Integer),
             sa.Column("raw_sha256", sa.String), sa.Column("seen_at", sa.String, nullable=False),
             sa.UniqueConstraint("content_hash", "origin", name="uq_sightings_content_origin"),
             sa.Index("ix_sightings_doc_id", "doc_id"))  # fmt: skip
    sa.Table("raw_originals", frozen, sa.Column("sha256", sa.String, primary_key=True),
             sa.Column("size", sa.Integer, nullable=False),
             sa.Column("data", sa.LargeBinary, nullable=False))  # fmt: skip
    sa.Table("feed_state", frozen, sa.Column("feed_url", sa.Text, primary_key=True), sa.Column("etag", sa.Text),
             sa.Column("last_modified", sa.Text), sa.Column("checked_at", sa.String, nullable=False),
             sa.Column("status", sa.Integer))  # fmt: skip
    sa.Table("feed_items", frozen, sa.Column("feed_url", sa.Text, nullable=False),
             sa.Column("item_key", sa.Text, nullable=False), sa.Column("seen_at", sa.String, nullable=False),
             sa.PrimaryKeyConstraint("feed_url", "item_key"))  # fmt: skip
    frozen.create_all(conn)


MIGRATIONS = (*MIGRATIONS, Migration(3, "ingest sightings, kept originals, feed state", _ingest_provenance))


def _merge_tables(conn: Connection) -> None:
    """Document order and copies, incident history, corroboration, links, cases, review decisions.

    Creates the tables of ``plotwatch/store/merge_schema.py`` as they are
    defined there; a later change to them needs a step of its own and a frozen
    copy here.
    """
    from plotwatch.store import merge_schema

    merge_schema.metadata.create_all(conn)
    documents = schema.documents
    rows = conn.execute(select(documents.c.doc_id).order_by(documents.c.ingested_at, documents.c.doc_id))
    order = [{"doc_id": row.doc_id, "seq": n} for n, row in enumerate(rows, start=1)]
    if order:
        conn.execute(insert(merge_schema.document_index), order)


MIGRATIONS = (*MIGRATIONS, Migration(4, "merge: document order, copies, incident history, links", _merge_tables))


def _search_indexes(conn: Connection) -> None:
    """PostgreSQL: GIN indexes for full-text search of documents and events (``store/fulltext.py``).

    A frozen copy of the indexed expressions as they were when this step was written. SQLite searches
    with an FTS5 table that the web app builds itself: nothing to do there.
    """
    if conn.dialect.name != "postgresql":
        return
    document = (
        "(setweight(to_tsvector('simple'::regconfig, coalesce(documents.title, '')), 'A') || "
        "to_tsvector('simple'::regconfig, left(documents.text, 200000)))"
    )
    event = (
        "to_tsvector('simple'::regconfig, coalesce(events.evidence_text, '') || ' ' || "
        "coalesce(events.place_name, '') || ' ' || coalesce(events.actor_name, '') || ' ' || "
        "coalesce(events.target_name, ''))"
    )
    conn.execute(text(f"CREATE INDEX ix_documents_search ON documents USING gin ({document})"))
    conn.execute(text(f"CREATE INDEX ix_events_search ON events USING gin (({event}))"))


MIGRATIONS = (*MIGRATIONS, Migration(5, "full-text search indexes (PostgreSQL)", _search_indexes))
