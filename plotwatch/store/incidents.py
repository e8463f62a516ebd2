"""Incident rows: summaries computed from their events, labels, queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Select, String, func, literal, or_, select

from plotwatch.models import HOSTILE_TYPES, Incident
from plotwatch.store import merging
from plotwatch.store.schema import documents, events, incidents

# Bound parameters per IN (...) list: well under SQLite's and PostgreSQL's limits.
CHUNK = 500


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def most_common(values: Iterable[str | None]) -> str | None:
    """The most frequent non-null value; ties go to the one seen first."""
    counts = Counter(value for value in values if value)
    return counts.most_common(1)[0][0] if counts else None


def make_label(row: Mapping[Any, Any]) -> str:
    """A short human label: "EXPEL in NLD, 2018-06 (IRN)".

    The state in brackets is the other side: the sponsor of a hostile act, the
    state whose people a response is aimed at.
    """
    if row["type"] in HOSTILE_TYPES:
        other = row["actor_state"] or row["target_state"]
    else:
        other = row["target_state"] or row["actor_state"]
    label = row["type"]
    if row["country"]:
        label += f" in {row['country']}"
    if row["date"]:
        label += f", {row['date'][:7]}"
    if other and other != row["country"]:
        label += f" ({other})"
    return str(label)


def summarize(incident: Incident, published: Mapping[str, str | None]) -> dict[str, Any]:
    """The incidents row of one incident; ``published`` maps doc_id to its date."""
    evs = incident.events
    starts = [event.date for event in evs if event.date]
    ends = [end for event in evs if (end := event.date_end or event.date)]
    reported = [day for doc_id in incident.documents if (day := published.get(doc_id))]
    row: dict[str, Any] = {
        "incident_id": incident.incident_id,
        "type": incident.type,
        "country": most_common(event.country for event in evs),
        "date": min(starts, default=None),
        "date_end": max(ends, default=None),
        "actor_state": most_common(event.actor.state for event in evs),
        "target_state": most_common(event.target.state for event in evs),
        "n_events": len(evs),
        "n_documents": len(incident.documents),
        "confidence": incident.confidence,
        "first_reported": min(reported, default=None),
        "last_reported": max(reported, default=None),
    }
    row["label"] = make_label(row)
    return row


def published_dates(conn: Connection, doc_ids: Sequence[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for part in chunks(doc_ids):
        query = select(documents.c.doc_id, documents.c.published).where(documents.c.doc_id.in_(part))
        found.update({row.doc_id: row.published for row in conn.execute(query)})
    return found


def incidents_query(
    type: str | None = None,
    country: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> Select[Any]:
    """Incidents matching every filter given, most reported first.

    ``since``/``until`` are ISO dates of any precision and keep the incidents
    whose dates overlap the range: one dated "2018" is kept by
    ``since="2018-06"``, and one dated "2018-06-20" by ``until="2018-06"``
    (a prefix test rather than padding, so no collation order matters).
    ``actor`` is the state behind the incident (``actor_state``).
    """
    query = select(incidents)
    if type:
        query = query.where(incidents.c.type == type)
    if country:
        query = query.where(incidents.c.country == country)
    if actor:
        query = query.where(incidents.c.actor_state == actor)
    if since:
        latest = func.coalesce(incidents.c.date_end, incidents.c.date)
        query = query.where(or_(latest >= since, literal(since, String).startswith(latest)))
    if until:
        query = query.where(or_(incidents.c.date <= until, incidents.c.date.startswith(until)))
    query = query.order_by(
        incidents.c.n_documents.desc(), incidents.c.date.asc().nulls_last(), incidents.c.incident_id
    )
    return query.limit(limit) if limit is not None else query


def members_query(incident_ids: Sequence[str], full: bool = True) -> Select[Any]:
    """Events of the given incidents, in reading order (earliest report first).

    ``full`` selects every events column with the document's url and published
    date (what ``rows.event_record`` needs); otherwise only the ids.
    """
    columns: list[Any] = [events.c.incident_id, events.c.event_id, events.c.doc_id]
    if full:
        columns = [events, documents.c.url.label("doc_url"), documents.c.published.label("doc_published")]
    return (
        select(*columns)
        .join(documents, documents.c.doc_id == events.c.doc_id)
        .where(events.c.incident_id.in_(incident_ids))
        .order_by(
            events.c.incident_id,
            documents.c.published.asc().nulls_last(),
            events.c.doc_id,
            events.c.evidence_start,
            events.c.event_id,
        )
    )


def _overlay_defaults() -> dict[str, Any]:
    counts = ("n_documents", "n_copies", "n_sources", "n_independent", "state_affiliated")
    sources: dict[str, Any] = {**dict.fromkeys(counts, 0), "sources": []}
    return {"review": "unreviewed", "sources": sources, "links": [], "case_ids": []}


def with_members(conn: Connection, rows: Sequence[Mapping[Any, Any]]) -> list[dict[str, Any]]:
    """Incident records: the rows with the ids of their events and documents."""
    records = {row["incident_id"]: {**row, "event_ids": [], "doc_ids": []} for row in rows}
    for record in records.values():
        record.update(_overlay_defaults())
    for part in chunks(list(records)):
        for member in conn.execute(members_query(part, full=False)):
            record = records[member.incident_id]
            record["event_ids"].append(member.event_id)
            if member.doc_id not in record["doc_ids"]:
                record["doc_ids"].append(member.doc_id)
    merging.enrich(conn, records)
    return list(records.values())
