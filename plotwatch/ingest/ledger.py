"""What ingest records beside the documents: sightings, kept originals, feed state.

- ``sightings``: every time a document was read, from where (file, line,
  URL, feed item), with its fetch time, HTTP status and the original's size
  and hash. The same article from two feeds is one document, two sightings.
- ``raw_originals``: the original bytes (page, file, line) by SHA-256, when
  no larger than ``IngestOptions.max_raw_kept``; larger ones are known by hash
  and size only.
- ``feed_state`` and ``feed_items``: what ``plotwatch watch`` needs to poll
  politely and to ingest only new items across restarts (ETag,
  Last-Modified, the items already read).

The tables are created by store migration 3 (``store/migrations.py``, a frozen
copy); these are their current definitions, used for reading and writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from plotwatch.ingest.clock import utc_now
from plotwatch.models import Document

metadata = MetaData()

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String, nullable=False),  # documents.id
    Column("doc_id", String, nullable=False),  # the id the input gave (may differ from the stored one)
    Column("origin", Text, nullable=False),
    Column("url", Text),
    Column("reader", String, nullable=False),
    Column("fetched_at", String),
    Column("http_status", Integer),
    Column("raw_size", Integer),
    Column("raw_sha256", String),
    Column("seen_at", String, nullable=False),
    UniqueConstraint("content_hash", "origin", name="uq_sightings_content_origin"),
    Index("ix_sightings_doc_id", "doc_id"),
)

raw_originals = Table(
    "raw_originals",
    metadata,
    Column("sha256", String, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

feed_state = Table(
    "feed_state",
    metadata,
    Column("feed_url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("checked_at", String, nullable=False),
    Column("status", Integer),
)

feed_items = Table(
    "feed_items",
    metadata,
    Column("feed_url", Text, nullable=False),
    Column("item_key", Text, nullable=False),
    Column("seen_at", String, nullable=False),
    PrimaryKeyConstraint("feed_url", "item_key"),
)


def record_sighting(engine: Engine, doc: Document) -> bool:
    """Record that ``doc`` was read from ``doc.origin`` (and keep its original); False if known already."""
    try:
        with engine.begin() as conn:
            _keep_raw(conn, doc)
            seen = (sightings.c.content_hash == doc.content_hash) & (sightings.c.origin == (doc.origin or ""))
            if conn.execute(select(exists().where(seen))).scalar():
                return False
            conn.execute(insert(sightings).values(**_sighting_row(doc)))
    except IntegrityError:  # another writer recorded it meanwhile
        return False
    return True


def record_sightings(engine: Engine, docs: Sequence[Document]) -> int:
    """``record_sighting`` for many documents in one transaction; returns how many sightings are new."""
    if not docs:
        return 0
    try:
        with engine.begin() as conn:
            _keep_raws(conn, docs)
            rows = _new_sightings(conn, docs)
            if rows:
                conn.execute(insert(sightings), rows)
            return len(rows)
    except IntegrityError:  # another writer recorded some of them meanwhile: one at a time
        return sum(record_sighting(engine, doc) for doc in docs)


def _chunks(keys: list[str], size: int = 900) -> Iterable[list[str]]:
    """Pieces of ``keys`` small enough for one IN (...) list (old SQLite allows 999 variables)."""
    return (keys[start : start + size] for start in range(0, len(keys), size))


def _new_sightings(conn: Connection, docs: Sequence[Document]) -> list[dict[str, object]]:
    keys = [(doc.content_hash, doc.origin or "") for doc in docs]  # each hash computed once
    seen: set[tuple[str, str]] = set()
    query = select(sightings.c.content_hash, sightings.c.origin)
    for part in _chunks(sorted({content_hash for content_hash, _ in keys})):
        seen.update(
            (row.content_hash, row.origin) for row in conn.execute(query.where(sightings.c.content_hash.in_(part)))
        )
    rows = []
    for doc, key in zip(docs, keys, strict=True):
        if key not in seen:
            seen.add(key)
            rows.append(_sighting_row(doc, key[0]))
    return rows


def _keep_raws(conn: Connection, docs: Sequence[Document]) -> None:
    raws = {doc.raw_sha256: doc.raw for doc in docs if doc.raw is not None and doc.raw_sha256 is not None}
    if not raws:
        return
    for part in _chunks(sorted(raws)):
        for sha in conn.execute(select(raw_originals.c.sha256).where(raw_originals.c.sha256.in_(part))).scalars():
            raws.pop(sha, None)
    if raws:
        conn.execute(
            insert(raw_originals), [{"sha256": sha, "size": len(data), "data": data} for sha, data in raws.items()]
        )


def _sighting_row(doc: Document, content_hash: str | None = None) -> dict[str, object]:
    return {
        "content_hash": content_hash or doc.content_hash, "doc_id": doc.doc_id, "origin": doc.origin or "",
        "url": doc.url, "reader": doc.reader, "fetched_at": doc.fetched_at, "http_status": doc.http_status,
        "raw_size": doc.raw_size, "raw_sha256": doc.raw_sha256, "seen_at": utc_now(),
    }  # fmt: skip


def _keep_raw(conn: Connection, doc: Document) -> None:
    if doc.raw is None or doc.raw_sha256 is None:
        return
    if not conn.execute(select(exists().where(raw_originals.c.sha256 == doc.raw_sha256))).scalar():
        conn.execute(insert(raw_originals).values(sha256=doc.raw_sha256, size=len(doc.raw), data=doc.raw))


def sightings_of(engine: Engine, content_hash: str) -> list[dict[str, object]]:
    """Every sighting of a document (by its content hash), oldest first."""
    query = select(sightings).where(sightings.c.content_hash == content_hash).order_by(sightings.c.id)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def raw_original(engine: Engine, sha256: str) -> bytes | None:
    with engine.connect() as conn:
        data = conn.execute(select(raw_originals.c.data).where(raw_originals.c.sha256 == sha256)).scalar()
    return bytes(data) if data is not None else None


@dataclass(frozen=True)
class Validators:
    """What a feed's server said last time, to ask "has it changed?" (HTTP conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        found = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {key: value for key, value in found.items() if value}


