"""Table definitions (SQLAlchemy Core) of the current schema.

Portable types only, so SQLite and PostgreSQL run the same code: strings,
integers, floats, booleans, and lists kept as JSON in TEXT columns (readable by
datasette and pandas as they are). Dates stay the ISO strings of the event
record ("2018", "2018-06", "2018-06-12"); timestamps are ISO 8601 UTC strings.

The tables are created by migration 1 (``migrations.py``); a later change to a
table here needs a migration of its own.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator


class JSONText(TypeDecorator[Any]):
    """A JSON value stored as TEXT (not the dialect's JSON type, on purpose)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(value)


metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String, nullable=False),
    Column("applied_at", String, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String, primary_key=True),  # models.content_hash(text)
    Column("doc_id", String, nullable=False, unique=True),  # the input's own id
    Column("url", Text),
    Column("title", Text),
    Column("source", String),
    Column("published", String),
    Column("language", String),
    Column("text", Text, nullable=False),
    Column("reader", String, nullable=False),
    Column("origin", Text),
    Column("ingested_at", String, nullable=False),
)


def _actor_columns(role: str) -> list[Column[Any]]:
    return [Column(f"{role}_{name}", String) for name in ("id", "name", "state", "kind", "text")]


events = Table(
    "events",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("doc_id", String, ForeignKey("documents.doc_id"), nullable=False),
    # No foreign key: incidents are rebuilt as a whole by replace_incidents().
    Column("incident_id", String),
    Column("type", String, nullable=False),
    Column("status", String, nullable=False),
    Column("hedged", Boolean, nullable=False),
    Column("scope", String, nullable=False),
    Column("date", String),
    Column("date_end", String),
    Column("country", String),
    Column("place_name", String),
    Column("place_lat", Float),
    Column("place_lon", Float),
    Column("place_geonameid", Integer),
    Column("place_country", String),
    *_actor_columns("actor"),
    *_actor_columns("target"),
    Column("count", Integer),
    Column("perpetrators", JSONText, nullable=False),
    Column("victims", JSONText, nullable=False),
    Column("physical_targets", JSONText, nullable=False),
    Column("weapons", JSONText, nullable=False),
    Column("evidence_text", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("extractor", String, nullable=False),
    Column("trigger", String, nullable=False),
    Index("ix_events_doc_id", "doc_id"),
    Index("ix_events_incident_id", "incident_id"),
    Index("ix_events_type", "type"),
    Index("ix_events_country", "country"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("incident_id", String, primary_key=True),
    Column("type", String, nullable=False),
    Column("country", String),
    Column("date", String),
    Column("date_end", String),
    Column("actor_state", String),
    Column("target_state", String),
    Column("n_events", Integer, nullable=False),
    Column("n_documents", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("first_reported", String),
    Column("last_reported", String),
    Column("label", String, nullable=False),
)

ingest_errors = Table(
    "ingest_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", String, nullable=False),
)

extractions = Table(
    "extractions",
    metadata,
    Column("doc_id", String, ForeignKey("documents.doc_id"), primary_key=True),
    Column("extractor", String, primary_key=True),
    Column("extracted_at", String, nullable=False),
)
