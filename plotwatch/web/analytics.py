"""The analytics page's data: ``plotwatch.analyze`` narrowed by state and year, with the incidents behind it.

``/analytics`` and ``/analytics.json`` both render ``analytics_data``: the
tables of ``Analytics.to_dict()`` (every row keeps the incident ids behind its
numbers), the filters, the per-year counts of the charts, and a short record
of each incident any number points to, so a reader of the JSON needs no
second request to label them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plotwatch.analyze import DEFAULT_DAYS, IncidentFacts, load_facts, summarize
from plotwatch.store import Store
from plotwatch.web.filters import FilterError

__all__ = ["AnalyticsFilters", "analytics_data", "parse_analytics"]

_STATE = re.compile(r"^(?:[A-Z]{3}|EU)$")
_SINCE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
MAX_DAYS = 3650


@dataclass(frozen=True)
class AnalyticsFilters:
    """``state`` behind the plots (ISO alpha-3), ``since`` (a year or ISO date), ``days`` (unified window)."""

    state: str | None = None
    since: str | None = None
    days: int = DEFAULT_DAYS

    def params(self) -> dict[str, str]:
        """The filters that differ from the defaults, as query parameters."""
        values = {"state": self.state, "since": self.since, "days": self.days if self.days != DEFAULT_DAYS else None}
        return {key: str(value) for key, value in values.items() if value is not None}


def parse_analytics(query: Mapping[str, str]) -> AnalyticsFilters:
    """The filters from a query string; a bad value raises FilterError naming it and what is allowed."""
    state = query.get("state", "").strip().upper() or None
    if state and not _STATE.match(state):
        raise FilterError(f"state={state!r}: expected an ISO 3166 alpha-3 code such as IRN, or EU")
    since = query.get("since", "").strip() or None
    if since and not _SINCE.match(since):
        raise FilterError(f"since={since!r}: expected a year or date, YYYY, YYYY-MM or YYYY-MM-DD")
    days = query.get("days", "").strip() or str(DEFAULT_DAYS)
    if not days.isdigit() or not 1 <= int(days) <= MAX_DAYS:
        raise FilterError(f"days={days!r}: expected a whole number of days from 1 to {MAX_DAYS}")
    return AnalyticsFilters(state, since, int(days))


def _ids_in(value: Any) -> set[str]:
    """Every incident id a table mentions (in ``*_id`` fields and ``*_ids`` lists, at any depth)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_id") and key != "case_id" and isinstance(item, str):
                found.add(item)
            elif key.endswith("_ids") and isinstance(item, list):
                found.update(i for i in item if isinstance(i, str))
            else:
                found |= _ids_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= _ids_in(item)
    return found


def _record(incident: IncidentFacts) -> dict[str, Any]:
    return {"type": incident.type, "date": incident.anchor, "country": incident.country,
            "actor_state": incident.actor_state, "target_state": incident.target_state,
            "label": incident.label}  # fmt: skip


def _by_year(plots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hostile incidents per year, the years between the first and the last included (with 0)."""
    years: dict[str, list[str]] = defaultdict(list)
    for plot in plots:
        years[(plot["date"] or "undated")[:4]].append(plot["incident_id"])
    dated = sorted(int(year) for year in years if year.isdigit())
    for year in range(dated[0], dated[-1]) if dated else ():
        years.setdefault(f"{year:04d}", [])
    return [{"year": year, "n": len(ids), "incident_ids": ids} for year, ids in sorted(years.items())]


def analytics_data(store: Store, filters: AnalyticsFilters) -> dict[str, Any]:
    """Response analytics of the plots behind ``filters.state`` from ``filters.since`` on (all when unset)."""
    facts = load_facts(store)
    result = summarize(facts, filters.state, filters.since, filters.days).to_dict()
    never = [ep["recall_id"] for ep in result["recalls"] if not ep["reversed"]]
    result["totals"]["never_reversed"] = len(never)
    tables = ("plots", "hosts", "perpetrators", "unified", "recalls", "legal")
    referenced = _ids_in({key: result[key] for key in tables})
    incidents = {key: _record(facts.incidents[key]) for key in sorted(referenced) if key in facts.incidents}
    return {"filters": filters.params(), **result, "by_year": _by_year(result["plots"]), "never_reversed_ids": never,
            "incidents": incidents}  # fmt: skip
