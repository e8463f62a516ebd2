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

Compact: a block of 6,051 mentions had 1.8 million strong pairs, and as
dicts and heap entries they took 800 MB. The pair scores are now sorted
numpy arrays (``Pairs``); a single mention's sums are read from them, not
stored (only clusters of two or more keep a dict of sums); the first
candidate joins are one sorted array read beside the heap, and stale heap
entries are dropped when the heap grows. The joins are the same, in the
same order (``tests/test_merge_scale.py``).
"""

from __future__ import annotations

import heapq
import struct
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

__all__ = ["THRESHOLD", "UNSCORED", "CannotLinks", "Clustering", "PairLinks", "Pairs", "agglomerate"]

THRESHOLD = 0.5
# The value of a pair that was not compared (outside the candidate window).
UNSCORED = 0.0
ADD = -1  # in ``_State.across``: add the last two sums
COMPACT = 1 << 16  # heap entries before stale ones are first dropped
DICT_PAIRS = 50_000  # up to this many pairs, lookups go through a dict (~5 MB) instead of numpy


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


class Pairs:
    """Scores of pairs (i, j), i < j, of ``n`` items, in two sorted numpy arrays (16 bytes a pair).

    A block of thousands of mentions can have millions of strong pairs; as a
    dict of tuples they took about 200 bytes each (issue 7).
    """

    def __init__(self, n: int, left: npt.ArrayLike, right: npt.ArrayLike, values: npt.ArrayLike) -> None:
        keys = np.asarray(left, np.int64) * max(n, 1) + np.asarray(right, np.int64)
        order = np.argsort(keys, kind="stable")
        self.n = n
        self.keys: npt.NDArray[np.int64] = keys[order]
        self.values: npt.NDArray[np.float64] = np.asarray(values, np.float64)[order]
        self.by_key: dict[int, float] | None = None
        if len(self.keys) > 1 and not bool(np.all(self.keys[1:] > self.keys[:-1])):
            raise ValueError("a pair is given twice")

    @classmethod
    def of(cls, n: int, scores: Mapping[tuple[int, int], float]) -> Pairs:
        pairs = list(scores.items())
        return cls(n, [i for (i, _), _ in pairs], [j for (_, j), _ in pairs], [value for _, value in pairs])

    def __len__(self) -> int:
        return len(self.keys)

    def pair(self, position: int) -> tuple[int, int]:
        return divmod(int(self.keys[position]), max(self.n, 1))

    def items(self) -> Iterator[tuple[tuple[int, int], float]]:
        for position, value in enumerate(self.values.tolist()):
            yield self.pair(position), value

    def find(self, left: Sequence[int], right: Sequence[int]) -> list[float | None]:
        """The score of each pair (left[k], right[k]) (left < right), None where it was not given."""
        if len(self.keys) <= DICT_PAIRS:  # few pairs: a dict answers a handful of lookups faster than numpy
            if self.by_key is None:
                self.by_key = dict(zip(self.keys.tolist(), self.values.tolist(), strict=True))
            width = max(self.n, 1)
            return [self.by_key.get(i * width + j) for i, j in zip(left, right, strict=True)]
        keys = np.asarray(left, np.int64) * max(self.n, 1) + np.asarray(right, np.int64)
        where = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)  # len(self.keys) > DICT_PAIRS
        found = self.keys[where] == keys
        return [value if hit else None for value, hit in zip(self.values[where].tolist(), found.tolist(), strict=True)]


@dataclass(frozen=True)
class _Tree:
    """How a cluster was built: a single item, or the join (at step ``time``) of two clusters."""

    item: int
    time: int = -1
    kept: _Tree | None = None  # the cluster that kept its id
    folded: _Tree | None = None  # the cluster folded into it


Entry = tuple[float, int, int]  # (-average, x, y), x < y
_BITS = struct.Struct("<d")
_U64 = struct.Struct("<Q")
_TOP = (1 << 64) - 1


def _encode(value: float, x: int, y: int) -> int:
    """An entry as one int that orders as (-value, x, y) does (a positive float's bits grow with it):
    a heap of ints takes a third of the memory of a heap of tuples."""
    bits: int = _U64.unpack(_BITS.pack(value))[0]
    return ((_TOP - bits) << 64) | (x << 32) | y


def _decode(key: int) -> Entry:
    value: float = _BITS.unpack(_U64.pack(_TOP - (key >> 64)))[0]
    return -value, (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF


class _State:
    """The clusters while they join.

    ``total[x][y]`` is the sum of scores across clusters x and y, kept for the
    clusters that have an unblocked pair at or over the threshold across them
    (only those can ever join). It is stored for clusters of two or more
    items only: a single item's sums are read from the strong pairs of its
    neighbours (``neighbours``), which is what the dense algorithm would have
    stored for it. The first candidate joins (every strong pair) are one
    sorted array read in order beside the heap of later ones.
    """

    def __init__(self, n: int, pairs: Pairs, links: CannotLinks, threshold: float,
                 score: Callable[[int, int], float]) -> None:  # fmt: skip
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.joins: dict[int, list[float]] = {i: [] for i in range(n)}
        self.root = list(range(n))
        self.trees: dict[int, _Tree] = {}
        self.total: dict[int, dict[int, float]] = {}
        self.links = links
        self.threshold = threshold
        self.pairs = pairs
        self.score = score
        self.heap: list[int] = []  # encoded entries (``_encode``); they may be stale
        self.steps = 0
        index = np.int32 if max(n, len(pairs)) < 2**31 else np.int64  # 4 bytes an entry where that suffices
        strong = np.flatnonzero(pairs.values >= threshold).astype(index)
        left, right = (side.astype(index) for side in np.divmod(pairs.keys[strong], max(n, 1)))
        self.first = strong[np.lexsort((right, left, -pairs.values[strong]))]  # (-value, x, y) order
        # Each item's strong neighbours: the later ones (pairs are sorted by their first item), then the earlier.
        self.later = (np.searchsorted(left, np.arange(n + 1)).tolist(), right, strong)
        by_right = np.argsort(right, kind="stable")
        self.earlier = (np.searchsorted(right[by_right], np.arange(n + 1)).tolist(), left[by_right], strong[by_right])
        self.next_first = 0
        self.first_key = self.first_entry()
        self.compact_at = COMPACT

    def tree(self, x: int) -> _Tree:
        return self.trees.get(x) or _Tree(x)

    def single(self, x: int) -> bool:
        return len(self.members[x]) == 1

    def neighbours(self, x: int) -> dict[int, float]:
        """``total[x]`` of a single item: its sum with every cluster it may join."""
        found: dict[int, float] = {}
        for starts, others, positions in (self.later, self.earlier):
            lo, hi = starts[x], starts[x + 1]
            values = self.pairs.values[positions[lo:hi]].tolist()
            for other, value in zip(others[lo:hi].tolist(), values, strict=True):
                z = self.root[other]
                if z in found:
                    continue
                if self.single(z):
                    if not self.links.blocked(x, z):
                        found[z] = value
                elif (total := self.total[z].get(x)) is not None:
                    found[z] = total
        return found

    def leaves(self, left: list[int], right: list[int]) -> list[float]:
        values = self.pairs.find(left, right)
        return [self.score(i, j) if value is None else value for i, j, value in zip(left, right, values, strict=True)]

    def across(self, a: _Tree, b: _Tree) -> float:
        """The sum of scores across two clusters, added up in the order joins would have added it."""
        ops: list[int] = []  # a leaf's position, or ADD: the last two sums added
        left: list[int] = []
        right: list[int] = []
        todo: list[tuple[_Tree, _Tree] | None] = [(a, b)]
        while todo:
            pair = todo.pop()
            if pair is None:
                ops.append(ADD)
                continue
            a, b = pair if pair[0].time >= pair[1].time else (pair[1], pair[0])
            if a.kept is None or a.folded is None:
                ops.append(len(left))
                left.append(min(a.item, b.item))
                right.append(max(a.item, b.item))
            else:
                todo += [None, (a.folded, b), (a.kept, b)]
        values = self.leaves(left, right)
        sums: list[float] = []
        for op in ops:
            if op == ADD:
                folded = sums.pop()
                sums.append(sums.pop() + folded)
            else:
                sums.append(values[op])
        return sums[0]

    def size(self, x: int) -> int:
        return len(self.members[x])

    def push(self, x: int, y: int, total: float) -> None:
        value = total / (self.size(x) * self.size(y))
        if value >= self.threshold:
            heapq.heappush(self.heap, _encode(value, x, y) if x < y else _encode(value, y, x))

    def current(self, entry: Entry) -> bool:
        """Whether ``entry`` is the average of two live clusters with a kept sum (``total[x][y]``). An entry of
        two single items is one of the first joins (their strong pair's own score): current unless blocked."""
        _, x, y = entry
        if x not in self.members or y not in self.members:
            return False
        if self.single(x) and self.single(y):
            return not self.links.blocked(x, y)
        total = self.total[y].get(x) if self.single(x) else self.total[x].get(y)
        return total is not None and total / (self.size(x) * self.size(y)) == -entry[0]

    def first_entry(self) -> int | None:
        """The encoded entry at ``next_first`` in the first joins (None past the end)."""
        if self.next_first == len(self.first):
            return None
        position = int(self.first[self.next_first])
        return _encode(float(self.pairs.values[position]), *self.pairs.pair(position))

    def best(self) -> tuple[float, tuple[int, int]] | None:
        """The highest average at or over the threshold across unblocked clusters; the smallest ids on a tie."""
        while True:
            first = self.first_key
            later = self.heap[0] if self.heap else None
            if first is None and later is None:
                return None
            from_first = later is None or (first is not None and first < later)
            key = first if from_first else later
            assert key is not None
            entry = _decode(key)
            if self.current(entry) and not self.links.blocked(entry[1], entry[2]):
                return -entry[0], (entry[1], entry[2])
            if from_first:
                self.next_first += 1
                self.first_key = self.first_entry()
            else:
                heapq.heappop(self.heap)

    def sums_of(self, x: int) -> dict[int, float]:
        return self.neighbours(x) if self.single(x) else self.total[x]

    def folded_sums(self, x: int, y: int, kept: dict[int, float], folded: dict[int, float]) -> dict[int, float]:
        """The sums of the joined cluster with each cluster it may still join (x's sum plus y's, as before),
        given the sums of x and of y before the join."""
        self.total.pop(x, None)
        self.total.pop(y, None)
        tree_x, tree_y = self.tree(x), self.tree(y)
        sums: dict[int, float] = {}
        for z in (kept.keys() | folded.keys()) - {x, y}:
            if not self.single(z):
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
        kept, folded = self.sums_of(x), self.sums_of(y)  # as the cannot-links were before the join
        self.links.join(x, y)
        sums = self.folded_sums(x, y, kept, folded)
        self.trees[x] = _Tree(x, self.steps, self.tree(x), self.tree(y))
        self.trees.pop(y, None)
        self.steps += 1
        for item in self.members[y]:
            self.root[item] = x
        self.members[x].extend(self.members.pop(y))
        self.joins[x].extend([*self.joins.pop(y), value])
        self.total[x] = sums
        for z, total in sums.items():
            if not self.single(z):
                self.total[z][x] = total
            self.push(x, z, total)
        if len(self.heap) > self.compact_at:
            self.compact()

    def compact(self) -> None:
        """Drop stale heap entries. An entry that is stale now is never needed again: whenever a join makes
        a pair's average what an old entry says, that join pushes the same entry anew."""
        self.heap = [key for key in self.heap if self.current(_decode(key))]
        heapq.heapify(self.heap)
        self.compact_at = max(COMPACT, 2 * len(self.heap))


def agglomerate(
    n: int,
    scores: Mapping[tuple[int, int], float] | Pairs,
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
    if n >= 1 << 32:
        raise ValueError(f"{n} items: a block is clustered in at most 2**32 - 1")
    links = cannot if isinstance(cannot, CannotLinks) else PairLinks(cannot)
    pairs = scores if isinstance(scores, Pairs) else Pairs.of(n, scores)
    state = _State(n, pairs, links, threshold, score or (lambda i, j: UNSCORED))
    while (found := state.best()) is not None:
        value, (x, y) = found
        state.join(x, y, value)
    keys = sorted(state.members)
    return Clustering(
        members=[sorted(state.members[k]) for k in keys],
        joins=[state.joins[k] for k in keys],
    )
