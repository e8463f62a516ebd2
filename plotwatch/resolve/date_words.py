"""The English date vocabulary (``data/date_words.json``) and regex pieces built from it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from plotwatch.errors import ConfigError
from plotwatch.resolve._data import read_json

YEAR = r"(?:19|20)\d{2}"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"


def alternation(words: list[str] | dict[str, Any]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any whitespace."""
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


@dataclass(frozen=True)
class DateWords:
    months: dict[str, int]  # full names and abbreviations, lower case
    full_months: tuple[str, ...]
    weekdays: dict[str, int]
    parts_of_day: tuple[str, ...]
    seasons: dict[str, int]  # season → month it ends in
    numbers: dict[str, int]
    vague_numbers: dict[str, int]
    hedges: tuple[str, ...]
    units: dict[str, str]
    directions: dict[str, int]
    modifiers: tuple[str, ...]
    day_offsets: dict[str, int]
    periods: dict[str, tuple[str, int]]
    anaphoric: frozenset[str]
    prepositions: tuple[str, ...]

    def number(self, word: str) -> tuple[int, bool] | None:
        """(value, vague) for "three", "12", "several"; None if not a number word."""
        word = " ".join(word.split())
        if word.isdigit():
            return int(word), False
        if word in self.numbers:
            return self.numbers[word], False
        if word in self.vague_numbers:
            return self.vague_numbers[word], True
        return None


@lru_cache(maxsize=1)
def date_words() -> DateWords:
    raw = read_json("date_words.json")
    try:
        months = {**raw["months"], **raw["month_abbreviations"]}
        periods = {key: (value[0], int(value[1])) for key, value in raw["periods"].items()}
        return DateWords(
            months=months, full_months=tuple(raw["months"]), weekdays=raw["weekdays"],
            parts_of_day=tuple(raw["parts_of_day"]), seasons=raw["seasons"], numbers=raw["numbers"],
            vague_numbers=raw["vague_numbers"], hedges=tuple(raw["hedges"]), units=raw["units"],
            directions=raw["directions"], modifiers=tuple(raw["modifiers"]), day_offsets=raw["day_offsets"],
            periods=periods, anaphoric=frozenset(raw["anaphoric"]), prepositions=tuple(raw["prepositions"]),
        )  # fmt: skip
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise ConfigError(f"date_words.json: missing or malformed entry ({exc}); fix the file") from exc


def month_pattern(words: DateWords, *, abbreviations: bool = True) -> str:
    """Month names (optionally with abbreviations and a trailing dot), lower case."""
    names = list(words.months) if abbreviations else list(words.full_months)
    return alternation(names) + (r"\.?" if abbreviations else "")


def modifier_pattern(words: DateWords) -> str:
    """Modifiers ("early", "mid-", "the end of"), then an optional hyphen and space."""
    return alternation(list(words.modifiers)) + r"(?:\s*-\s*|\s+)"


def number_pattern(words: DateWords) -> str:
    return "(?:" + alternation([*words.numbers, *words.vague_numbers]) + r"|\d{1,3})"
