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

**Scale, exactly** (issue 7). Two clusters join only if their average pair
probability reaches ``THRESHOLD``, so only if some pair across them does (a
*strong* pair). ``strong_pairs`` finds every strong pair without scoring
every pair of a block: ``screen.Screen`` bounds the score of many pairs at
once (numpy) and only the pairs whose bound reaches the score needed are
scored. Dated mentions are screened against the dated mentions within
``MAX_DATE_GAP_DAYS`` of their dates only (any other dated pair is a
cannot-link); undated mentions against the whole block, as an undated report
may be of an act years old (the dev set joins a 2020 court report to a 2018
plot, and no window on publication dates keeps the gold sets' incidents).
Clustering asks for the score of any other pair only when it lies across two
clusters that may join, and tells cannot-links from a summary per cluster
(``compare.Conflicts``), so nothing is stored per pair of a block. The
result is the all-pairs one to the last bit of every join score
(``tests/test_merge_scale.py`` compares them). What still grows faster than
a block: undated mentions of one place or one target state are strong pairs
however far apart they were published, so a block's strong pairs grow with
its square (``python -m benchmarks.merge`` measures it).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping

import numpy as np

from plotwatch.merge.cluster import THRESHOLD, Pairs, agglomerate
from plotwatch.merge.compare import (
    MAX_DATE_GAP_DAYS,
    BlockStats,
    Conflicts,
    conflict,
    needed_score,
    probability,
    score,
)
from plotwatch.merge.mentions import DocInfo, Mention
from plotwatch.merge.screen import Indices, Screen
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
    "strong_pairs",
]

BlockKey = tuple[str, str]
Span = tuple[int, int]
# Spans are indexed by length (up to a month, up to a year); longer ones are few and checked one by one.
SPAN_TIERS = (31, 366)
# Screening: dated mentions a chunk, and cells of an undated chunk (bounds are floats: a margin under the need).
SCREEN_ROWS = 256
SCREEN_CELLS = 200_000
SCREEN_MARGIN = 1e-6


def block_key(mention: Mention) -> BlockKey:
    """The block of a mention: (type group, country); an unknown country is a block of its own."""
    return (mention.group, mention.event.country or "")


def incident_id_for(seed: Event) -> str:
    """The id an incident takes from its seed (earliest-ingested) event."""
    return "inc-" + seed.event_id.removeprefix("ev-")


def _tier(span: Span) -> int:
    """The first of SPAN_TIERS the span fits in; len(SPAN_TIERS) for a longer one."""
    return next((k for k, days in enumerate(SPAN_TIERS) if span[1] - span[0] <= days), len(SPAN_TIERS))


class _Spans:
    """Items with day spans, to find those that overlap a range without looking at every item."""

    def __init__(self, spans: Iterable[tuple[int, Span]]) -> None:
        tiers: list[list[tuple[int, int, int]]] = [[] for _ in SPAN_TIERS]
        self.long: list[tuple[int, int, int]] = []
        for i, (start, end) in spans:
            tier = _tier((start, end))
            (self.long if tier == len(SPAN_TIERS) else tiers[tier]).append((start, end, i))
        self.tiers = [sorted(items) for items in tiers]
        self.starts = [[start for start, _, _ in items] for items in self.tiers]

    def overlapping(self, low: int, high: int) -> Iterator[int]:
        """The items whose span meets [low, high]."""
        for days, items, starts in zip(SPAN_TIERS, self.tiers, self.starts, strict=True):
            for k in range(bisect_left(starts, low - days), bisect_right(starts, high)):
                if items[k][1] >= low:
                    yield items[k][2]
        yield from (i for start, end, i in self.long if start <= high and end >= low)


def _batches(items: list[int], size: int) -> Iterator[list[int]]:
    return (items[k : k + size] for k in range(0, len(items), size))


def _screened(mentions: list[Mention]) -> Iterator[tuple[Indices, Indices]]:
    """Rows and the columns to screen them against: dated mentions against the dated ones
    within ``MAX_DATE_GAP_DAYS`` of their dates (the others are cannot-links), undated ones against all."""
    spans = {i: mention.span for i, mention in enumerate(mentions) if mention.span is not None}
    dated = _Spans(spans.items())
    by_date = sorted(spans, key=lambda i: (_tier(spans[i]), spans[i]))  # one tier a chunk: a year widens a window
    for chunk in _batches(by_date, SCREEN_ROWS):
        low = min(spans[i][0] for i in chunk) - MAX_DATE_GAP_DAYS
        high = max(spans[i][1] for i in chunk) + MAX_DATE_GAP_DAYS
        yield np.array(chunk, np.intp), np.array(sorted(dated.overlapping(low, high)), np.intp)
    undated = [i for i, mention in enumerate(mentions) if mention.span is None]
    for chunk in _batches(undated, max(1, SCREEN_CELLS // max(1, len(mentions)))):
        yield np.array(chunk, np.intp), np.arange(len(mentions))


def strong_pairs(mentions: list[Mention], stats: BlockStats, threshold: float = THRESHOLD) -> Pairs:
    """Every pair (i, j), i < j, whose probability reaches ``threshold`` and that is not a cannot-link."""
    screen = Screen(mentions, stats)
    need = needed_score(threshold) - SCREEN_MARGIN
    undated = np.array([mention.span is None for mention in mentions], bool)
    left, right, values = array("i"), array("i"), array("d")  # 16 bytes a pair, not a tuple and a float
    for rows, cols in _screened(mentions):
        row, col = rows[:, None], cols[None, :]
        once = (col > row) | (undated[row] & ~undated[col])  # a dated row never meets an undated column
        found = once & ~screen.conflicts(row, col) & (screen.bound(rows, cols) >= need)
        for r, c in zip(*np.nonzero(found), strict=True):
            i, j = sorted((int(rows[r]), int(cols[c])))
            a, b = mentions[i], mentions[j]
            if conflict(a, b) is None and (value := probability(score(a, b, stats))) >= threshold:
                left.append(i)
                right.append(j)
                values.append(value)
    return Pairs(len(mentions), np.frombuffer(left, np.intc), np.frombuffer(right, np.intc),
                 np.frombuffer(values, np.float64))  # fmt: skip


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
    stats = BlockStats(ordered)

    def pair_score(i: int, j: int) -> float:
        return probability(score(ordered[i], ordered[j], stats))

    scores = strong_pairs(ordered, stats, threshold)
    clustering = agglomerate(len(ordered), scores, Conflicts(ordered), threshold, score=pair_score)
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
