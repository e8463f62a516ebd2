"""Dates: expressions from news sentences to "YYYY", "YYYY-MM" or "YYYY-MM-DD".

``resolve_date`` tries small, tested rules first (absolute dates, weekdays,
"last June", "earlier this week", "three days ago", ...) and falls back to
dateparser for other formats ("6/7/2018", "the 6th of July"). Relative
expressions are anchored on ``published``: the publication date or, for
expressions that count from another event ("the following day", "three days
later", "that month"; see :func:`is_anaphoric`), the date of that event.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from dateparser.date import DateDataParser

from plotwatch.resolve.date_finder import find_date_expressions
from plotwatch.resolve.date_rules import (
    DAY_P,
    MONTH_P,
    RELATIVE_RULES,
    YEAR_P,
    Anchor,
    absolute,
    fmt,
    is_decade,
)
from plotwatch.resolve.date_words import DateWords, alternation, date_words

__all__ = ["find_date_expressions", "is_anaphoric", "parse_anchor", "resolve_date"]

_PLAIN = str.maketrans({"–": "-", "—": "-", "‑": "-", "’": "'", "‘": "'"})
_ABBREVIATION_DOT = re.compile(r"\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.$")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_NUMERIC = re.compile(r"[\d/.\-\s]+")
_PERIOD_PRECISION = {"day": DAY_P, "week": MONTH_P, "month": MONTH_P, "year": YEAR_P}


def parse_anchor(published: str | None) -> Anchor | None:
    """The anchor for "2018-07-02" (or "2018-07", "2018", an ISO timestamp); None if unusable."""
    if not published:
        return None
    m = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", published)
    if m is None:
        return None
    # A coarse anchor stands at the middle of its period, so that "yesterday" against "2018-06" stays in June.
    try:
        day = date(int(m[1]), int(m[2] or 7), int(m[3] or (15 if m[2] else 1)))
    except ValueError:
        return None
    return Anchor(day, DAY_P if m[3] else MONTH_P if m[2] else YEAR_P)


@lru_cache(maxsize=1)
def _leading_preposition() -> re.Pattern[str]:
    return re.compile(rf"^{alternation(list(date_words().prepositions))}\s+")


def normalise(expression: str) -> str:
    """Lower case, plain dashes and apostrophes, single spaces, no edge punctuation or leading "on"/"in"."""
    text = " ".join(expression.translate(_PLAIN).lower().split()).strip(" ,;:()[]\"'")
    if not _ABBREVIATION_DOT.search(text):
        text = text.rstrip(".")
    previous = None
    while previous != text and text not in date_words().day_offsets:  # "at the time" is a phrase of its own
        previous, text = text, _leading_preposition().sub("", text)
    return text


def _has_date_word(text: str, words: DateWords) -> bool:
    tokens = set(re.findall(r"[a-z]+", text))
    return bool(tokens & {*words.months, *words.weekdays, "ago", "yesterday", "today", "tomorrow"})


@lru_cache(maxsize=64)
def _parser(strict: bool, base: date | None) -> DateDataParser:
    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": strict,
    }
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    return DateDataParser(languages=["en"], settings=settings)


def _fallback(text: str, anchor: Anchor | None) -> str | None:
    """dateparser, for what the rules do not cover, only where the result cannot depend on today's date."""
    has_year = _YEAR.search(text) is not None
    if anchor is None and not has_year:
        return None
    if not (re.search(r"\d", text) or _has_date_word(text, date_words())):
        return None
    strict = _NUMERIC.fullmatch(text) is not None
    data = _parser(strict, anchor.day if anchor else None).get_date_data(text)
    if data.date_obj is None:
        return None
    precision = _PERIOD_PRECISION.get(data.period or "day", DAY_P)
    if anchor is not None and not has_year:
        precision = min(precision, anchor.precision)
    return fmt(data.date_obj.date(), precision)


@lru_cache(maxsize=8192)
def resolve_date(expression: str, published: str | None) -> str | None:
    """An ISO date at the precision ``expression`` supports, anchored on ``published`` (YYYY-MM-DD).

    >>> resolve_date("last June", "2019-01-09"), resolve_date("on Saturday", "2018-07-02")
    ('2018-06', '2018-06-30')
    """
    text = normalise(expression)
    if not text or is_decade(text):
        return None
    words = date_words()
    found = absolute(text, words)
    if found is not None:
        return found
    anchor = parse_anchor(published)
    if anchor is not None:
        for rule in RELATIVE_RULES:
            found = rule(text, anchor, words)
            if found is not None:
                return found
    return _fallback(text, anchor)


def is_anaphoric(expression: str) -> bool:
    """True for expressions that count from another event ("the following day", "three days later",
    "that month"): resolve those against that event's date, not the publication date."""
    text = normalise(expression)
    if text in date_words().anaphoric:
        return True
    return re.search(r"\b(?:later|after|afterwards?|earlier|before|prior|on)$", text) is not None
