"""The analyze stage: answers from the store about plots and the responses to them.

``analyze(store)`` gathers every table (``Analytics``); the functions it calls
are public too, each taking the ``Facts`` that ``load_facts`` reads:

- ``incident_responses``: per hostile incident, the linked responses and their lags;
- ``by_host_state``: per host state, response rate and median lag by response type;
- ``by_perpetrator``: per state behind plots, incidents by year, type and host country;
- ``unified_for_incident`` / ``unified_in_window``: states taking the same measure within N days;
- ``recall_episodes``: RECALL → RESTORE pairs with durations, and recalls never reversed;
- ``legal_durations``: days from arrest to charge, verdict and release.

Every row keeps the incident ids behind its numbers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from plotwatch.analyze.episodes import legal_durations, recall_episodes
from plotwatch.analyze.facts import Facts, IncidentFacts, day_of, load_facts
from plotwatch.analyze.responses import by_host_state, by_perpetrator, incident_responses
from plotwatch.analyze.unified import DEFAULT_DAYS, unified_for_incident, unified_in_window
from plotwatch.store import Store

__all__ = [
    "DEFAULT_DAYS",
    "Analytics",
    "Facts",
    "IncidentFacts",
    "analyze",
    "by_host_state",
    "by_perpetrator",
    "day_of",
    "incident_responses",
    "legal_durations",
    "load_facts",
    "recall_episodes",
    "summarize",
    "unified_for_incident",
    "unified_in_window",
]


@dataclass
class Analytics:
    state: str | None
    since: str | None
    days: int
    totals: dict[str, int] = field(default_factory=dict)
    plots: list[dict[str, Any]] = field(default_factory=list)
    hosts: list[dict[str, Any]] = field(default_factory=list)
    perpetrators: list[dict[str, Any]] = field(default_factory=list)
    unified: list[dict[str, Any]] = field(default_factory=list)
    recalls: list[dict[str, Any]] = field(default_factory=list)
    legal: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarize(facts: Facts, state: str | None = None, since: str | None = None, days: int = DEFAULT_DAYS,
              as_of: date | None = None) -> Analytics:  # fmt: skip
    """Every analytics table over ``facts`` narrowed to ``state`` (behind the plots) and ``since``."""
    facts = facts.filtered(state, since)
    plots = incident_responses(facts)
    totals = {"incidents": len(facts.incidents), "hostile": len(plots),
              "responded": sum(1 for plot in plots if plot["responses"]),
              "responses": len({r["incident_id"] for plot in plots for r in plot["responses"]})}  # fmt: skip
    return Analytics(state, since, days, totals, plots, by_host_state(facts), by_perpetrator(facts),
                     unified_in_window(facts, since=since, days=days), recall_episodes(facts, as_of),
                     legal_durations(facts))  # fmt: skip


def analyze(store: Store, state: str | None = None, since: str | None = None, days: int = DEFAULT_DAYS,
            as_of: date | None = None) -> Analytics:  # fmt: skip
    """Read the store once and compute every analytics table (see the module docstring)."""
    return summarize(load_facts(store), state, since, days, as_of)
