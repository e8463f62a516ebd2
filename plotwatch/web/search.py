"""Full-text search: SQLite FTS5 over incidents (labels, evidence, places, actors) and documents.

The index (``search_fts``) is a derived table, created and rebuilt lazily: a
signature of the data it was built from is kept in ``web_settings``, and a
search on changed data (a pipeline run, a review edit) rebuilds it first.
Other databases get a plain case-insensitive substring search instead.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, or_, select, text, update

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


def search(engine: Engine, query: str, limit: int = 50) -> dict[str, list[tuple[str, str, str]]]:
    """(key, title, snippet) hits for incidents and documents, best first; snippets carry OPEN/CLOSE."""
    words = _WORD.findall(query)[:12]
    if not words:
        return {"incident": [], "document": []}
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            return {kind: _like_hits(conn, kind, words, limit) for kind in ("incident", "document")}
    ensure_index(engine)
    with engine.connect() as conn:
        return {kind: _fts_hits(conn, kind, fts_query(query), limit) for kind in ("incident", "document")}
