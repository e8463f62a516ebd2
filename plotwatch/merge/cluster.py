"""Threshold clustering: average-linkage agglomeration that stops at ``THRESHOLD``.

Clusters start as single mentions. The two clusters with the highest average
pair score are joined, again and again, while that average is at least
``THRESHOLD`` and no pair across them is a cannot-link. ``THRESHOLD`` is the
precision/recall knob: raise it and fewer mentions are joined (fewer wrong
merges, more split incidents); lower it and more are (docs/merging.md has the
measured effect).

The result depends only on the set of mentions and their scores, never on the
order they came in: ties are broken by the mentions' positions in a canonical
order that the caller fixes (event ids).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["THRESHOLD", "Clustering", "agglomerate"]

THRESHOLD = 0.5
# The value of a pair that was not compared (outside the candidate window).
UNSCORED = 0.0


@dataclass
class Clustering:
    """Clusters as lists of indices, each with the linkage scores of the joins that built it."""

    members: list[list[int]]
    joins: list[list[float]] = field(default_factory=list)


def _key(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


class _State:
    def __init__(self, n: int, scores: Mapping[tuple[int, int], float], cannot: set[tuple[int, int]]) -> None:
        self.members: dict[int, list[int]] = {i: [i] for i in range(n)}
        self.joins: dict[int, list[float]] = {i: [] for i in range(n)}
        self.total: dict[tuple[int, int], float] = {}
        self.blocked: set[tuple[int, int]] = set(cannot)
        for x in range(n):
            for y in range(x + 1, n):
                self.total[(x, y)] = scores.get((x, y), UNSCORED)

    def average(self, pair: tuple[int, int]) -> float:
        x, y = pair
        return self.total[pair] / (len(self.members[x]) * len(self.members[y]))

    def best(self, threshold: float) -> tuple[float, tuple[int, int]] | None:
        found: tuple[float, tuple[int, int]] | None = None
        for pair in self.total:
            if pair in self.blocked:
                continue
            value = self.average(pair)
            if value >= threshold and (found is None or value > found[0]):
                found = (value, pair)
        return found

    def join(self, x: int, y: int, value: float) -> None:
        """Fold cluster ``y`` into ``x`` (x < y): sums add up, a cannot-link of either blocks both."""
        for z in list(self.members):
            if z in (x, y):
                continue
            kx, ky = _key(x, z), _key(y, z)
            self.total[kx] += self.total.pop(ky)
            if ky in self.blocked:
                self.blocked.add(kx)
        del self.total[(x, y)]
        self.members[x].extend(self.members.pop(y))
        self.joins[x].extend([*self.joins.pop(y), value])


def agglomerate(
    n: int,
    scores: Mapping[tuple[int, int], float],
    cannot: set[tuple[int, int]],
    threshold: float = THRESHOLD,
) -> Clustering:
    """Cluster ``n`` items given pair ``scores`` (keys (i, j), i < j) and cannot-link pairs."""
    state = _State(n, scores, cannot)
    while (found := state.best(threshold)) is not None:
        value, (x, y) = found
        state.join(x, y, value)
    keys = sorted(state.members)
    return Clustering(
        members=[sorted(state.members[k]) for k in keys],
        joins=[state.joins[k] for k in keys],
    )
