"""Full-text search: SQLite FTS5 over incidents (labels, evidence, places, actors) and documents.

The index (``search_fts``) is a derived table, created and rebuilt lazily: a
signature of the data it was built from is kept in ``web_settings``, and a
search on changed data (a pipeline run, a review edit) rebuilds it first.
PostgreSQL searches with its own full-text functions over GIN-indexed vectors
(``store/fulltext.py``, migration 5): ``plainto_tsquery`` of the user's words
(all required, no operators, as with FTS5), ranked by ``ts_rank_cd``,
snippets by ``ts_headline``. Other databases get a plain case-insensitive
substring search.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, or_, select, text, update

from plotwatch.store.fulltext import CONFIG, DOCUMENT_VECTOR, EVENT_VECTOR, INDEXED_CHARS
from plotwatch.store.schema import documents, events, extractions, incidents
from plotwatch.web.accounts import get_setting
from plotwatch.web.highlight import Segment
from plotwatch.web.tables import incident_reviews, web_settings

OPEN, CLOSE = "\ue000", "\ue001"  # snippet markers: private-use characters, split out before rendering
_WORD = re.compile(r"\w+", re.UNICODE)
_lock = threading.Lock()
SIGNATURE_KEY = "search_signature"


def fts_query(query: str) -> str:
    """The user's words as an FTS5 query: each word quoted (no operators), all required."""
    words = _WORD.findall(query)[:12]
    return " ".join(f'"{word}"' for word in words)


def _signature(conn: Connection) -> str:
    parts = [
        select(func.count(), func.max(documents.c.ingested_at)).select_from(documents),
        select(func.count(), func.max(extractions.c.extracted_at)).select_from(extractions),
        select(func.count(), func.min(incidents.c.incident_id)).select_from(incidents),
        select(func.count(), func.max(incident_reviews.c.updated_at)).select_from(incident_reviews),
    ]
    return "|".join(f"{row[0]}:{row[1]}" for part in parts for row in [conn.execute(part).one()])


def _incident_rows(conn: Connection) -> list[dict[str, str]]:
    label = func.coalesce(incident_reviews.c.label, incidents.c.label)
    query = select(incidents.c.incident_id, label.label("label")).outerjoin(
        incident_reviews, incident_reviews.c.incident_id == incidents.c.incident_id
    )
    labels: dict[str, str] = {row.incident_id: row.label for row in conn.execute(query)}
    bodies: dict[str, list[str]] = {key: [] for key in labels}
    member = select(
        events.c.incident_id, events.c.evidence_text, events.c.place_name, events.c.actor_name, events.c.target_name
    ).where(events.c.incident_id.is_not(None))
    for row in conn.execute(member):
        if row.incident_id in bodies:
            bodies[row.incident_id] += [value for value in row[1:] if value]
    return [
        {"kind": "incident", "key": key, "title": labels[key], "body": " ".join(dict.fromkeys(body))}
        for key, body in bodies.items()
    ]


