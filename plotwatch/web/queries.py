"""Read queries of the web app (SQLAlchemy Core against ``store.engine``).

Incidents are read through the review overlay: a field a reviewer edited
(``incident_reviews``) replaces the pipeline's value everywhere, in filters
and in what is shown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, String, and_, func, literal, or_, select

from plotwatch.models import HOSTILE_TYPES, RESPONSE_TYPES
from plotwatch.store.merge_schema import incident_corroboration as corroboration
from plotwatch.store.schema import documents, events, incidents
from plotwatch.web.filters import Filters
from plotwatch.web.tables import incident_reviews as reviews

OVERRIDABLE = ("type", "country", "date", "date_end", "actor_state", "target_state", "label")
SCOPE_VALUES = {"default": ("transnational", "unknown"), "transnational": ("transnational",)}
CHUNK = 500

_joined = incidents.outerjoin(reviews, reviews.c.incident_id == incidents.c.incident_id).outerjoin(
    corroboration, corroboration.c.incident_id == incidents.c.incident_id
)
effective: dict[str, Any] = {name: func.coalesce(reviews.c[name], incidents.c[name]) for name in OVERRIDABLE}
review_status = func.coalesce(reviews.c.status, literal("unreviewed", String))
# Independent sources as the merge stage counts them; the documents when it has not yet.
independent = func.coalesce(corroboration.c.n_independent, incidents.c.n_documents)


def incident_columns() -> list[Any]:
    return [
        incidents.c.incident_id,
        *(effective[name].label(name) for name in OVERRIDABLE),
        incidents.c.n_events,
        incidents.c.n_documents,
        independent.label("n_independent"),
        incidents.c.confidence,
        incidents.c.first_reported,
        incidents.c.last_reported,
        review_status.label("review"),
    ]


def _date_range(query: Select[Any], since: str | None, until: str | None) -> Select[Any]:
    """Keep incidents whose dates overlap the range (prefix tests, as ``Store.list_incidents``)."""
    start, end = effective["date"], effective["date_end"]
    if since:
        latest = func.coalesce(end, start)
        query = query.where(or_(latest >= since, literal(since, String).startswith(latest)))
    if until:
        query = query.where(or_(start <= until, start.startswith(until)))
    return query


def _member_exists(*conditions: Any) -> Any:
    """Incidents with an event meeting ``conditions`` (an IN list: SQLite builds it once, unlike EXISTS)."""
    return incidents.c.incident_id.in_(select(events.c.incident_id).where(*conditions))


def _review_filter(query: Select[Any], review: str) -> Select[Any]:
    if review == "":
        return query.where(review_status != "rejected")
    if review == "all":
        return query
    return query.where(review_status == review)


def apply_filters(query: Select[Any], filters: Filters) -> Select[Any]:
    """``query`` (over incidents joined with their reviews) restricted to ``filters``."""
    for name, value in (("type", filters.type), ("country", filters.country), ("actor_state", filters.actor)):
        if value:
            query = query.where(effective[name] == value)
    query = _date_range(query, filters.since, filters.until)
    if filters.min_confidence is not None:
        query = query.where(incidents.c.confidence >= filters.min_confidence)
    if filters.min_sources:
        query = query.where(independent >= filters.min_sources)
    if filters.status:
        query = query.where(_member_exists(events.c.status == filters.status))
    if filters.agency:
        query = query.where(_member_exists(events.c.actor_id == filters.agency))
    if filters.scope in SCOPE_VALUES:
        query = query.where(_member_exists(events.c.scope.in_(SCOPE_VALUES[filters.scope])))
    return _review_filter(query, filters.review)


def _ordered(query: Select[Any], sort: str) -> Select[Any]:
    date = effective["date"]
    if sort == "sources":
        keys = [independent.desc(), incidents.c.n_documents.desc(), date.desc().nulls_last()]
    elif sort == "confidence":
        keys = [incidents.c.confidence.desc(), date.desc().nulls_last()]
    else:
        keys = [date.desc().nulls_last(), incidents.c.n_documents.desc()]
    return query.order_by(*keys, incidents.c.incident_id)


def markers(filters: Filters) -> Select[Any]:
    """The few columns of a map marker, for every incident matching ``filters`` (unordered)."""
    columns = [incidents.c.incident_id, *(effective[name].label(name) for name in ("label", "type", "date"))]
    return apply_filters(select(*columns, review_status.label("review")).select_from(_joined), filters)


def filtered(filters: Filters) -> Select[Any]:
    """Every incident matching ``filters``, in the order asked for."""
    query = select(*incident_columns()).select_from(_joined)
    return _ordered(apply_filters(query, filters), filters.sort)


def page_of(conn: Connection, filters: Filters, page: int, size: int) -> tuple[int, list[dict[str, Any]]]:
    """The total of incidents matching ``filters`` and the records of one page.

    Two queries: on SQLite a ``count(*) OVER ()`` column measured slower than a separate count.
    """
    rows = incident_records(conn, filtered(filters).limit(size).offset((page - 1) * size))
    return count_filtered(conn, filters), rows


def count_filtered(conn: Connection, filters: Filters) -> int:
    query = apply_filters(select(func.count()).select_from(_joined), filters)
    return int(conn.execute(query).scalar_one())


def chunks(items: Sequence[str], size: int = CHUNK) -> list[Sequence[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def member_summaries(conn: Connection, incident_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per incident: the most common event status, whether any report hedges, outlets named."""
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    hedged: dict[str, bool] = defaultdict(bool)
    outlets: dict[str, set[str]] = defaultdict(set)
    for part in chunks(incident_ids):
        query = (
            select(events.c.incident_id, events.c.status, events.c.hedged, documents.c.source)
            .join(documents, documents.c.doc_id == events.c.doc_id)
            .where(events.c.incident_id.in_(part))
        )
        for row in conn.execute(query):
            statuses[row.incident_id][row.status] += 1
            hedged[row.incident_id] |= bool(row.hedged)
            if row.source:
                outlets[row.incident_id].add(row.source)
    return {
        incident_id: {
            "status": statuses[incident_id].most_common(1)[0][0] if statuses[incident_id] else None,
            "hedged": hedged[incident_id],
            "n_outlets": len(outlets[incident_id]),
        }
        for incident_id in incident_ids
    }