class FeedLedger:
    """Feed state kept in the database, so that ``watch`` survives restarts."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def validators(self, feed_url: str) -> Validators:
        query = select(feed_state.c.etag, feed_state.c.last_modified).where(feed_state.c.feed_url == feed_url)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return Validators(row.etag, row.last_modified) if row else Validators()

    def seen(self, feed_url: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` were read from this feed before."""
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = select(feed_items.c.item_key).where(
                    (feed_items.c.feed_url == feed_url) & feed_items.c.item_key.in_(chunk)
                )
                found.update(conn.execute(query).scalars())
        return found

    def save(self, feed_url: str, validators: Validators | None, status: int | None, keys: Iterable[str]) -> None:
        """Mark ``keys`` read and, unless None, store the validators to send next time; one transaction."""
        now = utc_now()
        with self.engine.begin() as conn:
            for key in set(keys) - self._known(conn, feed_url):
                conn.execute(insert(feed_items).values(feed_url=feed_url, item_key=key, seen_at=now))
            values = {"checked_at": now, "status": status}
            if validators is not None:
                values |= {"etag": validators.etag, "last_modified": validators.last_modified}
            if conn.execute(select(exists().where(feed_state.c.feed_url == feed_url))).scalar():
                conn.execute(update(feed_state).where(feed_state.c.feed_url == feed_url).values(**values))
            else:
                conn.execute(insert(feed_state).values(feed_url=feed_url, **values))

    @staticmethod
    def _known(conn: Connection, feed_url: str) -> set[str]:
        query = select(feed_items.c.item_key).where(feed_items.c.feed_url == feed_url)
        return set(conn.execute(query).scalars())
