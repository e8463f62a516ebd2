"""The store stage: documents, events, incidents and errors in one database.

SQLite by default (a file path), PostgreSQL through a SQLAlchemy URL; both go
through the same SQLAlchemy Core code. ``open_store`` applies the schema
migrations the database lacks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, Select, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from plotwatch.errors import StoreError
from plotwatch.models import Document, Event, Incident, IngestError
from plotwatch.store import batch, merging
from plotwatch.store import incidents as inc
from plotwatch.store.engine import describe, make_engine, migration_lock, open_error, write_lock
from plotwatch.store.migrations import migrate, utc_now
from plotwatch.store.rows import document_to_row, event_record, row_to_document, row_to_event
from plotwatch.store.schema import documents, extractions, incidents, ingest_errors
from plotwatch.store.schema import events as events_table

__all__ = ["SCOPES", "Store", "open_store"]

SCOPES: dict[str, tuple[str, ...] | None] = {
    "default": ("transnational", "unknown"),
    "transnational": ("transnational",),
    "all": None,
}
# Rows fetched at a time when streaming (PostgreSQL uses a server-side cursor).
BATCH = 500


def open_store(db: str) -> Store:
    """Open (and create or migrate) the database ``db``: a file path or a SQLAlchemy URL."""
    engine = make_engine(db)
    try:
        with migration_lock(engine):
            migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise open_error(engine.url, exc) from exc
    except StoreError:
        engine.dispose()
        raise
    return Store(engine)


def _scope_filter(query: Select[Any], scope: str) -> Select[Any]:
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")
    scopes = SCOPES[scope]
    return query if scopes is None else query.where(events_table.c.scope.in_(scopes))


def _counts(conn: Connection, column: Any) -> dict[str, int]:
    query = (
        select(column, func.count().label("n"))
        .where(column.is_not(None))
        .group_by(column)
        .order_by(func.count().desc(), column)
    )
    return {row[0]: row.n for row in conn.execute(query)}


def _check_events(doc_id: str, evs: Sequence[Event]) -> None:
    seen: set[str] = set()
    for event in evs:
        if event.doc_id != doc_id:
            raise ValueError(f"event {event.event_id} belongs to document {event.doc_id}, not {doc_id}")
        if event.event_id in seen:
            raise StoreError(
                f"{doc_id}: event {event.event_id} occurs twice; the extractor emitted a duplicate"
            )
        seen.add(event.event_id)


def _membership(incident_list: Sequence[Incident]) -> dict[str, str]:
    """event_id -> incident_id; an event may belong to one incident only."""
    member: dict[str, str] = {}
    for incident in incident_list:
        for event in incident.events:
            other = member.setdefault(event.event_id, incident.incident_id)
            if other != incident.incident_id:
                raise StoreError(
                    f"event {event.event_id} is in incidents {other} and {incident.incident_id}; "
                    "an event belongs to one incident"
                )
    return member


class Store:
    """A plotwatch database. Use ``open_store``; close it (or use ``with``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __repr__(self) -> str:
        return f"Store({describe(self.engine.url)!r})"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _stream(self, query: Select[Any]) -> Iterator[Any]:
        with self.engine.connect() as conn:
            yield from conn.execution_options(yield_per=BATCH).execute(query)

    def _scalar(self, query: Select[Any]) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(query).scalar()

    # Documents

    def add_document(self, doc: Document) -> bool:
        """Store ``doc``; False (and nothing stored) when its text or its id is already there."""
        try:
            with self.engine.begin() as conn:
                if self._has_document(conn, doc):
                    return False
                conn.execute(insert(documents).values(document_to_row(doc, utc_now())))
                merging.assign_seq(conn, doc.doc_id)
        except IntegrityError as exc:
            with self.engine.connect() as conn:
                if self._has_document(conn, doc):  # another writer stored it meanwhile
                    return False
            raise StoreError(f"{doc.doc_id}: the document could not be stored ({exc.orig})") from exc
        return True

    def add_documents(self, docs: Sequence[Document]) -> list[bool]:
        """Store ``docs`` in one transaction; for each, whether it was stored (as ``add_document`` says).

        A document whose text or id is already there, or earlier in ``docs``, is not stored.
        """
        if not docs:
            return []
        try:
            with self.engine.begin() as conn:
                return batch.insert_new_documents(conn, docs)
        except IntegrityError:  # another writer stored some of them meanwhile: one at a time
            return [self.add_document(doc) for doc in docs]

    def stored_hashes(self, doc_ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """doc_id → (content hash, origin) of the stored documents among ``doc_ids``."""
        with self.engine.connect() as conn:
            return batch.stored_hashes(conn, doc_ids)

    @staticmethod
    def _has_document(conn: Connection, doc: Document) -> bool:
        same = (documents.c.id == doc.content_hash) | (documents.c.doc_id == doc.doc_id)
        return bool(conn.execute(select(exists().where(same))).scalar())

    def get_document(self, doc_id: str) -> Document | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(documents.c.doc_id == doc_id)).mappings().first()
        return row_to_document(row) if row else None

    def iter_documents(self) -> Iterator[Document]:
        """Documents in the order they were ingested."""
        query = select(documents).order_by(documents.c.ingested_at, documents.c.doc_id)
        for row in self._stream(query):
            yield row_to_document(row._mapping)

    def count_documents(self) -> int:
        return int(self._scalar(select(func.count()).select_from(documents)))

    @staticmethod
    def _not_extracted(query: Select[Any], extractor: str) -> Select[Any]:
        done = (extractions.c.doc_id == documents.c.doc_id) & (extractions.c.extractor == extractor)
        return query.where(~exists().where(done))

    def iter_pending(self, extractor: str) -> Iterator[Document]:
        """Documents (in ingestion order) whose stored events do not come from ``extractor``, in one query."""
        query = select(documents).order_by(documents.c.ingested_at, documents.c.doc_id)
        for row in self._stream(self._not_extracted(query, extractor)):
            yield row_to_document(row._mapping)

    def count_pending(self, extractor: str) -> int:
        """How many documents ``iter_pending`` would yield now."""
        return int(self._scalar(self._not_extracted(select(func.count()).select_from(documents), extractor)))

    # Events

    def is_extracted(self, doc_id: str, extractor: str) -> bool:
        """Whether the stored events of ``doc_id`` come from ``extractor`` (name and version)."""
        same = (extractions.c.doc_id == doc_id) & (extractions.c.extractor == extractor)
        return bool(self._scalar(select(exists().where(same))))

    def save_extraction(self, doc_id: str, extractor: str, events: list[Event]) -> None:
        """Replace the events of ``doc_id`` by ``events`` and record the extraction, atomically."""
        self.save_extractions([(doc_id, events)], extractor)

    def save_extractions(self, extracted: Sequence[tuple[str, list[Event]]], extractor: str) -> None:
        """``save_extraction`` for many documents in one transaction (the last entry of a doc_id counts)."""
        latest = dict(extracted)
        for doc_id, evs in latest.items():
            _check_events(doc_id, evs)
        try:
            with self.engine.begin() as conn:
                write_lock(conn)
                batch.replace_extractions(conn, list(latest.items()), extractor)
        except IntegrityError as exc:
            names = ", ".join(list(latest)[:3]) + (", ..." if len(latest) > 3 else "")
            raise StoreError(f"{names}: the events could not be stored ({exc.orig})") from exc

    def _events_query(self, scope: str) -> Select[Any]:
        query = select(events_table).order_by(
            events_table.c.doc_id, events_table.c.evidence_start, events_table.c.event_id
        )
        return _scope_filter(query, scope)

    def iter_events(self, scope: str = "default") -> Iterator[Event]:
        """Events of ``scope``: "default" (transnational and unknown), "transnational" or "all"."""
        for row in self._stream(self._events_query(scope)):
            yield row_to_event(row._mapping)

    def iter_event_records(self, scope: str = "default") -> Iterator[dict[str, Any]]:
        """The export records (``Event.to_record``) of the events of ``scope``."""
        query = self._events_query(scope).add_columns(
            documents.c.url.label("doc_url"), documents.c.published.label("doc_published")
        )
        query = query.join(documents, documents.c.doc_id == events_table.c.doc_id)
        for row in self._stream(query):
            yield event_record(row._mapping)

    def count_events(self) -> int:
        return int(self._scalar(select(func.count()).select_from(events_table)))

    # Incidents

    def replace_incidents(self, incident_list: list[Incident]) -> None:
        """Rewrite the incidents table and every event's incident_id, in one transaction."""
        self._write_incidents(incident_list, None)

    def save_merge(self, incident_list: list[Incident], rows: merging.MergeRows) -> None:
        """Store a merge whole, in one transaction: incidents, event membership, and ``rows``
        (machine members, id history, corroboration, links, cases, settings)."""
        self._write_incidents(incident_list, rows)

    def _write_incidents(self, incident_list: list[Incident], rows: merging.MergeRows | None) -> None:
        member = _membership(incident_list)
        try:
            with self.engine.begin() as conn:
                write_lock(conn)
                conn.execute(update(events_table).values(incident_id=None))
                conn.execute(delete(incidents))
                self._insert_incidents(conn, incident_list)
                self._link_events(conn, member)
                if rows is not None:
                    merging.save_rows(conn, rows, [incident.incident_id for incident in incident_list])
        except IntegrityError as exc:
            raise StoreError(f"the incidents could not be stored ({exc.orig})") from exc

    @staticmethod
    def _insert_incidents(conn: Connection, incident_list: Sequence[Incident]) -> None:
        doc_ids = sorted({doc_id for incident in incident_list for doc_id in incident.documents})
        published = inc.published_dates(conn, doc_ids)
        rows = [inc.summarize(incident, published) for incident in incident_list]
        if rows:
            conn.execute(insert(incidents), rows)

    @staticmethod
    def _link_events(conn: Connection, member: dict[str, str]) -> None:
        if member:
            query = update(events_table).where(events_table.c.event_id == bindparam("b_event_id"))
            params = [
                {"b_event_id": event_id, "b_incident_id": incident_id}
                for event_id, incident_id in member.items()
            ]
            conn.execute(query.values(incident_id=bindparam("b_incident_id")), params)
        linked = conn.execute(select(func.count()).where(events_table.c.incident_id.is_not(None))).scalar()
        if linked != len(member):
            raise StoreError(
                f"incidents refer to {len(member) - (linked or 0)} events that are not stored; "
                "save the extraction of their documents before merging"
            )

    def list_incidents(
        self,
        type: str | None = None,
        country: str | None = None,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Incident records (with event_ids and doc_ids), most reported first, then by date."""
        query = inc.incidents_query(type, country, actor, since, until, limit)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            return inc.with_members(conn, rows)

    def get_incident(self, incident_id: str) -> dict[str, Any] | None:
        """One incident record with "events": the export records of its events."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(incidents).where(incidents.c.incident_id == incident_id))
                .mappings()
                .first()
            )
            if row is None:
                return None
            record = inc.with_members(conn, [row])[0]
            members = conn.execute(inc.members_query([incident_id])).mappings()
            record["events"] = [event_record(member) for member in members]
        return record

    def iter_incident_records(self) -> Iterator[dict[str, Any]]:
        """Every incident record, in the order of ``list_incidents``, streamed in batches."""
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=BATCH).execute(inc.incidents_query()).mappings()
            for batch in result.partitions():
                yield from inc.with_members(conn, batch)

    def count_incidents(self) -> int:
        return int(self._scalar(select(func.count()).select_from(incidents)))

    # Errors and statistics

    def add_error(self, err: IngestError) -> bool:
        """Record a piece of input that could not be read; the same error again is not a new row."""
        same = select(ingest_errors.c.id).where(
            (ingest_errors.c.origin == err.origin) & (ingest_errors.c.message == err.message)
        )
        with self.engine.begin() as conn:
            if conn.execute(same.limit(1)).first() is not None:
                return False
            conn.execute(
                insert(ingest_errors).values(origin=err.origin, message=err.message, created_at=utc_now())
            )
        return True

    def list_errors(self) -> list[IngestError]:
        query = select(ingest_errors.c.origin, ingest_errors.c.message).order_by(ingest_errors.c.id)
        with self.engine.connect() as conn:
            return [IngestError(origin=row.origin, message=row.message) for row in conn.execute(query)]

    def stats(self) -> dict[str, Any]:
        """Counts of documents, events, incidents and errors; events by type, scope and country."""
        with self.engine.connect() as conn:
            totals = {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in (
                    ("documents", documents),
                    ("events", events_table),
                    ("incidents", incidents),
                    ("errors", ingest_errors),
                )
            }
            by = {
                "by_type": _counts(conn, events_table.c.type),
                "by_scope": _counts(conn, events_table.c.scope),
                "by_country": _counts(conn, events_table.c.country),
            }
        return {**totals, **by}

    # Merge stage: id history, corroboration, links, cases (tables of merge_schema.py)

    def incident_history(self, incident_id: str | None = None) -> list[dict[str, Any]]:
        """Recorded id changes (old_id, new_id, kind: merged | split | review, at), of one incident or all."""
        with self.engine.connect() as conn:
            rows = merging.read_redirects(conn)
        if incident_id is None:
            return rows
        return [row for row in rows if incident_id in (row["old_id"], row["new_id"])]

    def resolve_incident_id(self, incident_id: str) -> str:
        """The current id of an incident: old ids of merged incidents lead to the one they live on in."""
        with self.engine.connect() as conn:
            return merging.resolve_redirect(merging.forward_map(merging.read_redirects(conn)), incident_id)

    def get_corroboration(self, incident_id: str) -> dict[str, Any] | None:
        """Documents, copies, sources, independent sources and the per-source list of one incident."""
        with self.engine.connect() as conn:
            return merging.corroboration_of(conn, incident_id)

    def list_links(self, incident_id: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
        """Links (response_to, case_step, recall_episode) from or to ``incident_id``, or all."""
        with self.engine.connect() as conn:
            return merging.links_of(conn, incident_id, kind)

    def list_cases(self, incident_id: str | None = None) -> list[dict[str, Any]]:
        """Legal cases and recall episodes (with their steps), or those that ``incident_id`` is a step of."""
        with self.engine.connect() as conn:
            return merging.cases_of(conn, incident_id)

    def rejected_incidents(self) -> set[str]:
        """Ids of the incidents a reviewer rejected (exports leave them out)."""
        with self.engine.connect() as conn:
            return merging.rejected(conn)

    def document_copies(self) -> list[dict[str, Any]]:
        """Documents recognised as near-copies: doc_id, copy_of, similarity."""
        with self.engine.connect() as conn:
            return merging.copies(conn)