def incident_records(conn: Connection, query: Select[Any]) -> list[dict[str, Any]]:
    """The rows of ``query`` (``incident_columns``) as records with their member summaries."""
    rows = [dict(row) for row in conn.execute(query).mappings()]
    summaries = member_summaries(conn, [row["incident_id"] for row in rows])
    for row in rows:
        row.update(summaries[row["incident_id"]])
        row["hostile"] = row["type"] in HOSTILE_TYPES
    return rows


def incident_row(conn: Connection, incident_id: str) -> dict[str, Any] | None:
    query = select(*incident_columns()).select_from(_joined).where(incidents.c.incident_id == incident_id)
    records = incident_records(conn, query)
    return records[0] if records else None


def timeline_counts(conn: Connection, filters: Filters) -> list[tuple[str, str, int]]:
    """(month "YYYY-MM", type, incidents) for incidents dated to the month or day."""
    month = func.substr(effective["date"], 1, 7)
    query = select(month.label("month"), effective["type"].label("type"), func.count().label("n"))
    query = apply_filters(query.select_from(_joined), filters).where(func.length(effective["date"]) >= 7)
    query = query.group_by(month, effective["type"]).order_by(month)
    return [(row.month, row.type, row.n) for row in conn.execute(query)]


def locations(conn: Connection, filters: Filters) -> dict[str, tuple[float, float, str | None]]:
    """incident_id → the place most of its located events name (lat, lon, name)."""
    ids = apply_filters(select(incidents.c.incident_id).select_from(_joined), filters)
    place = (events.c.place_lat, events.c.place_lon, events.c.place_name)
    query = (
        select(events.c.incident_id, *place)
        .where(events.c.incident_id.in_(ids), events.c.place_lat.is_not(None), events.c.place_lon.is_not(None))
        .group_by(events.c.incident_id, *place)
        .order_by(events.c.incident_id, func.count().desc())
    )
    found: dict[str, tuple[float, float, str | None]] = {}
    for incident_id, lat, lon, name in conn.execute(query):
        if incident_id not in found:
            found[incident_id] = (round(lat, 4), round(lon, 4), name)
    return found


def state_roles() -> dict[str, tuple[str, tuple[str, ...]]]:
    """The sections of a state page: (column the state is in, event types)."""
    hostile, responses = tuple(sorted(HOSTILE_TYPES)), tuple(sorted(RESPONSE_TYPES))
    return {
        "perpetrator": ("actor_state", hostile),
        "host": ("country", responses),
        "targeted": ("target_state", responses),
        "hosted": ("country", hostile),
    }


def state_incidents(conn: Connection, code: str, role: str, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """Incidents where the state ``code`` plays ``role`` (see ``state_roles``): total and first rows."""
    column, types = state_roles()[role]
    base = select(*incident_columns()).select_from(_joined)
    condition = and_(effective[column] == code, effective["type"].in_(types), review_status != "rejected")
    total = conn.execute(select(func.count()).select_from(_joined).where(condition)).scalar_one()
    rows = incident_records(conn, _ordered(base.where(condition), "date").limit(limit))
    return int(total), rows


def agency_name(conn: Connection, agency_id: str) -> tuple[str | None, str | None] | None:
    """(name, state) of an agency as the events name it; None when no event does."""
    query = (
        select(events.c.actor_name, events.c.actor_state, func.count().label("n"))
        .where(events.c.actor_id == agency_id)
        .group_by(events.c.actor_name, events.c.actor_state)
        .order_by(func.count().desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    return (row.actor_name, row.actor_state) if row else None


def co_reported(conn: Connection, incident_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """Other incidents that share a document with this one (reported together)."""
    mine = select(events.c.doc_id).where(events.c.incident_id == incident_id)
    others = (
        select(events.c.incident_id)
        .where(events.c.doc_id.in_(mine), events.c.incident_id != incident_id, events.c.incident_id.is_not(None))
        .distinct()
    )
    query = select(*incident_columns()).select_from(_joined).where(incidents.c.incident_id.in_(others))
    return incident_records(conn, query.order_by(effective["date"].asc().nulls_last()).limit(limit))
