"""Unified responses: several states taking the same kind of measure within a few days.

The reference case is the coordinated expulsion of Russian diplomats after the
Salisbury poisoning (March 2018). For one hostile incident, the responses
linked to it are grouped by type; for a time window, every response of a type
is grouped by the state it is against (when known; tit-for-tat measures
are not one unified response) and cut into runs (a run starts at a response and takes every later one
within ``days`` of that start). A group counts distinct responding states.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from plotwatch.analyze.facts import Facts, IncidentFacts, day_of
from plotwatch.models import RESPONSE_TYPES

__all__ = ["unified_for_incident", "unified_in_window"]

DEFAULT_DAYS = 30


def _group(kind: str, members: list[IncidentFacts], against: str | None = None) -> dict[str, Any]:
    states = sorted({m.responder for m in members if m.responder})
    return {"type": kind, "against": against, "n_states": len(states), "states": states,
            "first": members[0].anchor, "last": members[-1].anchor,
            "incident_ids": [m.incident_id for m in members]}  # fmt: skip


def _runs(members: list[IncidentFacts], days: int) -> list[list[IncidentFacts]]:
    """Dated incidents in date order, cut into runs of at most ``days`` from each run's first one."""
    runs: list[list[IncidentFacts]] = []
    for member in members:
        day = day_of(member.anchor)
        if day is None:
            continue
        if runs and day - (day_of(runs[-1][0].anchor) or day) <= days:
            runs[-1].append(member)
        else:
            runs.append([member])
    return runs


def unified_for_incident(facts: Facts, incident_id: str, days: int = DEFAULT_DAYS) -> list[dict[str, Any]]:
    """Per response type, the states that answered ``incident_id`` that way within ``days`` of the first
    such response (undated responses are listed apart, in ``undated_states``)."""
    by_type: dict[str, list[IncidentFacts]] = defaultdict(list)
    for response_id in facts.responses_to.get(incident_id, []):
        response = facts.incidents[response_id]
        by_type[response.type].append(response)
    groups = []
    for kind, members in sorted(by_type.items()):
        members.sort(key=lambda m: (day_of(m.anchor) or 0, m.incident_id))
        runs = _runs(members, days)
        group = _group(kind, runs[0]) if runs else {"type": kind, "n_states": 0, "states": [], "first": None,
                                                     "last": None, "incident_ids": []}  # fmt: skip
        group["undated_states"] = sorted({m.responder for m in members if day_of(m.anchor) is None and m.responder})
        groups.append(group)
    return sorted(groups, key=lambda g: (-g["n_states"], g["type"]))


def _within(anchor: str | None, since: str | None, until: str | None) -> bool:
    """An ISO date falls in [since, until], comparing at the precision of each bound."""
    if anchor is None:
        return False
    return (since is None or anchor[: len(since)] >= since) and (until is None or anchor[: len(until)] <= until)


def unified_in_window(facts: Facts, since: str | None = None, until: str | None = None, days: int = DEFAULT_DAYS,
                      min_states: int = 2) -> list[dict[str, Any]]:  # fmt: skip
    """Runs of one response type by at least ``min_states`` states within ``days``, dated between
    ``since`` and ``until`` (ISO dates, inclusive, any precision), largest first."""
    groups = []
    for kind in sorted(RESPONSE_TYPES):
        targets: dict[str | None, list[IncidentFacts]] = defaultdict(list)
        for member in facts.of_type(kind):
            if _within(member.anchor, since, until):
                targets[member.target_state].append(member)
        for against, members in targets.items():
            groups += [_group(kind, run, against) for run in _runs(members, days)]
    return sorted(
        (g for g in groups if g["n_states"] >= min_states), key=lambda g: (-g["n_states"], g["first"], g["type"])
    )
