"""Finding date expressions in a sentence, with character offsets.

Month and weekday names match only when capitalised ("June", not "june");
relative phrases ("last week", "three days later") in any case. Where matches
overlap, the longest wins ("Saturday, 30 June 2018" over "Saturday" and "2018").
A bare "May" counts only after a word such as "in", "since" or "early".
"""

from __future__ import annotations

import re
from functools import lru_cache

from plotwatch.resolve.date_words import DAY, YEAR, DateWords, alternation, date_words

_MAY_CONTEXT = re.compile(
    r"(?i:\b(?:in|since|until|till|by|from|during|of|early|late|mid|last|this|next|before|after|through|throughout)"
    r"\s*-?\s*)$"
)


def _title(words: list[str] | dict[str, int]) -> str:
    return alternation([word.title() for word in words])


def _pieces(w: DateWords) -> dict[str, str]:
    months_any = _title(w.months) + r"\.?"
    return {
        "month": months_any,
        "full_month": _title(list(w.full_months)),
        "weekday": _title(w.weekdays),
        "mod": rf"(?i:{alternation(list(w.modifiers))})(?:\s*-\s*|\s+)",
        "rel": r"(?i:last|this|next|past)\s+",
        "seasons": rf"(?i:{alternation(w.seasons)})",
        "lead": rf"(?:{_title(w.weekdays)},?\s+)?(?:the\s+)?",
    }


def _sources(w: DateWords) -> list[str]:
    p = _pieces(w)
    number = "(?:" + alternation([*w.numbers, *w.vague_numbers]) + r"|\d{1,3})"
    counted_directions = {k: v for k, v in w.directions.items() if k != "on"}
    return [
        r"\d{4}-\d{2}-\d{2}",
        r"\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})",
        rf"{p['lead']}{DAY}\s+(?:of\s+)?{p['month']},?\s+{YEAR}",
        rf"(?:{p['weekday']},?\s+)?{p['month']}\s+{DAY},?\s+{YEAR}",
        rf"(?:{p['mod']})?{p['month']}(?:\s+of)?,?\s+{YEAR}",
        rf"(?:{p['mod']})?{p['full_month']}\s+(?:of\s+)?(?i:last|this|next)\s+year",
        rf"{p['lead']}{DAY}\s+(?:of\s+)?{p['month']}",
        rf"(?:{p['weekday']},?\s+)?{p['month']}\s+{DAY}(?!\d)",
        rf"(?:{p['rel']})?(?:{p['mod']})?{p['full_month']}",
        rf"(?:{p['mod']}|(?i:the\s+)?{p['seasons']}\s+(?:of\s+)?){YEAR}(?!\d|s\b)",
        rf"(?<![\d,.$€£-]){YEAR}(?!\d|s\b|-\d)",
        rf"(?:{p['rel']})?{p['weekday']}(?:\s+(?i:{alternation(list(w.parts_of_day))}))?",
        rf"(?i:{alternation([*w.day_offsets, *w.periods])})",
        rf"(?i:(?:{alternation(list(w.hedges))}\s+)?{number}\s+{alternation(w.units)}\s+{alternation(counted_directions)})",
        rf"{p['rel']}{p['seasons']}",
    ]


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?<!\w)(?:{source})(?!\w)") for source in _sources(date_words()))


def _is_bare_may(sentence: str, start: int, end: int) -> bool:
    return sentence[start:end] == "May" and _MAY_CONTEXT.search(sentence[:start]) is None


def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)


@lru_cache(maxsize=4096)
def _find(sentence: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for pattern in _patterns():
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if end > start and not _is_bare_may(sentence, start, end):
                spans.append((start, end))
    return tuple(_longest_first(spans))


def find_date_expressions(sentence: str) -> list[tuple[int, int, str]]:
    """Date expressions in ``sentence`` as (start, end, text), in text order, not overlapping."""
    return [(start, end, sentence[start:end]) for start, end in _find(sentence)]
