"""Screening: ``score`` and ``conflict`` of many pairs of a block at once, in numpy, from above.

``Screen.bound`` is at least ``compare.score`` for every pair and
``Screen.conflicts`` equals ``compare.conflict``; ``strong_pairs``
(``plotwatch/merge/__init__.py``) scores exactly only the pairs whose bound
reaches the score needed, so the bound decides nothing on its own. A new
comparator needs its bound here (checked at import).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from plotwatch.merge.compare import (
    COMPARATORS,
    FAR_KM,
    MAX_DATE_GAP_DAYS,
    NAMES_FULL_IDF,
    NEAR_KM,
    PLACED_TYPES,
    WEIGHTS,
    BlockStats,
    foreign_state,
    lead_days,
)
from plotwatch.merge.mentions import Mention

__all__ = ["Indices", "Matrix", "Screen"]

_NONE = -(10**9)  # a day before any date: no date (spans and publications)

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
        self.actor = _codes([foreign_state(mention.event.actor.state, mention) for mention in mentions])
        self.target = _codes([foreign_state(mention.event.target.state, mention) for mention in mentions])
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
        return np.array([span or (_NONE, _NONE) for span in spans], np.int64).reshape(-1, 2)

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
        dated_a, dated_b = a0 > _NONE, b0 > _NONE
        apart = dated_a & dated_b & ((a0 - b1 > MAX_DATE_GAP_DAYS) | (b0 - a1 > MAX_DATE_GAP_DAYS))
        report_a = ~dated_a & (self.published[a, 0] > _NONE)
        report_b = ~dated_b & (self.published[b, 0] > _NONE)
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
    dated = (a0 > _NONE) & (b0 > _NONE)
    gap = np.maximum(0, np.maximum(a0, b0) - np.minimum(a1, b1))
    width = np.maximum(a1 - a0, b1 - b0)
    overlap = np.where(width == 0, 1.0, np.where(width <= 31, 0.6, 0.2))
    return np.where(dated, np.where(gap == 0, overlap, np.where(gap <= 3, 0.0, -1.0)), 0.0)


def _report_bound(screen: Screen, a: Indices, b: Indices) -> Matrix:
    dated = (screen.span[a, 0] > _NONE) & (screen.span[b, 0] > _NONE)
    published = (screen.published[a, 0] > _NONE) & (screen.published[b, 0] > _NONE)
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
    raise RuntimeError("every comparator needs its bound in Screen (plotwatch/merge/screen.py)")
