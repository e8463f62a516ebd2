"""Merge stage v0: events of one type, country and compatible date share an incident.

Record linkage in miniature (STYLE.md): the block is (type, country); inside a
block an event joins the first cluster whose dates are all prefix-compatible
with its own and whose actor/target states do not contradict it. An event with
no date joins a cluster only from its own document (a repeated mention), never
across documents, since "no date" would otherwise glue unrelated events
together. The real clustering (comparators, thresholds) replaces this later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from plotwatch.models import Event, Incident

__all__ = ["merge_events"]


@dataclass
class _Cluster:
    events: list[Event] = field(default_factory=list)

    @property
    def docs(self) -> set[str]:
        return {e.doc_id for e in self.events}


def dates_compatible(a: str | None, b: str | None) -> bool:
    """"2018" ~ "2018-06" ~ "2018-06-30"; a missing date is compatible with anything."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def _states_agree(a: str | None, b: str | None) -> bool:
    return not a or not b or a == b


def _fits(event: Event, cluster: _Cluster) -> bool:
    for other in cluster.events:
        if not dates_compatible(event.date, other.date):
            return False
        if not _states_agree(event.target.state, other.target.state):
            return False
        if not _states_agree(event.actor.state, other.actor.state):
            return False
    if event.doc_id in cluster.docs:
        return True
    cluster_dated = any(e.date for e in cluster.events)
    return bool(event.date) and cluster_dated


def _order(event: Event) -> tuple[str, str, int]:
    return (event.date or "9999", event.doc_id, event.evidence.start)


def merge_events(events: Iterable[Event]) -> list[Incident]:
    """Cluster events into incidents; sets ``incident_id`` on every event."""
    blocks: dict[tuple[str, str | None], list[Event]] = defaultdict(list)
    for event in events:
        blocks[(event.type, event.country)].append(event)
    incidents = []
    for (type_, _country), members in sorted(blocks.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        for cluster in _cluster(sorted(members, key=_precision_first)):
            incidents.append(_incident(type_, cluster))
    return incidents


def _precision_first(event: Event) -> tuple[int, str, str, int]:
    """Dated events first, so undated repeats join the cluster of their own document."""
    return (-len(event.date or ""), event.doc_id, event.date or "", event.evidence.start)


def _cluster(events: list[Event]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    for event in events:
        home = next((c for c in clusters if _fits(event, c)), None)
        if home is None:
            home = _Cluster()
            clusters.append(home)
        home.events.append(event)
    return clusters


def _incident(type_: str, cluster: _Cluster) -> Incident:
    first = min(cluster.events, key=_order)
    incident_id = "inc-" + first.event_id.removeprefix("ev-")
    for event in cluster.events:
        event.incident_id = incident_id
    confidence = min(0.95, 0.5 + 0.1 * (len(cluster.docs) - 1))
    return Incident(incident_id=incident_id, type=type_, events=cluster.events, confidence=round(confidence, 2))
