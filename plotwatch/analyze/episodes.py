"""How long measures last: recall episodes (RECALL → RESTORE) and the steps of legal cases.

A recall is paired with the earliest RESTORE by the same state (the acting
state, else where it happened), towards the same counterpart when both name
one, dated on or after the recall; each RESTORE closes one recall at most. A
recall with no such RESTORE is open ("never reversed", so far): its
``days_open`` count to ``as_of``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from plotwatch.analyze.facts import Facts, IncidentFacts, day_of, precision

__all__ = ["legal_durations", "recall_episodes"]


def _side(incident: IncidentFacts) -> str | None:
    return incident.actor_state or incident.country


def _closes(restore: IncidentFacts, recall: IncidentFacts) -> bool:
    if _side(restore) is None or _side(restore) != _side(recall):
        return False
    if recall.target_state and restore.target_state and recall.target_state != restore.target_state:
        return False
    start, end = day_of(recall.anchor), day_of(restore.anchor)
    return start is None or end is None or end >= start


def _episode(recall: IncidentFacts, restore: IncidentFacts | None, as_of: int) -> dict[str, Any]:
    start = day_of(recall.anchor)
    end = day_of(restore.anchor) if restore else None
    return {"recall_id": recall.incident_id, "restore_id": restore.incident_id if restore else None,
            "state": _side(recall), "counterpart": recall.target_state or (restore.target_state if restore else None),
            "recalled": recall.anchor, "restored": restore.anchor if restore else None,
            "duration_days": end - start if start is not None and end is not None else None,
            "precision": precision(recall.anchor, restore.anchor) if restore else precision(recall.anchor),
            "reversed": restore is not None,
            "days_open": as_of - start if restore is None and start is not None else None}  # fmt: skip


def recall_episodes(facts: Facts, as_of: date | None = None) -> list[dict[str, Any]]:
    """Every RECALL, in date order, with the RESTORE that ended it (or none) and the days between."""
    today = (as_of or date.today()).toordinal()
    restores = facts.of_type("RESTORE")
    episodes = []
    for recall in facts.of_type("RECALL"):
        match = next((r for r in restores if _closes(r, recall)), None)
        if match is not None:
            restores.remove(match)
        episodes.append(_episode(recall, match, today))
    return episodes


STEPS = {"charge": "CHARGE", "verdict": "CONVICT", "release": "RELEASE"}


def _days(start: str | None, end: str | None) -> int | None:
    first, last = day_of(start), day_of(end)
    return last - first if first is not None and last is not None else None


def _step_date(facts: Facts, step: dict[str, Any]) -> str | None:
    """A step's date, else its incident's first report."""
    incident = facts.incidents.get(step["incident_id"])
    return step.get("date") or (incident.anchor if incident else None)


def legal_durations(facts: Facts) -> list[dict[str, Any]]:
    """Per legal case: the first arrest, charge, verdict and release (dated, or first reported), and the
    days from arrest to each."""
    rows = []
    for case in facts.cases:
        first = {step["type"]: _step_date(facts, step) for step in reversed(case["steps"])}
        arrest = first.get("ARREST")
        row: dict[str, Any] = {"case_id": case["case_id"], "label": case["label"], "country": case["country"],
                               "plot_id": case["plot_id"], "arrest": arrest,
                               "incident_ids": [step["incident_id"] for step in case["steps"]]}  # fmt: skip
        for name, kind in STEPS.items():
            when = first.get(kind)
            row[name] = when
            row[f"days_to_{name}"] = _days(arrest, when)
        rows.append(row)
    return rows
