"""One data function per page: the HTML page and its JSON twin both render what these return.

Every function returns plain JSON-ready values (dicts, lists, strings,
numbers); the templates escape every string they show.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, func, select

from plotwatch.errors import NotFoundError
from plotwatch.models import HOSTILE_TYPES
from plotwatch.resolve.states import state_name
from plotwatch.store import Store
from plotwatch.store.schema import documents, events, incidents
from plotwatch.web import links, queries, review, search
from plotwatch.web.filters import Filters
from plotwatch.web.highlight import excerpt, highlight_all, locate
from plotwatch.web.tables import incident_reviews
from plotwatch.web.timeline import layout


class MovedOrMissing(NotFoundError):
    """No incident ``incident_id``; ``current`` is where a merge moved it (or the same id: gone)."""

    def __init__(self, incident_id: str, current: str) -> None:
        super().__init__(f"no incident {incident_id!r}")
        self.current = current if current != incident_id else None


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL with a host, else None (no javascript:, data:, relative...)."""
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _pages(total: int, page: int, size: int) -> dict[str, Any]:
    pages = max(1, math.ceil(total / size))
    return {
        "total": total,
        "page": page,
        "pages": pages,
        "page_size": size,
        "prev": page - 1 if page > 1 else None,
        "next": page + 1 if page < pages else None,
    }


def _totals(conn: Connection) -> dict[str, int]:
    totals = {
        name: conn.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in (("documents", documents), ("events", events))
    }
    status = incident_reviews.c.status
    reviewed: dict[str, int] = {row[0]: row[1] for row in conn.execute(select(status, func.count()).group_by(status))}
    return {**totals, "confirmed": reviewed.get("confirmed", 0), "rejected": reviewed.get("rejected", 0)}


def _by_type(conn: Connection, filters: Filters) -> dict[str, int]:
    matching = queries.filtered(filters).subquery()
    query = select(matching.c.type, func.count().label("n")).group_by(matching.c.type).order_by(func.count().desc())
    return {row.type: row.n for row in conn.execute(query)}


def home_data(store: Store, filters: Filters) -> dict[str, Any]:
    """Counts, incidents by type, the latest incidents and the month-by-type timeline."""
    with store.engine.connect() as conn:
        counts = {**_totals(conn), "incidents": queries.count_filtered(conn, filters)}
        by_type = _by_type(conn, filters)
        latest = queries.incident_records(conn, queries.filtered(filters).limit(12))
        timeline = layout(queries.timeline_counts(conn, filters))
    return {"filters": filters.params(), "counts": counts, "by_type": by_type, "latest": latest, "timeline": timeline}


def incidents_data(store: Store, filters: Filters, page: int, size: int) -> dict[str, Any]:
    """One page of the incidents matching ``filters``."""
    with store.engine.connect() as conn:
        total, rows = queries.page_of(conn, filters, page, size)
    return {"filters": filters.params(), **_pages(total, page, size), "incidents": rows}


