"""PostgreSQL full-text search: the indexed expressions and the queries that use them.

Migration 5 (``migrations.py``) puts a GIN index on two expressions, the text
search vectors of a document (title and text) and of an event (evidence
sentence, place, actor and target names). A query uses an index only when it
repeats the indexed expression exactly, so both are written once, here, and
the migration keeps a frozen copy (``tests/test_search_postgres.py`` checks
with EXPLAIN that the indexes are used).

The ``simple`` configuration (lower-casing, no stemming, no stop words) is
language-neutral, as the SQLite FTS5 index is; the first ``INDEXED_CHARS``
characters of a document are indexed (PostgreSQL caps one vector at 1 MB).
"""

from __future__ import annotations

__all__ = ["CONFIG", "DOCUMENT_VECTOR", "EVENT_VECTOR", "INDEXED_CHARS"]

CONFIG = "simple"
INDEXED_CHARS = 200_000
DOCUMENT_VECTOR = (  # the title weighs more than the text (weight A) when hits are ranked
    f"(setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(documents.title, '')), 'A') || "
    f"to_tsvector('{CONFIG}'::regconfig, left(documents.text, {INDEXED_CHARS})))"
)
EVENT_VECTOR = (
    f"to_tsvector('{CONFIG}'::regconfig, coalesce(events.evidence_text, '') || ' ' || "
    "coalesce(events.place_name, '') || ' ' || coalesce(events.actor_name, '') || ' ' || "
    "coalesce(events.target_name, ''))"
)
