"""Applying human merge and split decisions on top of the machine's incidents.

Decisions name incidents by id (followed through the id history, so a
decision about an incident that the machine later merged still applies) and
events by id. They are re-applied after every merge, in the order they were
made, so a re-run never undoes them. A decision whose incidents or events are
gone is skipped (``plotwatch review list`` shows it as stale).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from plotwatch.models import Incident
from plotwatch.store.merging import resolve_redirect
from plotwatch.store.migrations import utc_now

__all__ = ["apply_decisions", "split_id"]


def split_id(incident_id: str, event_ids: Sequence[str]) -> str:
    """The id of the incident that a split makes of ``event_ids`` taken out of ``incident_id``."""
    key = incident_id + "|" + "|".join(sorted(event_ids))
    return "inc-r" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]


def _merge(by_id: dict[str, Incident], keep: str, other: str) -> bool:
    if keep == other or keep not in by_id or other not in by_id:
        return False
    target, folded = by_id[keep], by_id.pop(other)
    for event in folded.events:
        event.incident_id = keep
    target.events.extend(folded.events)
    target.confidence = max(target.confidence, folded.confidence)
    return True


def _split(by_id: dict[str, Incident], incident_id: str, event_ids: Sequence[str]) -> str | None:
    source = by_id.get(incident_id)
    if source is None:
        return None
    wanted = set(event_ids)
    moved = [event for event in source.events if event.event_id in wanted]
    if not moved or len(moved) == len(source.events):
        return None
    new_id = split_id(incident_id, [event.event_id for event in moved])
    source.events = [event for event in source.events if event.event_id not in wanted]
    for event in moved:
        event.incident_id = new_id
    by_id[new_id] = Incident(new_id, moved[0].type, moved, source.confidence)
    return new_id


def apply_decisions(
    incidents: Sequence[Incident], decisions: Sequence[Mapping[str, Any]], forward: Mapping[str, str]
) -> tuple[list[Incident], list[dict[str, Any]]]:
    """The incidents after the decisions, and the history rows (old id → id it now lives in)."""
    by_id = {incident.incident_id: incident for incident in incidents}
    moved: dict[str, str] = dict(forward)
    history: list[dict[str, Any]] = []
    for decision in decisions:
        keep = resolve_redirect(moved, decision["incident_id"])
        if decision["action"] == "merge" and decision.get("other_id"):
            other = resolve_redirect(moved, decision["other_id"])
            if _merge(by_id, keep, other):
                moved[other] = keep
                history.append({"old_id": other, "new_id": keep, "kind": "review", "at": decision["at"]})
        elif decision["action"] == "split":
            _split(by_id, keep, list(decision.get("event_ids") or []))
    for incident in by_id.values():
        incident.events.sort(key=lambda event: (event.doc_id, event.evidence.start))
    return list(by_id.values()), history


def now() -> str:
    return utc_now()
