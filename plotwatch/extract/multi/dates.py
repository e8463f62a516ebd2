"""Dates in French and German text: found with patterns built from ``dates.json``, resolved
with dateparser (``languages=[lang]``) anchored on the publication date.

dateparser returns nothing for "mardi dernier", "letzten Dienstag" or "am Dienstag",
and reads a bare "mardi" relative to today's weekday; the small fallback here gives
every weekday expression the most recent such weekday on or before the anchor (as
the English rules do), and reads the relative phrases listed in ``dates.json``
("l'an dernier", "vergangene Woche", "le lendemain").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from dateparser.date import DateDataParser

from plotwatch.extract.multi.data import DateData
from plotwatch.resolve.dates import parse_anchor

_EDGE = " ,;:()«»\"'’"
_LEADING = re.compile(r"^(?:le|la|les|l'|l’|en|au|dès|depuis|am|im|vom|seit|dem|den|ce|cette|diesem|dieses|début|"
                      r"mi|fin|anfang|mitte|ende|jahr|jahre|mois de|courant)\s+", re.IGNORECASE)  # fmt: skip
_PERIODS = {"day": 3, "week": 2, "month": 2, "year": 1}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _finder(words: DateData) -> re.Pattern[str]:
    return _compile(tuple(words.months), tuple(words.weekdays), tuple(words.last_words), tuple(words.relative))


@lru_cache(maxsize=8)
def _compile(month_words: tuple[str, ...], weekday_words: tuple[str, ...], last_words: tuple[str, ...],
             relative_words: tuple[str, ...]) -> re.Pattern[str]:  # fmt: skip
    months = _alternation(list(month_words))
    weekdays = _alternation(list(weekday_words))
    last = _alternation(list(last_words))
    relative = _alternation(list(relative_words))
    patterns = [
        rf"(?:\b\d{{1,2}}(?:er|\.)?\s+(?:{months})(?:\s+(?:19|20)\d{{2}})?)",
        rf"(?:\b(?:{months})\s+(?:19|20)\d{{2}})",
        rf"(?:\b(?:(?:{last})\s+)?(?:{weekdays})\b(?:\s+(?:{last})\b)?)",
        rf"(?:\b(?:{relative}))",
        rf"(?:\b(?:en|au mois d[e']|im|Anfang|Mitte|Ende|début|fin)\s+(?:{months})(?:\s+(?:19|20)\d{{2}})?\b)",
        r"(?:\b(?:19|20)\d{2}\b)",
    ]
    return re.compile("|".join(patterns), re.IGNORECASE)


def find_dates(text: str, words: DateData) -> list[tuple[int, int, str]]:
    """(start, end, expression) of every date expression in ``text``, left to right."""
    return [(m.start(), m.end(), m.group(0)) for m in _finder(words).finditer(text)]


def _normal(expression: str) -> str:
    text = " ".join(expression.split()).strip(_EDGE)
    previous = None
    while previous != text:
        previous, text = text, _LEADING.sub("", text)
    return text


def weekday_date(expression: str, anchor: date, words: DateData) -> date | None:
    """The most recent named weekday on or before ``anchor``: "mardi dernier", "am Dienstag"."""
    if any(ch.isdigit() for ch in expression):
        return None
    for word in re.findall(r"\w+", expression.lower()):
        if word in words.weekdays:
            back = (anchor.weekday() - words.weekdays[word]) % 7
            return anchor - timedelta(days=back)
    return None


def _relative(text: str, anchor: date, previous: date | None, words: DateData) -> str | None:
    unit, offset = words.relative.get(text.lower(), ("", 0))
    if unit == "next_day":
        return (previous + timedelta(days=offset)).isoformat() if previous else None
    if unit == "day":
        return (anchor + timedelta(days=offset)).isoformat()
    if unit == "week":
        return (anchor + timedelta(weeks=offset)).isoformat()[:7]
    if unit == "month":
        month = anchor.month + offset
        year = anchor.year + (month - 1) // 12
        return f"{year:04d}-{(month - 1) % 12 + 1:02d}"
    if unit == "year":
        return str(anchor.year + offset)
    return None


@lru_cache(maxsize=64)
def _parser(lang: str, base: date) -> DateDataParser:
    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
    }
    return DateDataParser(languages=[lang], settings=settings)


def _dateparser(text: str, lang: str, anchor: date, precise_anchor: bool) -> str | None:
    data = _parser(lang, anchor).get_date_data(text)
    if data.date_obj is None:
        return None
    precision = _PERIODS.get(data.period or "day", 3)
    if not re.search(r"(?:19|20)\d{2}", text) and not precise_anchor:
        precision = min(precision, 2)
    return data.date_obj.date().isoformat()[: {3: 10, 2: 7, 1: 4}[precision]]


def resolve(
    expression: str, lang: str, words: DateData, published: str | None, previous: str | None = None
) -> str | None:
    """An ISO date ("YYYY", "YYYY-MM" or "YYYY-MM-DD") for a French or German expression, or None."""
    anchor = parse_anchor(published)
    whole = " ".join(expression.lower().split()).strip(_EDGE)
    text = whole if whole in words.relative else _normal(expression)
    if not text:
        return None
    if re.fullmatch(r"(?:19|20)\d{2}", text):
        return text
    if anchor is None:
        return _dateparser(text, lang, date(1900, 1, 1), False) if re.search(r"(?:19|20)\d{2}", text) else None
    previous_day = _previous_day(previous)
    if text.lower() in words.relative:
        return _relative(text, anchor.day, previous_day, words)
    weekday = weekday_date(text, anchor.day, words)
    if weekday is not None:
        return weekday.isoformat()
    return _dateparser(text, lang, anchor.day, anchor.precision >= 3)


def _previous_day(previous: str | None) -> date | None:
    if previous is None or len(previous) != 10:
        return None
    try:
        return date.fromisoformat(previous)
    except ValueError:
        return None
