"""What the analytics read from the store: incidents (review edits applied, rejected ones left out),
``response_to`` links and legal cases, as plain dataclasses.

Dates stay the incidents' ISO strings of any precision ("2018", "2018-03",
"2018-03-04"); a day count between two of them starts from the first day of
each (``day_of``), and ``precision`` says how coarse the coarser one was.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from plotwatch.models import HOSTILE_TYPES
from plotwatch.store import Store
from plotwatch.store.merge_schema import EDITABLE, cases, incident_links, incident_reviews
from plotwatch.store.schema import events, incidents

__all__ = ["Facts", "IncidentFacts", "day_of", "load_facts", "precision"]

PRECISION = {1: "year", 2: "month", 3: "day"}


def day_of(value: str | None) -> int | None:
    """The first day of an ISO date of any precision, as an ordinal; None when absent or malformed."""
    if not value:
        return None
    try:
        parts = [int(part) for part in value[:10].split("-")]
        return date(*[*parts, 1, 1][:3]).toordinal()
    except (ValueError, TypeError):
        return None


def precision(*values: str | None) -> str | None:
    """The coarsest precision among ISO dates ("year", "month", "day"); None when one is missing."""
    if any(not value for value in values):
        return None
    return PRECISION[min(len(str(value)[:10].split("-")) for value in values)]


@dataclass(frozen=True)
class IncidentFacts:
    incident_id: str
    type: str
    country: str | None
    date: str | None
    actor_state: str | None
    target_state: str | None
    first_reported: str | None
    label: str
    lat: float | None = None
    lon: float | None = None

    @property
    def hostile(self) -> bool:
        return self.type in HOSTILE_TYPES

    @property
    def anchor(self) -> str | None:
        """The incident's date, or its first report when it is undated."""
        return self.date or self.first_reported

    @property
    def year(self) -> str | None:
        return self.anchor[:4] if self.anchor else None

    @property
    def responder(self) -> str | None:
        """The state that took a measure: where it happened, else the acting state."""
        return self.country or self.actor_state


@dataclass
class Facts:
    incidents: dict[str, IncidentFacts] = field(default_factory=dict)
    responses_to: dict[str, list[str]] = field(default_factory=dict)  # hostile id -> response ids
    cases: list[dict[str, Any]] = field(default_factory=list)

    def hostiles(self) -> list[IncidentFacts]:
        return sorted((i for i in self.incidents.values() if i.hostile), key=lambda i: (i.anchor or "", i.incident_id))

    def of_type(self, *types: str) -> list[IncidentFacts]:
        found = (i for i in self.incidents.values() if i.type in types)
        return sorted(found, key=lambda i: (day_of(i.anchor) or 0, i.incident_id))

    def filtered(self, state: str | None = None, since: str | None = None) -> Facts:
        """The hostile incidents behind ``state`` dated (or first reported) from ``since`` on, their
        responses, and the other measures by, against or in ``state`` from ``since`` on."""

        def kept(incident: IncidentFacts) -> bool:
            recent = since is None or (incident.anchor or "")[: len(since)] >= since
            if incident.hostile:
                return recent and (state is None or incident.actor_state == state)
            return recent and (state is None or state in (incident.actor_state, incident.target_state,
                                                              incident.country))  # fmt: skip

        found = {key: value for key, value in self.incidents.items() if kept(value)}
        answers = {key: value for key, value in self.responses_to.items() if key in found}
        found.update({r: self.incidents[r] for ids in answers.values() for r in ids})
        legal = [case for case in self.cases if case["plot_id"] in found
                 or any(step["incident_id"] in found for step in case["steps"])]  # fmt: skip
        return Facts(found, answers, legal)


def _incident_rows(conn: Connection) -> list[dict[str, Any]]:
    query = select(incidents, *(incident_reviews.c[name].label(f"r_{name}") for name in EDITABLE),
                   incident_reviews.c.status.label("r_status")).outerjoin(
        incident_reviews, incident_reviews.c.incident_id == incidents.c.incident_id)  # fmt: skip
    rows = []
    for row in conn.execute(query).mappings():
        if row["r_status"] == "rejected":
            continue
        record = {name: row[name] for name in (column.name for column in incidents.columns)}
        record.update({name: row[f"r_{name}"] for name in EDITABLE if row[f"r_{name}"] is not None})
        rows.append(record)
    return rows


def _points(conn: Connection) -> dict[str, tuple[float, float]]:
    """One coordinate per incident: the first geocoded event's place."""
    query = (
        select(events.c.incident_id, events.c.place_lat, events.c.place_lon)
        .where(events.c.incident_id.is_not(None), events.c.place_lat.is_not(None), events.c.place_lon.is_not(None))
        .order_by(events.c.incident_id, events.c.event_id)
    )
    found: dict[str, tuple[float, float]] = {}
    for row in conn.execute(query):
        found.setdefault(row.incident_id, (float(row.place_lat), float(row.place_lon)))
    return found


def load_facts(store: Store) -> Facts:
    """Every live incident, the response links between them and the legal cases, from one connection."""
    with store.engine.connect() as conn:
        points = _points(conn)
        found = {}
        for row in _incident_rows(conn):
            lat, lon = points.get(row["incident_id"], (None, None))
            keys = ("incident_id", "type", "country", "date", "actor_state", "target_state", "first_reported", "label")
            found[row["incident_id"]] = IncidentFacts(**{k: row[k] for k in keys}, lat=lat, lon=lon)
        answers: dict[str, list[str]] = defaultdict(list)
        query = (
            select(incident_links.c.source_id, incident_links.c.target_id)
            .where(incident_links.c.kind == "response_to")
            .order_by(incident_links.c.target_id, incident_links.c.source_id)
        )
        for link in conn.execute(query):
            if link.source_id in found and link.target_id in found:
                answers[link.target_id].append(link.source_id)
        legal = [dict(row) for row in conn.execute(select(cases).where(cases.c.kind == "legal")).mappings()]
    return Facts(found, dict(answers), sorted(legal, key=lambda c: (c["start"] or "", c["case_id"])))
