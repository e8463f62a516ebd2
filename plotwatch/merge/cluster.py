"""Threshold clustering: average-linkage agglomeration that stops at ``THRESHOLD``.

Clusters start as single mentions. The two clusters with the highest average
pair score are joined, again and again, while that average is at least
``THRESHOLD`` and no pair across them is a cannot-link. ``THRESHOLD`` is the
precision/recall knob: raise it and fewer mentions are joined (fewer wrong
merges, more split incidents); lower it and more are (docs/merging.md has the
measured effect).

The result depends only on the set of mentions and their scores, never on the
order they came in: ties are broken by the mentions' positions in a canonical
order that the caller fixes (event ids). Among equal averages the pair of
clusters with the smallest ids wins, a cluster's id being its first member.

Sparse: a pair that was not scored is ``UNSCORED`` (0.0), so sums are kept only
for clusters that have a scored pair across them, and a candidate join is on a
heap (stale entries are skipped when they come up) rather than found by
scanning every pair. Cannot-links are asked of a ``CannotLinks`` at the moment
a join comes up, so they need not be listed pair by pair.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

__all__ = ["THRESHOLD", "UNSCORED", "CannotLinks", "Clustering", "PairLinks", "agglomerate"]

THRESHOLD = 0.5
# The value of a pair that was not compared (outside the candidate window).
UNSCORED = 0.0


@dataclass
class Clustering:
    """Clusters as lists of indices, each with the linkage scores of the joins that built it."""

    members: list[list[int]]
    joins: list[list[float]] = field(default_factory=list)


@runtime_checkable
class CannotLinks(Protocol):
    """Which clusters may never join; clusters are named by id (their first member)."""

    def blocked(self, x: int, y: int) -> bool:
        """Whether any pair across clusters ``x`` and ``y`` is a cannot-link."""
        ...

    def join(self, x: int, y: int) -> None:
        """Cluster ``y`` was folded into ``x``."""
        ...


class PairLinks:
    """Cannot-links given as pairs of items, kept per cluster: a link of either cluster blocks the merged one."""

    def __init__(self, pairs: Iterable[tuple[int, int]] = ()) -> None:
        self.linked: defaultdict[int, set[int]] = defaultdict(set)
        for x, y in pairs:
            self.linked[x].add(y)
            self.linked[y].add(x)

    def blocked(self, x: int, y: int) -> bool:
        return y in self.linked.get(x, ())

    def join(self, x: int, y: int) -> None:
        others = self.linked.pop(y, set())
        for z in others:
            self.linked[z].discard(y)
            self.linked[z].add(x)
        if others:
            self.linked[x] |= others


class _State:
    def __init__(self, n: int, scores: Mapping[tuple[int, int], float], links: CannotLinks, threshold: float) -> None:
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.joins: dict[int, list[float]] = {i: [] for i in range(n)}
        # total[x][y] == total[y][x]: the sum of scores across clusters x and y, for those with a scored pair.
        self.total: dict[int, dict[int, float]] = {i: {} for i in range(n)}
        self.links = links
        self.threshold = threshold
        self.heap: list[tuple[float, int, int]] = []  # (-average, x, y), x < y; entries may be stale
        for (x, y), value in scores.items():
            self.total[x][y] = self.total[y][x] = value
            self.push(x, y)

    def average(self, x: int, y: int) -> float:
        return self.total[x][y] / (len(self.members[x]) * len(self.members[y]))

    def push(self, x: int, y: int) -> None:
        value = self.average(x, y)
        if value >= self.threshold:
            heapq.heappush(self.heap, (-value, x, y) if x < y else (-value, y, x))

    def current(self, entry: tuple[float, int, int]) -> bool:
        _, x, y = entry
        return x in self.members and y in self.members and y in self.total[x] and self.average(x, y) == -entry[0]

    def best(self) -> tuple[float, tuple[int, int]] | None:
        """The highest average at or over the threshold across unblocked clusters; the smallest ids on a tie."""
        while self.heap:
            entry = self.heap[0]
            if self.current(entry) and not self.links.blocked(entry[1], entry[2]):
                return -entry[0], (entry[1], entry[2])
            heapq.heappop(self.heap)
        return None

    def join(self, x: int, y: int, value: float) -> None:
        """Fold cluster ``y`` into ``x`` (x < y): sums add up, a cannot-link of either blocks both."""
        sums, folded = self.total[x], self.total.pop(y)
        del sums[y], folded[x]
        for z, value_z in folded.items():
            del self.total[z][y]
            sums[z] = self.total[z][x] = sums.get(z, UNSCORED) + value_z
        self.links.join(x, y)
        self.members[x].extend(self.members.pop(y))
        self.joins[x].extend([*self.joins.pop(y), value])
        for z in sums:
            self.push(x, z)


def agglomerate(
    n: int,
    scores: Mapping[tuple[int, int], float],
    cannot: Iterable[tuple[int, int]] | CannotLinks = (),
    threshold: float = THRESHOLD,
) -> Clustering:
    """Cluster ``n`` items given pair ``scores`` (keys (i, j), i < j; a missing pair is ``UNSCORED``).

    ``cannot`` lists cannot-link pairs, or is a ``CannotLinks`` that tells them
    cluster by cluster. ``threshold`` must be above ``UNSCORED``: only scored
    pairs can start a join.
    """
    if not threshold > UNSCORED:
        raise ValueError(f"threshold {threshold} must be above {UNSCORED} (the value of a pair never compared)")
    links = cannot if isinstance(cannot, CannotLinks) else PairLinks(cannot)
    state = _State(n, scores, links, threshold)
    while (found := state.best()) is not None:
        value, (x, y) = found
        state.join(x, y, value)
    keys = sorted(state.members)
    return Clustering(
        members=[sorted(state.members[k]) for k in keys],
        joins=[state.joins[k] for k in keys],
    )