def _rebuild(conn: Connection, signature: str) -> None:
    conn.execute(text("DROP TABLE IF EXISTS search_fts"))
    conn.execute(
        text(
            "CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, key UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
    )
    fill = text("INSERT INTO search_fts (kind, key, title, body) VALUES (:kind, :key, :title, :body)")
    rows = _incident_rows(conn)
    if rows:
        conn.execute(fill, rows)
    docs = select(documents.c.doc_id, documents.c.title, documents.c.text)
    for part in conn.execute(docs).partitions(500):
        conn.execute(
            fill, [{"kind": "document", "key": r.doc_id, "title": r.title or "", "body": r.text} for r in part]
        )
    if get_setting(conn, SIGNATURE_KEY) is None:
        conn.execute(insert(web_settings).values(key=SIGNATURE_KEY, value=signature))
    else:
        conn.execute(update(web_settings).where(web_settings.c.key == SIGNATURE_KEY).values(value=signature))


def ensure_index(engine: Engine) -> None:
    """Build or rebuild the FTS5 index when the data changed since it was built (SQLite only)."""
    with _lock:
        with engine.connect() as conn:
            signature = _signature(conn)
            if get_setting(conn, SIGNATURE_KEY) == signature:
                return
        with engine.begin() as conn:
            _rebuild(conn, signature)


def segments(snippet: str) -> list[dict[str, Any]]:
    """A snippet with OPEN/CLOSE markers as plain/marked segments (the markers never reach the page)."""
    parts: list[dict[str, Any]] = []
    for index, piece in enumerate(re.split(f"[{OPEN}{CLOSE}]", snippet)):
        if piece:
            parts.append(Segment(piece.replace(OPEN, "").replace(CLOSE, ""), mark=index % 2 == 1).to_dict())
    return parts


def _fts_hits(conn: Connection, kind: str, match: str, limit: int) -> list[tuple[str, str, str]]:
    query = text(
        "SELECT key, title, snippet(search_fts, 3, :open, :close, '…', 24) AS snip FROM search_fts "
        "WHERE search_fts MATCH :match AND kind = :kind ORDER BY bm25(search_fts, 0, 0, 4.0, 1.0) LIMIT :limit"
    )
    params = {"open": OPEN, "close": CLOSE, "match": match, "kind": kind, "limit": limit}
    return [(row.key, row.title, row.snip) for row in conn.execute(query, params)]


def _like_hits(conn: Connection, kind: str, words: list[str], limit: int) -> list[tuple[str, str, str]]:
    if kind == "incident":
        query = select(incidents.c.incident_id, incidents.c.label, events.c.evidence_text).join(
            events, events.c.incident_id == incidents.c.incident_id
        )
        columns = [incidents.c.label, events.c.evidence_text]
    else:
        query = select(documents.c.doc_id, documents.c.title, func.substr(documents.c.text, 1, 200))
        columns = [documents.c.title, documents.c.text]
    for word in words:
        query = query.where(or_(*(column.ilike(f"%{word}%") for column in columns)))
    found: dict[str, tuple[str, str, str]] = {}
    for key, title, body in conn.execute(query.limit(limit * 5)):
        found.setdefault(key, (key, title or "", body or ""))
    return list(found.values())[:limit]


# ts_headline: the snippet's markers and size (about FTS5's 24-word snippet).
HEADLINE = f'StartSel="{OPEN}", StopSel="{CLOSE}", MaxWords=24, MinWords=12, MaxFragments=1, FragmentDelimiter="…"'
_PG_DOCUMENTS = f"""
WITH q AS (SELECT plainto_tsquery('{CONFIG}', :words) AS query)
SELECT hit.doc_id AS key, coalesce(hit.title, '') AS title,
       ts_headline('{CONFIG}', left(hit.text, {INDEXED_CHARS}), q.query, :headline) AS snip
FROM (SELECT documents.doc_id, documents.title, documents.text, ts_rank_cd({DOCUMENT_VECTOR}, q.query) AS rank
      FROM documents, q WHERE {DOCUMENT_VECTOR} @@ q.query
      ORDER BY rank DESC, documents.doc_id LIMIT :limit) AS hit, q
ORDER BY hit.rank DESC, hit.doc_id
"""
_EVENT_TEXT = (
    "coalesce(events.evidence_text, '') || ' ' || coalesce(events.place_name, '') || ' ' || "
    "coalesce(events.actor_name, '') || ' ' || coalesce(events.target_name, '')"
)
# Candidates: incidents with an event that has one of the words (the events' GIN index) or whose label has
# one; of those, the ones whose label and events together have all the words, as in the SQLite index.
_PG_INCIDENTS = f"""
WITH q AS (SELECT plainto_tsquery('{CONFIG}', :words) AS query, {{any_word}} AS any_word),
labels AS (
  SELECT incidents.incident_id, coalesce(incident_reviews.label, incidents.label) AS label
  FROM incidents LEFT JOIN incident_reviews ON incident_reviews.incident_id = incidents.incident_id),
candidates AS (
  SELECT events.incident_id FROM events, q WHERE {EVENT_VECTOR} @@ q.any_word AND events.incident_id IS NOT NULL
  UNION SELECT labels.incident_id FROM labels, q WHERE to_tsvector('{CONFIG}', labels.label) @@ q.any_word),
bodies AS (
  SELECT labels.incident_id, labels.label,
         string_agg({_EVENT_TEXT}, ' ' ORDER BY events.doc_id, events.evidence_start, events.event_id) AS body
  FROM labels JOIN candidates ON candidates.incident_id = labels.incident_id
  JOIN events ON events.incident_id = labels.incident_id
  GROUP BY labels.incident_id, labels.label),
hits AS (
  SELECT bodies.*, setweight(to_tsvector('{CONFIG}', bodies.label), 'A') || to_tsvector('{CONFIG}', bodies.body)
         AS vector FROM bodies)
SELECT hits.incident_id AS key, hits.label AS title, ts_headline('{CONFIG}', hits.body, q.query, :headline) AS snip
FROM hits, q WHERE hits.vector @@ q.query
ORDER BY ts_rank_cd(hits.vector, q.query) DESC, hits.incident_id LIMIT :limit
"""


def _pg_hits(conn: Connection, kind: str, words: list[str], limit: int) -> list[tuple[str, str, str]]:
    params: dict[str, Any] = {"words": " ".join(words), "headline": HEADLINE, "limit": limit}
    if kind == "document":
        sql = _PG_DOCUMENTS
    else:
        params |= {f"w{n}": word for n, word in enumerate(words)}
        any_word = " || ".join(f"plainto_tsquery('{CONFIG}', :w{n})" for n in range(len(words)))
        sql = _PG_INCIDENTS.format(any_word=f"({any_word})")
    return [(row.key, row.title, row.snip or "") for row in conn.execute(text(sql), params)]


def search(engine: Engine, query: str, limit: int = 50) -> dict[str, list[tuple[str, str, str]]]:
    """(key, title, snippet) hits for incidents and documents, best first; snippets carry OPEN/CLOSE."""
    words = _WORD.findall(query)[:12]
    if not words:
        return {"incident": [], "document": []}
    if engine.dialect.name not in ("sqlite", "postgresql"):
        with engine.connect() as conn:
            return {kind: _like_hits(conn, kind, words, limit) for kind in ("incident", "document")}
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return {kind: _pg_hits(conn, kind, words, limit) for kind in ("incident", "document")}
    ensure_index(engine)
    with engine.connect() as conn:
        return {kind: _fts_hits(conn, kind, fts_query(query), limit) for kind in ("incident", "document")}
