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

Sparse (issue 7): an average reaches ``THRESHOLD`` only if some pair across
the two clusters does, so pair sums are kept only for clusters with such a
pair across them, and the candidate joins wait on a heap (stale entries are
dropped when they come up) instead of being found by a scan of every pair.
When two clusters join, a sum the new cluster needs and that was not kept is
added up from its pairs (``score``), in the very order the dense algorithm
would have added it, so that every average, tie and join score is the same to
the last bit. Cannot-links are asked of a ``CannotLinks`` when a join comes
up, so they need not be listed pair by pair.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
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


@dataclass(frozen=True)
class _Tree:
    """How a cluster was built: a single item, or the join (at step ``time``) of two clusters."""

    item: int
    time: int = -1
    kept: _Tree | None = None  # the cluster that kept its id
    folded: _Tree | None = None  # the cluster folded into it


class _State:
    def __init__(
        self,
        n: int,
        scores: Mapping[tuple[int, int], float],
        links: CannotLinks,
        threshold: float,
        score: Callable[[int, int], float],
    ) -> None:
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.joins: dict[int, list[float]] = {i: [] for i in range(n)}
        self.trees: dict[int, _Tree] = {}
        # total[x][y] == total[y][x]: the sum of scores across clusters x and y, kept for the clusters
        # that have a pair at or over the threshold across them (only those can ever be joined).
        self.total: dict[int, dict[int, float]] = defaultdict(dict)
        self.links = links
        self.threshold = threshold
        self.scores = scores
        self.score = score
        self.heap: list[tuple[float, int, int]] = []  # (-average, x, y), x < y; entries may be stale
        self.steps = 0
        for (x, y), value in scores.items():
            if value >= self.threshold and not self.links.blocked(x, y):
                self.total[x][y] = self.total[y][x] = value
                self.push(x, y)

    def tree(self, x: int) -> _Tree:
        return self.trees.get(x) or _Tree(x)

    def leaf(self, i: int, j: int) -> float:
        pair = (i, j) if i < j else (j, i)
        value = self.scores.get(pair)
        return self.score(*pair) if value is None else value

    def across(self, a: _Tree, b: _Tree) -> float:
        """The sum of scores across two clusters, added up in the order joins would have added it."""
        sums: list[float] = []
        todo: list[tuple[_Tree, _Tree] | None] = [(a, b)]
        while todo:
            pair = todo.pop()
            if pair is None:
                folded = sums.pop()
                sums.append(sums.pop() + folded)
                continue
            a, b = pair if pair[0].time >= pair[1].time else (pair[1], pair[0])
            if a.kept is None or a.folded is None:
                sums.append(self.leaf(a.item, b.item))
            else:
                todo += [None, (a.folded, b), (a.kept, b)]
        return sums[0]

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

    def folded_sums(self, x: int, y: int) -> dict[int, float]:
        """The sums of the joined cluster with each cluster it may still join (x's sum plus y's, as before)."""
        kept, folded = self.total.pop(x), self.total.pop(y)
        tree_x, tree_y = self.tree(x), self.tree(y)
        sums: dict[int, float] = {}
        for z in (kept.keys() | folded.keys()) - {x, y}:
            del self.total[z][x if z in kept else y]
            self.total[z].pop(y, None)
            if self.links.blocked(x, z):
                continue
            tree_z = self.tree(z)
            value_x = kept[z] if z in kept else self.across(tree_x, tree_z)
            sums[z] = value_x + (folded[z] if z in folded else self.across(tree_y, tree_z))
        return sums

    def join(self, x: int, y: int, value: float) -> None:
        """Fold cluster ``y`` into ``x`` (x < y): sums add up, a cannot-link of either blocks both."""
        self.links.join(x, y)
        sums = self.folded_sums(x, y)
        self.trees[x] = _Tree(x, self.steps, self.tree(x), self.tree(y))
        self.trees.pop(y, None)
        self.steps += 1
        self.members[x].extend(self.members.pop(y))
        self.joins[x].extend([*self.joins.pop(y), value])
        self.total[x] = sums
        for z, total in sums.items():
            self.total[z][x] = total
            self.push(x, z)


def agglomerate(
    n: int,
    scores: Mapping[tuple[int, int], float],
    cannot: Iterable[tuple[int, int]] | CannotLinks = (),
    threshold: float = THRESHOLD,
    score: Callable[[int, int], float] | None = None,
) -> Clustering:
    """Cluster ``n`` items given pair ``scores`` (keys (i, j), i < j).

    ``cannot`` lists cannot-link pairs, or is a ``CannotLinks`` that tells them
    cluster by cluster. A pair missing from ``scores`` is worth ``score(i, j)``,
    asked only when the pair lies across two clusters that could join, or
    ``UNSCORED`` without ``score``; every pair worth ``threshold`` or more must
    be in ``scores``. ``threshold`` must be above ``UNSCORED``.
    """
    if not threshold > UNSCORED:
        raise ValueError(f"threshold {threshold} must be above {UNSCORED} (the value of a pair never compared)")
    links = cannot if isinstance(cannot, CannotLinks) else PairLinks(cannot)
    state = _State(n, scores, links, threshold, score or (lambda i, j: UNSCORED))
    while (found := state.best()) is not None:
        value, (x, y) = found
        state.join(x, y, value)
    keys = sorted(state.members)
    return Clustering(
        members=[sorted(state.members[k]) for k in keys],
        joins=[state.joins[k] for k in keys],
    )
