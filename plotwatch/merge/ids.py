"""Stable incident ids: an incident keeps its id when new documents arrive.

A fresh incident takes its id from its seed, the mention read first (lowest
``DocInfo.seq``, then position in the document). When a block is clustered
again, every previous incident names an heir among the new clusters: the one
holding its seed event, or else the one holding most of its events. A cluster
that is heir to one previous incident keeps that id; heir to several (new
reports joined them), it keeps the id whose seed was read first and the others
are recorded as merged into it (old id → new id). A cluster heir to none takes
a fresh id; if it holds events of a previous incident, it was split off it and
that is recorded too.

Since new documents always come after the old ones, an incremental run gives
the same ids as a full run over the same documents in the same order, as long
as the new reports only add to or join incidents (a split is the exception:
the full run cannot know the old id).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from plotwatch.merge.mentions import Mention
from plotwatch.models import Incident

__all__ = ["IdPlan", "Previous", "member_key", "stable_ids"]

# An event as the previous merge knew it, matched by id or, after re-extraction, by place in its document.
MemberKey = tuple[str, str, int]


def member_key(doc_id: str, type_: str, start: int) -> MemberKey:
    return (doc_id, type_, start)


@dataclass
class Previous:
    """The previous machine clustering: event → incident, and each incident's seed."""

    incident_of: dict[str, str] = field(default_factory=dict)  # event_id → incident_id
    incident_of_key: dict[MemberKey, str] = field(default_factory=dict)
    seed_of: dict[str, str] = field(default_factory=dict)  # incident_id → seed event_id

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, object]]) -> Previous:
        previous = cls()
        for row in rows:
            event_id, incident_id = str(row["event_id"]), str(row["incident_id"])
            previous.incident_of[event_id] = incident_id
            key = member_key(str(row["doc_id"]), str(row["type"]), int(str(row["evidence_start"])))
            previous.incident_of_key[key] = incident_id
            if row["seed"]:
                previous.seed_of[incident_id] = event_id
        return previous

    def lookup(self, mention: Mention) -> str | None:
        event = mention.event
        found = self.incident_of.get(event.event_id)
        return found or self.incident_of_key.get(member_key(event.doc_id, event.type, event.evidence.start))


@dataclass
class IdPlan:
    """New ids for clusters, and the history rows they imply."""

    ids: list[str]
    merged: list[tuple[str, str]] = field(default_factory=list)  # (old id, id it lives on as)
    split: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id split off it)


def _heirs(clusters: Sequence[Sequence[Mention]], previous: Previous) -> dict[str, int]:
    """previous incident id → index of the cluster that inherits it."""
    holders: dict[str, Counter[int]] = defaultdict(Counter)
    seed_cluster: dict[str, int] = {}
    for index, members in enumerate(clusters):
        for mention in members:
            old = previous.lookup(mention)
            if old is None:
                continue
            holders[old][index] += 1
            if previous.seed_of.get(old) == mention.event.event_id:
                seed_cluster[old] = index
    return {
        old: seed_cluster.get(old, min(counts, key=lambda index: (-counts[index], index)))
        for old, counts in holders.items()
    }


def stable_ids(clusters: Sequence[Sequence[Mention]], fresh: Sequence[str], previous: Previous) -> IdPlan:
    """Ids for ``clusters`` (each ordered seed first); ``fresh`` are the ids their seeds would give."""
    heirs = _heirs(clusters, previous)
    claims: dict[int, list[str]] = defaultdict(list)
    for old, index in heirs.items():
        claims[index].append(old)
    plan = IdPlan(ids=[])
    taken: set[str] = set(heirs)
    for index, members in enumerate(clusters):
        olds = claims.get(index)
        if olds:
            first = min(olds, key=lambda old: _first_read(old, members, previous))
            plan.ids.append(first)
            plan.merged.extend((old, first) for old in sorted(olds) if old != first)
            continue
        new_id = fresh[index]
        while new_id in taken:
            new_id += "-1"
        taken.add(new_id)
        plan.ids.append(new_id)
        sources = sorted({found for mention in members if (found := previous.lookup(mention))})
        plan.split.extend((old, new_id) for old in sources)
    return plan


def _first_read(old: str, members: Sequence[Mention], previous: Previous) -> tuple[int, str]:
    """Position in the cluster of the earliest event of previous incident ``old``."""
    for position, mention in enumerate(members):
        if previous.lookup(mention) == old:
            return (position, old)
    return (len(members), old)


def relabel(incident: Incident, new_id: str) -> None:
    """Give an incident and its events a new id."""
    incident.incident_id = new_id
    for event in incident.events:
        event.incident_id = new_id
