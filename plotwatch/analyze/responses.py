"""Responses to hostile incidents: who answered, with what, how fast; and who is behind the plots.

The lag of a response is the days from the hostile incident's date (or its
first report, when it is undated) to the response's date (or first report).
Dates of month or year precision count from their first day; each lag keeps
the coarser ``precision`` of the two, so a reader can leave rough ones out.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from plotwatch.analyze.facts import Facts, IncidentFacts, day_of, precision

__all__ = ["by_host_state", "by_perpetrator", "incident_responses"]


def _lag(hostile: IncidentFacts, response: IncidentFacts) -> int | None:
    start, later = day_of(hostile.anchor), day_of(response.anchor)
    return later - start if start is not None and later is not None else None


def _response_row(hostile: IncidentFacts, response: IncidentFacts) -> dict[str, Any]:
    return {"incident_id": response.incident_id, "type": response.type, "state": response.responder,
            "date": response.anchor, "lag_days": _lag(hostile, response),
            "precision": precision(hostile.anchor, response.anchor), "label": response.label}  # fmt: skip


def incident_responses(facts: Facts) -> list[dict[str, Any]]:
    """Every hostile incident with the responses linked to it, earliest response first."""
    rows = []
    for hostile in facts.hostiles():
        answers = [facts.incidents[i] for i in facts.responses_to.get(hostile.incident_id, [])]
        responses = sorted((_response_row(hostile, r) for r in answers), key=lambda r: (r["date"] or "", r["type"]))
        rows.append({"incident_id": hostile.incident_id, "type": hostile.type, "country": hostile.country,
                     "actor_state": hostile.actor_state, "date": hostile.anchor, "dated": hostile.date is not None,
                     "label": hostile.label, "responses": responses})  # fmt: skip
    return rows


def _type_stats(plots: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    by_type: dict[str, dict[str, Any]] = defaultdict(lambda: {"incident_ids": set(), "lags": []})
    for plot in plots:
        for response in plot["responses"]:
            entry = by_type[response["type"]]
            entry["incident_ids"].add(plot["incident_id"])
            if response["lag_days"] is not None:
                entry["lags"].append(response["lag_days"])
    return {kind: {"n_incidents": len(entry["incident_ids"]), "rate": len(entry["incident_ids"]) / len(plots),
                   "incident_ids": sorted(entry["incident_ids"]), "n_lags": len(entry["lags"]),
                   "median_lag_days": median(entry["lags"]) if entry["lags"] else None}
            for kind, entry in sorted(by_type.items())}  # fmt: skip


def by_host_state(facts: Facts) -> list[dict[str, Any]]:
    """Per state where hostile incidents happened: how many drew a linked response, and per response
    type the share of incidents answered that way and the median lag. Most incidents first."""
    plots: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for plot in incident_responses(facts):
        if plot["country"]:
            plots[plot["country"]].append(plot)
    rows = []
    for state, found in plots.items():
        answered = [p["incident_id"] for p in found if p["responses"]]
        lags = [r["lag_days"] for p in found for r in p["responses"] if r["lag_days"] is not None]
        rows.append({"state": state, "n_incidents": len(found), "incident_ids": [p["incident_id"] for p in found],
                     "n_responded": len(answered), "responded_ids": answered, "rate": len(answered) / len(found),
                     "median_lag_days": median(lags) if lags else None, "by_type": _type_stats(found)})  # fmt: skip
    return sorted(rows, key=lambda r: (-r["n_incidents"], r["state"]))


def _grouped(incidents: list[IncidentFacts], key: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for incident in incidents:
        groups[getattr(incident, key) or "unknown"].append(incident.incident_id)
    return dict(sorted(groups.items()))


def by_perpetrator(facts: Facts) -> list[dict[str, Any]]:
    """Per state behind hostile incidents: the incidents by year, by type and by host country (ids kept)."""
    states: dict[str, list[IncidentFacts]] = defaultdict(list)
    for hostile in facts.hostiles():
        if hostile.actor_state:
            states[hostile.actor_state].append(hostile)
    rows = [{"state": state, "n_incidents": len(found), "incident_ids": [i.incident_id for i in found],
             "by_year": _grouped(found, "year"), "by_type": _grouped(found, "type"),
             "by_country": _grouped(found, "country")} for state, found in states.items()]  # fmt: skip
    return sorted(rows, key=lambda r: (-r["n_incidents"], r["state"]))
