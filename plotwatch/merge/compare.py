"""Comparators: one small function per field, each saying how much two mentions agree.

Every comparator returns a number in [-1, 1]: 1 is strong agreement, -1 a
contradiction, 0 "the field says nothing" (unknown on one side). ``score``
weighs them (``WEIGHTS``) into one number that clustering compares with the
threshold (``plotwatch.merge.cluster.THRESHOLD``). ``conflict`` returns the
reason two mentions can never be one incident (a cannot-link), or None;
``Conflicts`` tells the same of two clusters of mentions from a summary of
each, so that clustering never needs the cannot-links pair by pair.
``screen.Screen`` bounds ``score`` and tells ``conflict`` for many pairs at
once (numpy), to find the pairs worth scoring.

See docs/merging.md for what each comparator does and why its weight is what it is.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from plotwatch.merge.mentions import Mention
from plotwatch.models import HOSTILE_TYPES

__all__ = [
    "COMPARATORS",
    "PRIOR",
    "WEIGHTS",
    "BlockStats",
    "Conflicts",
    "conflict",
    "features",
    "foreign_state",
    "lead_days",
    "needed_score",
    "probability",
    "score",
]

# Pseudo-mentions added to every block's IDF, so that a small block does not
# discount the very words its two mentions share.
IDF_PSEUDO_COUNT = 10
# Summed IDF of shared proper nouns that counts as full agreement.
NAMES_FULL_IDF = 3.0
# Types whose place is where the act happened (not the capital that decided it).
PLACED_TYPES = frozenset({*HOSTILE_TYPES, "ARREST"})
# Log-odds that two mentions of one block are one incident when no field tells.
PRIOR = -1.0
# Two dated mentions further apart than this are different incidents.
MAX_DATE_GAP_DAYS = 45
# An undated mention may report an event at most this long after its publication
# (a planned act can be reported before it happens; anything else cannot).
PLANNED_LEAD_DAYS = 366
# ... and any other act at most this long after (a report dated the next morning).
REPORT_LEAD_DAYS = 2
# Places closer than NEAR_KM are the same place; further than FAR_KM, different ones.
NEAR_KM, FAR_KM = 30.0, 300.0


class BlockStats:
    """Statistics of one block that comparators need (inverse document frequency of words)."""

    def __init__(self, mentions: Iterable[Mention]) -> None:
        frequency: Counter[str] = Counter()
        n = 0
        for mention in mentions:
            frequency.update(mention.words | mention.proper)
            n += 1
        self.n = n
        self.frequency = frequency
        self._idf: dict[str, float] = {}
        self._weight: dict[str, float] = {}
        self._norm: dict[int, tuple[frozenset[str], float]] = {}

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency in the block (IDF_PSEUDO_COUNT pseudo-mentions lack every word)."""
        value = self._idf.get(word)
        if value is None:
            value = self._idf[word] = math.log((self.n + IDF_PSEUDO_COUNT) / (self.frequency.get(word, 0) + 0.5))
        return value

    def weight(self, word: str) -> float:
        """A word's weight in the cosine: its squared IDF."""
        value = self._weight.get(word)
        if value is None:
            value = self._weight[word] = self.idf(word) ** 2
        return value

    def norm(self, words: frozenset[str]) -> float:
        """The summed weight of ``words``, computed once per set (``math.fsum``: the same bits in any order)."""
        known = self._norm.get(id(words))
        if known is None or known[0] is not words:
            known = self._norm[id(words)] = (words, math.fsum(map(self.weight, words)))
        return known[1]


