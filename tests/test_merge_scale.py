"""The sparse merge equals the all-pairs one: agglomeration against the former dense algorithm, and
cannot-links told cluster by cluster against the pairs listed one by one (issue 7)."""

from __future__ import annotations

import random

import pytest

from plotwatch.merge.cluster import UNSCORED, Clustering, agglomerate

# The dense agglomeration that plotwatch used before issue 7, kept as the reference.


def _key(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


class _DenseState:
    def __init__(self, n: int, scores: dict[tuple[int, int], float], cannot: set[tuple[int, int]]) -> None:
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


def dense_agglomerate(
    n: int, scores: dict[tuple[int, int], float], cannot: set[tuple[int, int]], threshold: float
) -> Clustering:
    state = _DenseState(n, scores, cannot)
    while (found := state.best(threshold)) is not None:
        value, (x, y) = found
        state.join(x, y, value)
    keys = sorted(state.members)
    return Clustering(members=[sorted(state.members[k]) for k in keys], joins=[state.joins[k] for k in keys])


# Few distinct values, so that averages tie often (also after joins, where sums of equal terms meet).
VALUES = [0.25, 0.5, 0.6, 0.75, 1.0]


def random_case(rng: random.Random) -> tuple[int, dict[tuple[int, int], float], set[tuple[int, int]]]:
    n = rng.randint(0, 24)
    density, blocking = rng.random(), rng.random() * 0.3
    scores: dict[tuple[int, int], float] = {}
    cannot: set[tuple[int, int]] = set()
    for x in range(n):
        for y in range(x + 1, n):
            if rng.random() < blocking:
                cannot.add((x, y))
            elif rng.random() < density:
                scores[(x, y)] = rng.choice(VALUES) if rng.random() < 0.8 else rng.random()
    return n, scores, cannot


@pytest.mark.parametrize("threshold", [0.5, 0.3, 0.6, 0.75])
def test_sparse_agglomeration_equals_the_dense_one(threshold: float) -> None:
    rng = random.Random(int(threshold * 100))
    for _ in range(1000):
        n, scores, cannot = random_case(rng)
        expected = dense_agglomerate(n, scores, cannot, threshold)
        found = agglomerate(n, scores, cannot, threshold)
        assert found.members == expected.members
        assert found.joins == expected.joins


def test_ties_go_to_the_smallest_cluster_ids_also_after_a_join() -> None:
    # 0+1 join first (1.0); then (0, 2) and (3, 4) both average 0.75: the dense scan met (0, 2) first.
    scores = {(0, 1): 1.0, (0, 2): 0.75, (1, 2): 0.75, (3, 4): 0.75, (2, 3): 0.6}
    for n_cannot in [set(), {(1, 4)}]:
        expected = dense_agglomerate(5, scores, n_cannot, 0.5)
        assert agglomerate(5, scores, n_cannot).joins == expected.joins
        assert agglomerate(5, scores, n_cannot).members == expected.members


def test_a_threshold_at_or_below_unscored_is_refused() -> None:
    with pytest.raises(ValueError, match="must be above"):
        agglomerate(2, {(0, 1): 0.9}, set(), threshold=UNSCORED)
