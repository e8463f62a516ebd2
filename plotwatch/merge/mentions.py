"""What the comparators read: an event mention with its document's facts, precomputed once.

A ``Mention`` wraps one ``Event`` with the facts of its document that merging
needs (publication date, ingestion order, the document it is a wire copy of)
and the derived values every comparison would otherwise recompute: the date
as a span of days, the words of the evidence sentence, the names of the
people involved, whether the place is more precise than a country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from plotwatch.models import Event
from plotwatch.resolve.states import country_code, is_capital, state_code

__all__ = ["DocInfo", "Mention", "day_span", "name_keys", "proper_nouns", "words"]

# Types that describe the same kind of act and may share an incident (the
# reference scorer's groups); every other type is a group of its own.
TYPE_GROUPS: dict[str, str] = {"KILL": "VIOLENCE", "ATTACK": "VIOLENCE", "SURVEIL": "SPYING", "SPY": "SPYING"}

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
# Function words and reporting verbs: they say nothing about which event a sentence reports.
STOPWORDS = frozenset(
    [
        "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
        "before", "being", "but", "by", "can", "could", "did", "do", "does", "during", "each", "earlier",
        "for", "from", "had", "has", "have", "he", "her", "his", "how", "if", "in", "into", "is", "it", "its",
        "last", "later", "least", "many", "may", "more", "most", "much", "next", "no", "not", "of", "on",
        "one", "or", "other", "our", "out", "over", "said", "says", "same", "she", "should", "since", "so",
        "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "those", "three", "to", "told", "two", "under", "until", "up", "was", "we", "were", "what", "when",
        "where", "which", "while", "who", "whom", "whose", "will", "with", "would", "year", "years", "month",
        "months", "day", "days", "week", "weeks", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "january", "february", "march", "april", "june", "july", "august", "september",
        "october", "november", "december",
    ]
)


@dataclass(frozen=True)
class DocInfo:
    """The facts about a document that merging uses.

    ``seq`` is the ingestion order (earlier documents seed incident ids);
    ``copy_of`` names the document this one is a near-duplicate (wire copy) of.
    """

    published: str | None = None
    seq: int = 0
    copy_of: str | None = None
    source: str | None = None


def day_span(value: str | None) -> tuple[int, int] | None:
    """An ISO date of any precision as (first day, last day) ordinals; None when absent or malformed."""
    if not value:
        return None
    parts = value.split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(numbers) == 1:
            return date(numbers[0], 1, 1).toordinal(), date(numbers[0], 12, 31).toordinal()
        if len(numbers) == 2:
            year, month = numbers
            first = date(year, month, 1)
            following = date(year + month // 12, month % 12 + 1, 1)
            return first.toordinal(), following.toordinal() - 1
        day = date(*numbers[:3]).toordinal()
    except (ValueError, TypeError):
        return None
    return day, day


def words(text: str) -> frozenset[str]:
    """Lower-cased content words of a sentence (no function words, no one- or two-letter words)."""
    found = (match.group().lower().strip("'’-") for match in _WORD.finditer(text))
    return frozenset(word for word in found if len(word) > 2 and word not in STOPWORDS)


def name_keys(names: list[str]) -> frozenset[str]:
    """The capitalised words of participant names ("Assadollah Assadi" → assadollah, assadi)."""
    keys = set()
    for name in names:
        for match in _WORD.finditer(name):
            token = match.group()
            if token[:1].isupper() and len(token) > 2 and token.lower() not in STOPWORDS:
                keys.add(token.lower())
    return frozenset(keys)


@lru_cache(maxsize=4096)
def _is_country_name(name: str) -> bool:
    return country_code(name) is not None


@lru_cache(maxsize=16384)
def _is_state_word(word: str) -> bool:
    """Country names and demonyms ("Iran", "Iranian"); capitals stay (they name places)."""
    return state_code(word) is not None and not is_capital(word)


def proper_nouns(text: str) -> frozenset[str]:
    """Capitalised words of a sentence that name something other than a state ("Assadi", "Vienna")."""
    found = set()
    for match in _WORD.finditer(text):
        token = match.group().strip("'’-")
        if token.endswith(("'s", "’s")):
            token = token[:-2]
        if len(token) < 3 or not token[:1].isupper() or token.lower() in STOPWORDS:
            continue
        if not _is_state_word(token):
            found.add(token.lower())
    return frozenset(found)


@dataclass
class Mention:
    """One event with its document facts and precomputed comparison features."""

    event: Event
    doc: DocInfo
    span: tuple[int, int] | None = field(init=False)
    published: tuple[int, int] | None = field(init=False)
    words: frozenset[str] = field(init=False)
    names: frozenset[str] = field(init=False)
    proper: frozenset[str] = field(init=False)
    specific_place: bool = field(init=False)

    def __post_init__(self) -> None:
        event = self.event
        start, end = day_span(event.date), day_span(event.date_end)
        self.span = (start[0], max(start[1], end[1])) if start and end else start
        self.published = day_span(self.doc.published)
        self.words = words(event.evidence.text)
        perpetrators = [perpetrator.text for perpetrator in event.perpetrators if perpetrator.kind == "person"]
        self.names = name_keys([*perpetrators, *event.victims])
        self.proper = proper_nouns(event.evidence.text)
        place = event.place
        self.specific_place = bool(place.name) and place.lat is not None and not _is_country_name(place.name or "")

    @property
    def group(self) -> str:
        return TYPE_GROUPS.get(self.event.type, self.event.type)

    @property
    def order(self) -> tuple[int, str, int, str]:
        """Reading order: ingestion, then position in the document (the seed of an incident comes first)."""
        return (self.doc.seq, self.event.doc_id, self.event.evidence.start, self.event.event_id)
