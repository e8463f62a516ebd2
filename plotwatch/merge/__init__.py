"""Merge stage: event mentions → incidents, as record linkage (STYLE.md practice 5).

1. **Blocking.** Mentions are compared only inside a block: one group of
   event types (KILL and ATTACK are one group, SURVEIL and SPY another, every
   other type its own) in one country. Time is handled by the comparators and
   cannot-links (dates more than ``MAX_DATE_GAP_DAYS`` apart never join).
2. **Comparators** (``compare.py``): date agreement and precision, report
   proximity for undated mentions, place distance, actor and target agreement,
   count, shared named participants, evidence-text similarity, same document,
   wire copies, type. Their weighted sum is the pair score.
3. **Threshold clustering** (``cluster.py``): average-linkage agglomeration
   that stops at ``THRESHOLD``, the precision/recall knob.
4. **Confidence** per incident: how well its reports support it (noisy-OR of
   its documents' best event confidences) times how cohesive the cluster is.

Cross-type merging outside a group is never done: an arrest and the plot it
foiled are two incidents, linked (``links.py``), not merged. The result
depends on the set of mentions only, not on their order; ids come from the
earliest-ingested mention (``DocInfo.seq``), and ``ids.py`` keeps the ids of
existing incidents stable across runs.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from plotwatch.merge.cluster import THRESHOLD, agglomerate
from plotwatch.merge.compare import BlockStats, conflict, probability, score
from plotwatch.merge.mentions import DocInfo, Mention
from plotwatch.models import Event, Incident

__all__ = [
    "THRESHOLD",
    "BlockKey",
    "DocInfo",
    "Mention",
    "block_key",
    "build_incident",
    "cluster_block",
    "incident_id_for",
    "mentions_of",
    "merge_events",
]

BlockKey = tuple[str, str]


def block_key(mention: Mention) -> BlockKey:
    """The block of a mention: (type group, country); an unknown country is a block of its own."""
    return (mention.group, mention.event.country or "")


def incident_id_for(seed: Event) -> str:
    """The id an incident takes from its seed (earliest-ingested) event."""
    return "inc-" + seed.event_id.removeprefix("ev-")


def _pair_scores(mentions: list[Mention]) -> tuple[dict[tuple[int, int], float], set[tuple[int, int]]]:
    stats = BlockStats(mentions)
    scores: dict[tuple[int, int], float] = {}
    cannot: set[tuple[int, int]] = set()
    for i, a in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            b = mentions[j]
            if conflict(a, b) is not None:
                cannot.add((i, j))
            else:
                scores[(i, j)] = probability(score(a, b, stats))
    return scores, cannot


def _confidence(members: list[Mention], joins: list[float]) -> float:
    """Support (noisy-OR over documents of their best event confidence) times cohesion (mean join strength)."""
    best: dict[str, float] = defaultdict(float)
    for mention in members:
        doc = mention.doc.copy_of or mention.event.doc_id  # a wire copy is no extra support
        best[doc] = max(best[doc], mention.event.confidence)
    support = 1.0 - math.prod(1.0 - min(value, 0.95) for value in best.values())
    cohesion = sum(joins) / len(joins) if joins else 1.0
    return round(min(0.99, support * cohesion), 2)


def majority_type(members: list[Mention]) -> str:
    """The most common type; on a tie, the seed's (members come seed first)."""
    types = Counter(mention.event.type for mention in members)
    top = max(types.values())
    seed_type = members[0].event.type
    return seed_type if types[seed_type] == top else min(t for t, n in types.items() if n == top)


def build_incident(members: list[Mention], confidence: float, incident_id: str | None = None) -> Incident:
    """An incident of ``members`` (any order), its id from its seed unless given; sets the events' incident_id."""
    members = sorted(members, key=lambda mention: mention.order)
    incident_id = incident_id or incident_id_for(members[0].event)
    events = [mention.event for mention in members]
    for event in events:
        event.incident_id = incident_id
    return Incident(incident_id=incident_id, type=majority_type(members), events=events, confidence=confidence)


def _incident(members: list[Mention], joins: list[float]) -> Incident:
    return build_incident(members, _confidence(members, joins))


def cluster_block(mentions: list[Mention], threshold: float = THRESHOLD) -> list[Incident]:
    """The incidents of one block; the mentions' order does not matter."""
    ordered = sorted(mentions, key=lambda mention: mention.event.event_id)
    scores, cannot = _pair_scores(ordered)
    clustering = agglomerate(len(ordered), scores, cannot, threshold)
    return [
        _incident([ordered[i] for i in members], joins)
        for members, joins in zip(clustering.members, clustering.joins, strict=True)
    ]


def mentions_of(events: Iterable[Event], docs: Mapping[str, DocInfo] | None = None) -> list[Mention]:
    """Wrap events with their documents' facts (unknown documents get empty facts)."""
    docs = docs or {}
    return [Mention(event, docs.get(event.doc_id, DocInfo())) for event in events]


def merge_events(
    events: Iterable[Event], docs: Mapping[str, DocInfo] | None = None, threshold: float = THRESHOLD
) -> list[Incident]:
    """Cluster events into incidents; sets ``incident_id`` on every event.

    ``docs`` maps doc_id to its ``DocInfo`` (publication date, ingestion order,
    wire-copy link); without it, documents are taken in doc_id order with no
    publication dates.
    """
    blocks: dict[BlockKey, list[Mention]] = defaultdict(list)
    for mention in mentions_of(events, docs):
        blocks[block_key(mention)].append(mention)
    incidents: list[Incident] = []
    for key in sorted(blocks):
        incidents.extend(cluster_block(blocks[key], threshold))
    return incidents