def _gap_days(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Days between two spans; 0 when they overlap."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def date_agreement(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Overlapping dates agree the more, the more precise they are; distant ones contradict."""
    if a.span is None or b.span is None:
        return 0.0
    gap = _gap_days(a.span, b.span)
    if gap == 0:
        width = max(a.span[1] - a.span[0], b.span[1] - b.span[0])
        return 1.0 if width == 0 else 0.6 if width <= 31 else 0.2
    return 0.0 if gap <= 3 else -1.0


def report_proximity(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Undated mentions in other reports of the same days are likely about the same event."""
    if (a.span is not None and b.span is not None) or a.event.doc_id == b.event.doc_id:
        return 0.0
    if a.published is None or b.published is None:
        return 0.0
    gap = _gap_days(a.published, b.published)
    return 1.0 if gap <= 7 else 0.5 if gap <= 31 else 0.0


def _same(x: str | None, y: str | None) -> float:
    if not x or not y:
        return 0.0
    return 1.0 if x == y else -1.0


def foreign_state(state: str | None, mention: Mention) -> str | None:
    """A state other than the country where the act happened (that one says nothing beyond the block)."""
    return state if state and state != mention.event.country else None


def actor_agreement(a: Mention, b: Mention, stats: BlockStats) -> float:
    """The states behind the act (a plot's sponsor), when other than the country of the act."""
    return _same(foreign_state(a.event.actor.state, a), foreign_state(b.event.actor.state, b))


def target_agreement(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Whose people or diplomats were acted on, when other than the country of the act."""
    return _same(foreign_state(a.event.target.state, a), foreign_state(b.event.target.state, b))


def count_agreement(a: Mention, b: Mention, stats: BlockStats) -> float:
    """The number of people acted on ("expelled 23 diplomats")."""
    x, y = a.event.count, b.event.count
    if x is None or y is None:
        return 0.0
    return 1.0 if x == y else -1.0


def participant_agreement(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Shared names of perpetrators or victims; different names on both sides count a little against."""
    if not a.names or not b.names:
        return 0.0
    return 1.0 if a.names & b.names else -0.5


def shared_names(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Proper nouns both evidence sentences use ("Assadi", "Vienna", "Ringsted"), rare ones counting most."""
    shared = math.fsum(stats.idf(word) for word in a.proper & b.proper)  # any set order: the same bits
    return min(1.0, shared / NAMES_FULL_IDF)


def _km(a: Mention, b: Mention) -> float:
    pa, pb = a.event.place, b.event.place
    assert pa.lat is not None and pa.lon is not None and pb.lat is not None and pb.lon is not None
    lat1, lat2 = math.radians(pa.lat), math.radians(pb.lat)
    dlat, dlon = lat2 - lat1, math.radians(pb.lon - pa.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _names_other_place(a: Mention, b: Mention) -> bool:
    """Whether b's evidence names a's place ("in Surrey, British Columbia" names both)."""
    name = a.event.place.name
    return name is not None and name != "" and name in b.event.evidence.text


def place_agreement(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Places more precise than a country: the same (or near) agree, far apart contradict.

    A place named in the other's evidence is consistent (a region and a town in it).
    Only for acts whose place says where they happened (a plot, an arrest); the
    place of an expulsion or a sanction is the capital that decided it.
    """
    if a.event.type not in PLACED_TYPES or not a.specific_place or not b.specific_place:
        return 0.0
    same_id = a.event.place.geonameid is not None and a.event.place.geonameid == b.event.place.geonameid
    if same_id or a.event.place.name == b.event.place.name:
        return 1.0
    if _names_other_place(a, b) or _names_other_place(b, a):
        return 0.5
    distance = _km(a, b)
    return 1.0 if distance <= NEAR_KM else -1.0 if distance >= FAR_KM else 0.0


def text_similarity(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Cosine similarity of the evidence sentences' content words, weighted by IDF (0..1)."""
    if not a.words or not b.words:
        return 0.0
    shared = math.fsum(map(stats.weight, a.words & b.words))  # any set order: the same bits
    return shared / math.sqrt(stats.norm(a.words) * stats.norm(b.words))


def same_document(a: Mention, b: Mention, stats: BlockStats) -> float:
    """A document that mentions an act twice usually means one act (a repeat: "the expulsion")."""
    return 1.0 if a.event.doc_id == b.event.doc_id else 0.0


def wire_copy(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Mentions in a document and its near-duplicate (wire copy) with near-identical evidence."""
    ea, eb = a.event, b.event
    copies = (
        a.doc.copy_of == eb.doc_id
        or b.doc.copy_of == ea.doc_id
        or (a.doc.copy_of is not None and a.doc.copy_of == b.doc.copy_of)
    )
    return 1.0 if copies and text_similarity(a, b, stats) >= 0.5 else 0.0


def type_agreement(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Types of one group (KILL and ATTACK) may share an incident, a little against the odds."""
    return 0.0 if a.event.type == b.event.type else -1.0


Comparator = Callable[[Mention, Mention, BlockStats], float]

COMPARATORS: dict[str, Comparator] = {
    "date": date_agreement,
    "report": report_proximity,
    "actor": actor_agreement,
    "target": target_agreement,
    "count": count_agreement,
    "participants": participant_agreement,
    "names": shared_names,
    "place": place_agreement,
    "text": text_similarity,
    "same_document": same_document,
    "wire_copy": wire_copy,
    "type": type_agreement,
}

# How much each comparator counts; the sum is compared with THRESHOLD (cluster.py).
WEIGHTS: dict[str, float] = {
    "date": 2.0,
    "report": 0.8,
    "actor": 0.8,
    "target": 1.2,
    "count": 0.6,
    "participants": 2.0,
    "names": 1.5,
    "place": 1.5,
    "text": 3.0,
    "same_document": 1.5,
    "wire_copy": 4.0,
    "type": 0.5,
}


def features(a: Mention, b: Mention, stats: BlockStats) -> dict[str, float]:
    """Every comparator's value for the pair (for explanations and tuning)."""
    return {name: comparator(a, b, stats) for name, comparator in COMPARATORS.items()}


def score(a: Mention, b: Mention, stats: BlockStats) -> float:
    """The weighted sum of the comparators (log-odds that the pair is one incident, less the prior)."""
    return sum(WEIGHTS[name] * comparator(a, b, stats) for name, comparator in COMPARATORS.items())


def probability(value: float) -> float:
    """A pair score as the probability that the pair is one incident."""
    return 1.0 / (1.0 + math.exp(-(value + PRIOR)))


def lead_days(mention: Mention) -> int:
    """How long after an undated report the act of ``mention`` may be dated."""
    return PLANNED_LEAD_DAYS if mention.event.status == "planned" else REPORT_LEAD_DAYS


def conflict(a: Mention, b: Mention) -> str | None:
    """Why ``a`` and ``b`` can never be one incident, or None."""
    if a.group != b.group:
        return "different kinds of act"
    if a.span is not None and b.span is not None and _gap_days(a.span, b.span) > MAX_DATE_GAP_DAYS:
        return "dates too far apart"
    for first, second in ((a, b), (b, a)):
        if first.span is None or second.span is not None or second.published is None:
            continue
        if first.span[0] > second.published[1] + lead_days(first):
            return "reported before it happened"
    return None


_NEVER = -(10**9)  # a start before any date: no constraint
_ALWAYS = 10**9  # an end after any date


@dataclass(frozen=True)
class _Summary:
    """What ``conflict`` needs of a cluster: its group, the extremes of its dates and of its undated reports."""

    group: str
    last_start: int = _NEVER  # the latest first day of a dated member
    first_end: int = _ALWAYS  # the earliest last day of a dated member
    last_start_minus_lead: int = _NEVER  # the latest first day of a dated member, less its lead_days
    first_report: int = _ALWAYS  # the earliest publication (last day) of an undated member

    @classmethod
    def of(cls, mention: Mention) -> _Summary:
        if mention.span is not None:
            start, end = mention.span
            return cls(mention.group, start, end, start - lead_days(mention))
        if mention.published is not None:
            return cls(mention.group, first_report=mention.published[1])
        return cls(mention.group)

    def merged(self, other: _Summary) -> _Summary:
        return _Summary(
            self.group,
            max(self.last_start, other.last_start),
            min(self.first_end, other.first_end),
            max(self.last_start_minus_lead, other.last_start_minus_lead),
            min(self.first_report, other.first_report),
        )

    def conflicts(self, other: _Summary) -> bool:
        return (
            self.group != other.group
            or self.last_start - other.first_end > MAX_DATE_GAP_DAYS
            or other.last_start - self.first_end > MAX_DATE_GAP_DAYS
            or self.last_start_minus_lead > other.first_report
            or other.last_start_minus_lead > self.first_report
        )


class Conflicts:
    """Cannot-links between clusters of ``mentions`` (clusters named by a member's index, as in ``agglomerate``).

    Two clusters conflict exactly when ``conflict`` holds for some pair across
    them: dates more than ``MAX_DATE_GAP_DAYS`` apart are the latest start
    against the earliest end, and a report before its act is the latest start
    (less its lead) against the earliest undated report.
    """

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.summaries = {i: _Summary.of(mention) for i, mention in enumerate(mentions)}

    def blocked(self, x: int, y: int) -> bool:
        return self.summaries[x].conflicts(self.summaries[y])

    def join(self, x: int, y: int) -> None:
        self.summaries[x] = self.summaries[x].merged(self.summaries.pop(y))


def needed_score(threshold: float) -> float:
    """The least pair score whose ``probability`` reaches ``threshold``."""
    if threshold >= 1.0:
        return math.inf  # a score is at most the sum of the weights: its probability stays under 1
    return math.log(threshold / (1.0 - threshold)) - PRIOR if threshold > 0.0 else -math.inf
