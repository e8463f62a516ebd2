"""The sparse merge equals the all-pairs one: agglomeration against the former dense algorithm, and
cannot-links told cluster by cluster against the pairs listed one by one (issue 7)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest

from plotwatch.merge import DocInfo, _confidence, cluster, cluster_block, strong_pairs
from plotwatch.merge.cluster import UNSCORED, Clustering, agglomerate
from plotwatch.merge.compare import BlockStats, Conflicts, conflict, probability, score
from plotwatch.merge.mentions import Mention
from plotwatch.merge.screen import Screen
from plotwatch.models import Actor, Event, Evidence, Perpetrator, Place

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


@pytest.mark.parametrize("dict_pairs", [cluster.DICT_PAIRS, 0])  # pair lookups through a dict, and through numpy
@pytest.mark.parametrize("threshold", [0.5, 0.3, 0.6, 0.75])
def test_sparse_agglomeration_equals_the_dense_one(
    threshold: float, dict_pairs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "DICT_PAIRS", dict_pairs)
    rng = random.Random(int(threshold * 100))
    for _ in range(1000):
        n, scores, cannot = random_case(rng)
        expected = dense_agglomerate(n, scores, cannot, threshold)
        found = agglomerate(n, scores, cannot, threshold)
        assert found.members == expected.members
        assert found.joins == expected.joins


@pytest.mark.parametrize("dict_pairs", [cluster.DICT_PAIRS, 0])
@pytest.mark.parametrize("threshold", [0.5, 0.3, 0.6])
def test_pairs_under_the_threshold_asked_only_when_needed_change_nothing(
    threshold: float, dict_pairs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "DICT_PAIRS", dict_pairs)
    rng = random.Random(7 + int(threshold * 100))
    for _ in range(1000):
        n, scores, cannot = random_case(rng)
        asked: list[tuple[int, int]] = []

        def score(i: int, j: int, scores: dict[tuple[int, int], float] = scores, asked: list = asked) -> float:
            asked.append((i, j))
            return scores.get((i, j), UNSCORED)

        strong = {pair: value for pair, value in scores.items() if value >= threshold}
        found = agglomerate(n, strong, cannot, threshold, score=score)
        expected = dense_agglomerate(n, scores, cannot, threshold)
        assert (found.members, found.joins) == (expected.members, expected.joins)
        assert not set(asked) & cannot
        assert not set(asked) & strong.keys()


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


# Random blocks of hand-built mentions: few words, places, names and days, so that pairs share a lot.
WORDS = ["police", "arrested", "diplomat", "embassy", "Vienna", "Assadi", "plot", "rally", "bomb", "Berlin", "agent",
         "spy", "exiles", "Ringsted", "court", "Danish", "Iranian", "sentenced", "Salisbury", "nerve"]  # fmt: skip
PLACES = [Place("Berlin", 52.52, 13.40, 2950159, "DEU"), Place("Potsdam", 52.39, 13.06, 2852458, "DEU"),
          Place("Munich", 48.14, 11.58, 2867714, "DEU"), Place("Vienna", 48.21, 16.37, 2761369, "AUT"),
          Place("Germany", 51.0, 10.0, None, "DEU"), Place()]  # fmt: skip


def random_date(rng: random.Random) -> str | None:
    day = date(2018, 1, 1) + timedelta(days=rng.randint(0, 900))
    return rng.choice([None, None, day.isoformat(), day.isoformat(), day.isoformat()[:7], day.isoformat()[:4]])


def random_block(rng: random.Random, n: int) -> list[Mention]:
    docs = {f"d{k}": DocInfo(published=random_date(rng) or "2019-03-01", seq=k) for k in range(max(1, n // 2))}
    docs["c0"] = DocInfo(published=None, seq=99, copy_of="d0")
    docs["c1"] = DocInfo(published="2018-05-02", seq=98, copy_of="d0")
    group = rng.choice([["KILL", "ATTACK"], ["EXPEL"], ["ARREST"]])
    mentions = []
    for k in range(n):
        doc = rng.choice(sorted(docs))
        text = " ".join(rng.sample(WORDS, rng.randint(0, 7)))
        event = Event(
            doc_id=doc, type=rng.choice(group), evidence=Evidence(text, k * 100, k * 100 + len(text)),
            status=rng.choice(["actual", "actual", "planned"]), date=random_date(rng), country="DEU",
            place=rng.choice(PLACES), actor=Actor(state=rng.choice([None, "IRN", "RUS", "DEU"])),
            target=Actor(state=rng.choice([None, "IRN", "RUS"])), count=rng.choice([None, None, 2, 3]),
            perpetrators=[Perpetrator(name) for name in rng.sample(["Ali Reza", "Vadim Krasikov", "Assadi"], 1)
                          if rng.random() < 0.4],
            victims=rng.sample(["Zelimkhan Khangoshvili", "Sergei Skripal"], rng.randint(0, 1)),
        )  # fmt: skip
        if rng.random() < 0.15:
            event.date_end = random_date(rng)
        mentions.append(Mention(event, docs[doc]))
    return sorted(mentions, key=lambda mention: mention.event.event_id)


def test_the_screen_bounds_every_score_and_finds_every_conflict() -> None:
    rng = random.Random(3)
    for _ in range(60):
        mentions = random_block(rng, rng.randint(1, 30))
        stats = BlockStats(mentions)
        screen = Screen(mentions, stats)
        everyone = np.arange(len(mentions))
        bound = screen.bound(everyone, everyone)
        conflicts = screen.conflicts(everyone[:, None], everyone[None, :])
        for i, a in enumerate(mentions):
            for j, b in enumerate(mentions):
                assert conflicts[i, j] == (conflict(a, b) is not None)
                assert i == j or bound[i, j] >= score(a, b, stats) - 1e-9


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7])
def test_strong_pairs_are_every_pair_at_the_threshold(threshold: float) -> None:
    rng = random.Random(int(threshold * 10))
    for _ in range(60):
        mentions = random_block(rng, rng.randint(1, 40))
        stats = BlockStats(mentions)
        expected = {
            (i, j): probability(score(mentions[i], mentions[j], stats))
            for i in range(len(mentions))
            for j in range(i + 1, len(mentions))
            if conflict(mentions[i], mentions[j]) is None
        }
        assert dict(strong_pairs(mentions, stats, threshold).items()) == {
            pair: value for pair, value in expected.items() if value >= threshold
        }


def all_pairs_incidents(mentions: list[Mention]) -> list[tuple[list[str], list[float]]]:
    """The clustering of the former merge: every pair scored, the dense agglomeration."""
    stats = BlockStats(mentions)
    scores, cannot = {}, set()
    for i, a in enumerate(mentions):
        for j in range(i + 1, len(mentions)):
            if conflict(a, mentions[j]) is None:
                scores[(i, j)] = probability(score(a, mentions[j], stats))
            else:
                cannot.add((i, j))
    clustering = dense_agglomerate(len(mentions), scores, cannot, 0.5)
    return [
        ([mentions[i].event.event_id for i in members], joins)
        for members, joins in zip(clustering.members, clustering.joins, strict=True)
    ]


def test_cluster_block_equals_the_all_pairs_merge() -> None:
    rng = random.Random(11)
    for _ in range(60):
        mentions = random_block(rng, rng.randint(1, 40))
        expected = all_pairs_incidents(mentions)
        found = cluster_block(mentions)
        confidences = [_confidence([m for m in mentions if m.event.event_id in ids], joins) for ids, joins in expected]
        assert sorted(
            (sorted(e.event_id for e in incident.events), incident.confidence) for incident in found
        ) == sorted((sorted(ids), confidence) for (ids, _), confidence in zip(expected, confidences, strict=True))


def test_cannot_links_told_by_cluster_equal_the_pairs() -> None:
    rng = random.Random(5)
    for _ in range(100):
        mentions = random_block(rng, rng.randint(1, 30))
        n = len(mentions)
        cannot = {(i, j) for i in range(n) for j in range(i + 1, n) if conflict(mentions[i], mentions[j]) is not None}
        scores = {(i, j): rng.choice(VALUES) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.5}
        assert agglomerate(n, scores, Conflicts(mentions)) == agglomerate(n, scores, cannot)
