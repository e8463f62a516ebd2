"""Comparators: one small function per field, each saying how much two mentions agree.

Every comparator returns a number in [-1, 1]: 1 is strong agreement, -1 a
contradiction, 0 "the field says nothing" (unknown on one side). ``score``
weighs them (``WEIGHTS``) into one number that clustering compares with the
threshold (``plotwatch.merge.cluster.THRESHOLD``). ``conflict`` returns the
reason two mentions can never be one incident (a cannot-link), or None;
``Conflicts`` tells the same of two clusters of mentions from a summary of
each, so that clustering never needs the cannot-links pair by pair.

See docs/merging.md for what each comparator does and why its weight is what it is.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

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
        """The summed weight of ``words``, computed once per set (in the set's own order, so always alike)."""
        known = self._norm.get(id(words))
        if known is None or known[0] is not words:
            known = self._norm[id(words)] = (words, sum(map(self.weight, words)))
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


def _foreign(state: str | None, mention: Mention) -> str | None:
    """A state other than the country where the act happened (that one says nothing beyond the block)."""
    return state if state and state != mention.event.country else None


def actor_agreement(a: Mention, b: Mention, stats: BlockStats) -> float:
    """The states behind the act (a plot's sponsor), when other than the country of the act."""
    return _same(_foreign(a.event.actor.state, a), _foreign(b.event.actor.state, b))


def target_agreement(a: Mention, b: Mention, stats: BlockStats) -> float:
    """Whose people or diplomats were acted on, when other than the country of the act."""
    return _same(_foreign(a.event.target.state, a), _foreign(b.event.target.state, b))


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
    shared = sum(stats.idf(word) for word in a.proper & b.proper)
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
    shared = sum(map(stats.weight, a.words & b.words))
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


Matrix = npt.NDArray[np.float64]
Indices = npt.NDArray[np.intp]


def _codes(values: Sequence[object]) -> npt.NDArray[np.int64]:
    """Equal values get equal codes; None gets -1."""
    table: dict[object, int] = {}
    return np.array([-1 if value is None else table.setdefault(value, len(table)) for value in values], np.int64)


class Screen:
    """``score`` of many pairs at once, from above: numpy over a block, to find the pairs that may reach a value.

    Each comparator has its bound here, equal to it except that shared words
    and names are summed in another order, a distance on the border of
    ``NEAR_KM`` or ``FAR_KM`` counts the higher value and a wire copy is taken
    to be alike; ``score`` then decides.
    """

    def __init__(self, mentions: Sequence[Mention], stats: BlockStats) -> None:
        events = [mention.event for mention in mentions]
        self.n = len(mentions)
        self.span = self._days([mention.span for mention in mentions])
        self.published = self._days([mention.published for mention in mentions])
        documents = _codes([*(event.doc_id for event in events), *(mention.doc.copy_of for mention in mentions)])
        self.doc, self.copy_of = documents[: self.n], documents[self.n :]  # one code per document
        self.actor = _codes([_foreign(mention.event.actor.state, mention) for mention in mentions])
        self.target = _codes([_foreign(mention.event.target.state, mention) for mention in mentions])
        self.count = _codes([event.count for event in events])
        self.type = _codes([event.type for event in events])
        self.group = _codes([mention.group for mention in mentions])
        self.lead = np.array([lead_days(mention) for mention in mentions], np.int64)
        self._places(mentions)
        self.words = _Tokens([mention.words for mention in mentions], stats.weight)
        self.norm = np.array([stats.norm(mention.words) for mention in mentions])
        self.proper = _Tokens([mention.proper for mention in mentions], stats.idf)
        self.names = _Tokens([mention.names for mention in mentions], lambda _: 1.0)

    @staticmethod
    def _days(spans: Sequence[tuple[int, int] | None]) -> npt.NDArray[np.int64]:
        return np.array([span or (_NEVER, _NEVER) for span in spans], np.int64).reshape(-1, 2)

    def _places(self, mentions: Sequence[Mention]) -> None:
        places = [mention.event.place for mention in mentions]
        self.placed_type = np.array([mention.event.type in PLACED_TYPES for mention in mentions], bool)
        self.specific = np.array([mention.specific_place for mention in mentions], bool)
        self.geonameid = _codes([place.geonameid for place in places])
        self.place_name = _codes([place.name for place in places])
        self.lat = np.radians([place.lat or 0.0 for place in places])
        self.lon = np.radians([place.lon or 0.0 for place in places])
        names = list(dict.fromkeys(place.name for place in places if place.name is not None))
        texts = np.array([mention.event.evidence.text for mention in mentions], dtype=str)
        found = [np.char.find(texts, name) >= 0 for name in names]  # found[k][j]: name k is in the evidence of j
        self.named_in = np.array(found, bool) if found else np.zeros((1, self.n), bool)

    def conflicts(self, a: Indices, b: Indices) -> npt.NDArray[np.bool_]:
        """``conflict(a, b) is not None``, for every a in ``a`` and b in ``b`` (broadcast)."""
        a0, a1, b0, b1 = self.span[a, 0], self.span[a, 1], self.span[b, 0], self.span[b, 1]
        dated_a, dated_b = a0 > _NEVER, b0 > _NEVER
        apart = dated_a & dated_b & ((a0 - b1 > MAX_DATE_GAP_DAYS) | (b0 - a1 > MAX_DATE_GAP_DAYS))
        report_a = ~dated_a & (self.published[a, 0] > _NEVER)
        report_b = ~dated_b & (self.published[b, 0] > _NEVER)
        early = (dated_a & report_b & (a0 - self.lead[a] > self.published[b, 1])) | (
            dated_b & report_a & (b0 - self.lead[b] > self.published[a, 1])
        )
        found: npt.NDArray[np.bool_] = (self.group[a] != self.group[b]) | apart | early
        return found

    def bound(self, rows: Indices, cols: Indices) -> Matrix:
        """An upper bound of ``score(a, b)`` for every a in ``rows`` and b in ``cols`` (rows by cols)."""
        a, b = rows[:, None], cols[None, :]
        total = np.zeros((len(rows), len(cols)))
        for name, bound in _BOUNDS.items():
            total += WEIGHTS[name] * bound(self, a, b)
        total += WEIGHTS["text"] * self.words.shared(rows, cols) / np.sqrt(self.norm[a] * self.norm[b]).clip(1e-300)
        total += WEIGHTS["names"] * np.minimum(1.0, self.proper.shared(rows, cols) / NAMES_FULL_IDF)
        named = (self.names.size[a] > 0) & (self.names.size[b] > 0)
        shared = np.where(self.names.shared(rows, cols) > 0, 1.0, -0.5)
        total += WEIGHTS["participants"] * np.where(named, shared, 0.0)
        return total


class _Tokens:
    """Which mentions hold each token, and the weight a shared token adds."""

    def __init__(self, sets: Sequence[frozenset[str]], weight: Callable[[str], float]) -> None:
        postings: dict[str, list[int]] = {}
        for i, tokens in enumerate(sets):
            for token in tokens:
                postings.setdefault(token, []).append(i)
        self.sets = sets
        self.postings = {token: np.array(items, np.intp) for token, items in postings.items() if len(items) > 1}
        self.weight = {token: weight(token) for token in self.postings}
        self.size = np.array([len(tokens) for tokens in sets], np.int64)

    def shared(self, rows: Indices, cols: Indices) -> Matrix:
        """The summed weight of the tokens each row shares with each column."""
        position = np.full(len(self.sets), -1, np.intp)
        position[cols] = np.arange(len(cols))
        by_token: dict[str, list[int]] = {}
        for r, i in enumerate(rows):
            for token in self.sets[i]:
                if token in self.postings:
                    by_token.setdefault(token, []).append(r)
        total = np.zeros((len(rows), len(cols)))
        for token, found in by_token.items():
            at = position[self.postings[token]]
            at = at[at >= 0]
            if len(at):
                total[np.ix_(np.array(found, np.intp), at)] += self.weight[token]
        return total


def _date_bound(screen: Screen, a: Indices, b: Indices) -> Matrix:
    (a0, a1), (b0, b1) = (screen.span[a, 0], screen.span[a, 1]), (screen.span[b, 0], screen.span[b, 1])
    dated = (a0 > _NEVER) & (b0 > _NEVER)
    gap = np.maximum(0, np.maximum(a0, b0) - np.minimum(a1, b1))
    width = np.maximum(a1 - a0, b1 - b0)
    overlap = np.where(width == 0, 1.0, np.where(width <= 31, 0.6, 0.2))
    return np.where(dated, np.where(gap == 0, overlap, np.where(gap <= 3, 0.0, -1.0)), 0.0)


def _report_bound(screen: Screen, a: Indices, b: Indices) -> Matrix:
    dated = (screen.span[a, 0] > _NEVER) & (screen.span[b, 0] > _NEVER)
    published = (screen.published[a, 0] > _NEVER) & (screen.published[b, 0] > _NEVER)
    p, q = screen.published[a], screen.published[b]
    gap = np.maximum(0, np.maximum(p[..., 0], q[..., 0]) - np.minimum(p[..., 1], q[..., 1]))
    value = np.where(gap <= 7, 1.0, np.where(gap <= 31, 0.5, 0.0))
    return np.where(~dated & published & (screen.doc[a] != screen.doc[b]), value, 0.0)


def _same_bound(codes: Callable[[Screen], npt.NDArray[np.int64]]) -> Callable[[Screen, Indices, Indices], Matrix]:
    def bound(screen: Screen, a: Indices, b: Indices) -> Matrix:
        x, y = codes(screen)[a], codes(screen)[b]
        return np.where((x < 0) | (y < 0), 0.0, np.where(x == y, 1.0, -1.0))

    return bound


def _place_bound(screen: Screen, a: Indices, b: Indices) -> Matrix:
    both = (screen.placed_type[a] | screen.placed_type[b]) & screen.specific[a] & screen.specific[b]
    same = ((screen.geonameid[a] >= 0) & (screen.geonameid[a] == screen.geonameid[b])) | (
        screen.place_name[a] == screen.place_name[b]
    )
    lat1, lat2, dlon = screen.lat[a], screen.lat[b], screen.lon[b] - screen.lon[a]
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    km = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    tolerance = 1e-6  # km is not computed quite as _km computes it: on the border, the higher value
    distance = np.where(km <= NEAR_KM + tolerance, 1.0, np.where(km > FAR_KM + tolerance, -1.0, 0.0))
    named = screen.named_in[screen.place_name[a], b] | screen.named_in[screen.place_name[b], a]
    value = np.where(same, 1.0, np.where(named, 0.5, distance))
    return np.where(both, value, 0.0)


def _wire_bound(screen: Screen, a: Indices, b: Indices) -> Matrix:
    x, y = screen.copy_of[a], screen.copy_of[b]  # doc codes, -1 for none
    copies = (x == screen.doc[b]) | (y == screen.doc[a]) | ((x >= 0) & (x == y))
    return np.where(copies, 1.0, 0.0)


# The bound of every comparator but the three of shared tokens (text, names, participants: Screen.bound).
_BOUNDS: dict[str, Callable[[Screen, Indices, Indices], Matrix]] = {
    "date": _date_bound,
    "report": _report_bound,
    "actor": _same_bound(lambda screen: screen.actor),
    "target": _same_bound(lambda screen: screen.target),
    "count": _same_bound(lambda screen: screen.count),
    "place": _place_bound,
    "same_document": lambda screen, a, b: np.where(screen.doc[a] == screen.doc[b], 1.0, 0.0),
    "wire_copy": _wire_bound,
    "type": lambda screen, a, b: np.where(screen.type[a] == screen.type[b], 0.0, -1.0),
}
if set(COMPARATORS) != {*_BOUNDS, "text", "names", "participants"}:
    raise RuntimeError("every comparator needs its bound in Screen (plotwatch/merge/compare.py)")