def _document_meta(store: Store, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    metas: dict[str, dict[str, Any]] = {}
    for doc_id in doc_ids:
        doc = store.get_document(doc_id)
        if doc is not None:
            metas[doc_id] = {
                "doc_id": doc_id,
                "title": doc.title,
                "url": doc.url,
                "href": safe_href(doc.url),
                "source": doc.source,
                "published": doc.published,
                "text": doc.text,
            }
    return metas


def _event_view(event: dict[str, Any], text: str | None) -> dict[str, Any]:
    evidence = event["evidence"]
    where = locate(text, evidence["text"], evidence["start"], evidence["end"]) if text is not None else None
    context = excerpt(text, *where, key=event["event_id"]) if text is not None and where else None
    return {
        **event,
        "context": [segment.to_dict() for segment in context] if context else None,
        "offsets_match": where == (evidence["start"], evidence["end"]),
    }


def _sources(events_: list[dict[str, Any]], metas: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    per_doc = Counter(event["doc_id"] for event in events_)
    return [
        {key: value for key, value in metas[doc_id].items() if key != "text"} | {"n_events": n}
        for doc_id, n in per_doc.items()
        if doc_id in metas
    ]


def _machine_values(store: Store, incident_id: str, names: list[str]) -> dict[str, Any]:
    """The pipeline's own values of ``names`` (before any reviewer's edit)."""
    if not names:
        return {}
    with store.engine.connect() as conn:
        row = conn.execute(select(incidents).where(incidents.c.incident_id == incident_id)).mappings().first()
    return {name: row[name] for name in names} if row else {}


def incident_data(store: Store, incident_id: str) -> dict[str, Any]:
    """An incident with its events (evidence in context), sources, review and related incidents."""
    with store.engine.connect() as conn:
        row = queries.incident_row(conn, incident_id)
        if row is None:
            raise MovedOrMissing(incident_id, store.resolve_incident_id(incident_id))
        overlay = (
            conn.execute(select(incident_reviews).where(incident_reviews.c.incident_id == incident_id))
            .mappings()
            .first()
        )
        history = review.history(conn, incident_id)
        related = queries.co_reported(conn, incident_id)
    detail = store.get_incident(incident_id) or {"events": [], "doc_ids": []}
    metas = _document_meta(store, list(dict.fromkeys(event["doc_id"] for event in detail["events"])))
    events_ = [_event_view(event, metas.get(event["doc_id"], {}).get("text")) for event in detail["events"]]
    sources = _sources(events_, metas)
    edited = {name: overlay[name] for name in review.EDITABLE if overlay and overlay[name] is not None}
    pipeline = _machine_values(store, incident_id, list(edited))
    return {
        "incident": row,
        "events": events_,
        "sources": sources,
        "n_outlets": len({source["source"] for source in sources if source["source"]}),
        "review": {
            "status": row["review"],
            "edited": edited,
            "pipeline": pipeline,
            "by": overlay["updated_by"] if overlay else None,
            "at": overlay["updated_at"] if overlay else None,
        },
        "history": history,
        "related": related,
        **links.incident_links(store, row),
    }


def document_data(store: Store, doc_id: str) -> dict[str, Any]:
    """A stored document's full text with every event's evidence marked."""
    doc = store.get_document(doc_id)
    if doc is None:
        raise NotFoundError(f"no document {doc_id!r}")
    with store.engine.connect() as conn:
        query = select(
            events.c.event_id,
            events.c.incident_id,
            events.c.type,
            events.c.status,
            events.c.evidence_text,
            events.c.evidence_start,
            events.c.evidence_end,
        ).where(events.c.doc_id == doc_id)
        rows = [dict(row) for row in conn.execute(query.order_by(events.c.evidence_start)).mappings()]
    spans = []
    for row in rows:
        where = locate(doc.text, row["evidence_text"], row["evidence_start"], row["evidence_end"])
        if where:
            spans.append((*where, row["event_id"]))
    return {
        "document": {
            "doc_id": doc.doc_id,
            "title": doc.title,
            "url": doc.url,
            "href": safe_href(doc.url),
            "source": doc.source,
            "published": doc.published,
            "language": doc.language,
        },
        "text": [segment.to_dict() for segment in highlight_all(doc.text, spans)],
        "events": rows,
    }


def state_data(store: Store, code: str, limit: int) -> dict[str, Any]:
    """A state as perpetrator abroad, as host (its responses), as target of responses, as host of plots."""
    code = code.upper()
    sections: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for role in queries.state_roles():
            total, rows = queries.state_incidents(conn, code, role, limit)
            sections[role] = {"total": total, "incidents": rows}
    links.response_lags(store, sections["host"]["incidents"])
    if not any(section["total"] for section in sections.values()) and state_name(code) == code:
        raise NotFoundError(f"no state {code!r} in the data")
    return {"code": code, "name": state_name(code), "sections": sections}


def agency_data(store: Store, agency_id: str, page: int, size: int) -> dict[str, Any]:
    with store.engine.connect() as conn:
        found = queries.agency_name(conn, agency_id)
    if found is None:
        raise NotFoundError(f"no agency {agency_id!r} acts in any stored event")
    listing = incidents_data(store, Filters(agency=agency_id, scope="all"), page, size)
    return {"agency": {"id": agency_id, "name": found[0], "state": found[1]}, **listing}


def map_data(store: Store, filters: Filters) -> dict[str, Any]:
    """Every matching incident that has coordinates, as a map marker."""
    with store.engine.connect() as conn:
        places = queries.locations(conn, filters)
        rows = conn.execute(queries.markers(filters)).all()
    markers = [
        {"incident_id": incident_id, "label": label, "type": type_, "date": date, "hostile": type_ in HOSTILE_TYPES,
         "review": review, "lat": places[incident_id][0], "lon": places[incident_id][1],
         "place": places[incident_id][2]}
        for incident_id, label, type_, date, review in sorted(rows, key=lambda row: row[3] or "")
        if incident_id in places
    ]  # fmt: skip
    return {"filters": filters.params(), "total": len(rows), "located": len(markers), "incidents": markers}


def search_data(store: Store, query: str, limit: int = 50) -> dict[str, Any]:
    hits = search.search(store.engine, query, limit)
    return {
        "q": query,
        "incidents": [
            {"incident_id": key, "label": title, "snippet": search.segments(snip)}
            for key, title, snip in hits["incident"]
        ],
        "documents": [
            {"doc_id": key, "title": title, "snippet": search.segments(snip)} for key, title, snip in hits["document"]
        ],
    }


def audit_data(store: Store, page: int, size: int) -> dict[str, Any]:
    with store.engine.connect() as conn:
        total, entries = review.recent(conn, size, (page - 1) * size)
    return {**_pages(total, page, size), "entries": entries}
