"""Truecasing for all-caps and all-lowercase text (old wire archives, telex copies).

The parser and entity recogniser lean on capitals; "IRAN EXPELLED TWO DIPLOMATS"
parses badly. When a document is (almost) all upper or all lower case, it is
parsed in a truecased copy: lower case, with capitals restored on sentence
starts and on words the project's data knows as names (states, demonyms,
capitals, places, agencies, months, weekdays). Only letter case changes, so
every character offset into the copy is an offset into the original, and the
evidence keeps the original text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from plotwatch.resolve._data import read_json, read_tsv

WORD = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*|[—–-]\s+)([^\W\d_])")
CALENDAR = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def needs_truecasing(text: str) -> bool:
    """True when a document's letters are almost all upper case or almost all lower case."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 40:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    return upper > 0.85 or upper < 0.01


def _add(names: dict[str, str], phrase: str) -> None:
    for word in WORD.findall(phrase):
        if word[:1].isupper() and word.lower() not in names and len(word.lower()) == len(word):
            names[word.lower()] = word


@lru_cache(maxsize=1)
def proper_words() -> dict[str, str]:
    """Lower-case word → its cased form, from the resolver's data files."""
    names: dict[str, str] = {}
    for word in CALENDAR:
        _add(names, word)
    for file in ("demonyms.tsv", "capitals.tsv", "state_aliases.tsv", "state_names.tsv"):
        for row in read_tsv(file, 2):
            _add(names, row[0] if file != "state_names.tsv" else row[1])
    for row in read_tsv("gazetteer.tsv", 2):
        _add(names, " ".join([row[0], *row[1].split("|")]))
    for agency in read_json("agencies.json"):
        for alias in [agency.get("name", ""), *agency.get("aliases", [])]:
            _add(names, str(alias))
    return names


def _case_preserving_lower(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def truecase(text: str) -> str:
    """A copy of ``text`` with the same length and conventional capitals."""
    lowered = list(_case_preserving_lower(text))
    names = proper_words()
    for match in WORD.finditer(text):
        cased = names.get(match.group(0).lower())
        if cased is not None and len(cased) == match.end() - match.start():
            lowered[match.start() : match.end()] = list(cased)
    for match in SENTENCE_START.finditer(text):
        index = match.start(1)
        upper = lowered[index].upper()
        if len(upper) == 1:
            lowered[index] = upper
    return "".join(lowered)


def parse_text(text: str) -> str:
    """The text the parser should see: truecased when the casing carries no information."""
    return truecase(text) if needs_truecasing(text) else text
