"""Writes of many documents or extractions in one statement each, on a connection.

A run stores its documents and events in batches (``pipeline.py``): a
transaction per batch, not per document, and lookups of a whole batch in one
query. The results equal those of the one-at-a-time methods of ``Store``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, func, insert, select

from plotwatch.errors import StoreError
from plotwatch.models import Document, Event
from plotwatch.store.merge_schema import document_index
from plotwatch.store.migrations import utc_now
from plotwatch.store.rows import document_to_row, event_to_row
from plotwatch.store.schema import documents, events, extractions

__all__ = ["chunks", "insert_new_documents", "known_ids", "replace_extractions", "stored_hashes"]

# Values bound in one IN (...) list: SQLite before 3.32 allows 999 variables per statement.
IN_CHUNK = 900
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def known_ids(conn: Connection, hashes: Iterable[str], doc_ids: Iterable[str]) -> tuple[set[str], set[str]]:
    """Those of the content ``hashes`` and of the ``doc_ids`` that the database holds already."""
    known_hashes: set[str] = set()
    known_doc_ids: set[str] = set()
    for part in chunks(sorted(set(hashes))):
        known_hashes.update(conn.execute(select(documents.c.id).where(documents.c.id.in_(part))).scalars())
    for part in chunks(sorted(set(doc_ids))):
        known_doc_ids.update(conn.execute(select(documents.c.doc_id).where(documents.c.doc_id.in_(part))).scalars())
    return known_hashes, known_doc_ids


def insert_new_documents(conn: Connection, docs: Sequence[Document]) -> list[bool]:
    """Insert the documents whose text and id are not stored yet (nor earlier in ``docs``), numbered in order.

    Returns, for each document, whether it was inserted.
    """
    doc_hashes = [doc.content_hash for doc in docs]  # computed once: each is a hash of the whole text
    hashes, ids = known_ids(conn, doc_hashes, [doc.doc_id for doc in docs])
    rows: list[dict[str, Any]] = []
    new: list[bool] = []
    for doc, doc_hash in zip(docs, doc_hashes, strict=True):
        fresh = doc_hash not in hashes and doc.doc_id not in ids
        new.append(fresh)
        if fresh:
            hashes.add(doc_hash)
            ids.add(doc.doc_id)
            rows.append(document_to_row(doc, utc_now(), doc_hash))
    if rows:
        conn.execute(insert(documents), rows)
        _number(conn, [row["doc_id"] for row in rows])
    return new


def _number(conn: Connection, doc_ids: Sequence[str]) -> None:
    """Ingestion numbers for new documents, in order (as ``merging.assign_seq`` gives one at a time)."""
    last = int(conn.execute(select(func.max(document_index.c.seq))).scalar() or 0)
    conn.execute(insert(document_index), [{"doc_id": doc_id, "seq": last + n} for n, doc_id in enumerate(doc_ids, 1)])


def stored_hashes(conn: Connection, doc_ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """doc_id → (content hash, origin) of those of ``doc_ids`` that are stored."""
    found: dict[str, tuple[str, str | None]] = {}
    query = select(documents.c.doc_id, documents.c.id, documents.c.origin)
    for part in chunks(sorted(set(doc_ids))):
        for row in conn.execute(query.where(documents.c.doc_id.in_(part))):
            found[row.doc_id] = (row.id, row.origin)
    return found


def replace_extractions(conn: Connection, extracted: Sequence[tuple[str, Sequence[Event]]], extractor: str) -> None:
    """Replace the events of each document by its new ones and record its extraction (the caller's transaction)."""
    doc_ids = [doc_id for doc_id, _ in extracted]
    present: set[str] = set()
    for part in chunks(sorted(set(doc_ids))):
        present.update(conn.execute(select(documents.c.doc_id).where(documents.c.doc_id.in_(part))).scalars())
    missing = [doc_id for doc_id in doc_ids if doc_id not in present]
    if missing:
        raise StoreError(f"{missing[0]}: no such document; store it (add_document) before its events")
    for part in chunks(doc_ids):
        conn.execute(delete(events).where(events.c.doc_id.in_(part)))
        conn.execute(delete(extractions).where(extractions.c.doc_id.in_(part)))
    rows = [event_to_row(event) for _, evs in extracted for event in evs]
    if rows:
        conn.execute(insert(events), rows)
    now = utc_now()
    conn.execute(insert(extractions), [{"doc_id": d, "extractor": extractor, "extracted_at": now} for d in doc_ids])
