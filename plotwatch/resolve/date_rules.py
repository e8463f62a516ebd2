"""Rule-based resolution of English date expressions against an anchor date.

Each rule takes a normalised (lower-case, preposition-free) expression and the
anchor, and returns an ISO string at the precision the expression supports, or
None when it does not apply. Relative expressions never claim more precision
than their anchor has ("yesterday" against "2018-06" is "2018-06").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from plotwatch.resolve.date_words import (
    DAY,
    YEAR,
    DateWords,
    alternation,
    date_words,
    modifier_pattern,
    month_pattern,
    number_pattern,
)

YEAR_P, MONTH_P, DAY_P = 1, 2, 3


@dataclass(frozen=True)
class Anchor:
    day: date
    precision: int  # YEAR_P, MONTH_P or DAY_P


def fmt(day: date, precision: int) -> str:
    if precision >= DAY_P:
        return day.isoformat()
    if precision == MONTH_P:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def relative(anchor: Anchor, day: date, precision: int) -> str:
    return fmt(day, min(precision, anchor.precision))


@dataclass(frozen=True)
class _Patterns:
    iso: re.Pattern[str]
    day_month_year: re.Pattern[str]
    month_day_year: re.Pattern[str]
    month_year: re.Pattern[str]
    day_month: re.Pattern[str]
    month_day: re.Pattern[str]
    month_relative_year: re.Pattern[str]
    month: re.Pattern[str]
    year: re.Pattern[str]
    decade: re.Pattern[str]
    weekday: re.Pattern[str]
    counted: re.Pattern[str]
    season: re.Pattern[str]


@lru_cache(maxsize=1)
def patterns() -> _Patterns:
    w = date_words()
    month, mod, wd = month_pattern(w), f"(?:{modifier_pattern(w)})?", alternation(w.weekdays)
    lead = rf"(?:{wd},?\s+)?(?:the\s+)?"
    seasons = alternation(w.seasons)
    c = re.compile
    return _Patterns(
        iso=c(r"(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?"),
        day_month_year=c(rf"{lead}(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{month}),?\s+(?P<y>{YEAR})"),
        month_day_year=c(rf"{lead}(?P<m>{month})\s+(?:the\s+)?(?P<d>{DAY}),?\s+(?P<y>{YEAR})"),
        month_year=c(rf"{mod}(?P<m>{month})(?:\s+of)?,?\s+(?P<y>{YEAR})"),
        day_month=c(rf"{lead}(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{month})"),
        month_day=c(rf"{lead}(?P<m>{month})\s+(?:the\s+)?(?P<d>{DAY})"),
        month_relative_year=c(rf"{mod}(?P<m>{month})\s+(?:of\s+)?(?P<rel>last|this|next)\s+year"),
        month=c(rf"(?:(?P<rel>last|this|next|past)\s+)?{mod}(?P<m>{month})"),
        year=c(rf"(?:{modifier_pattern(w)}|(?:the\s+)?{seasons}\s+(?:of\s+)?)?(?P<y>{YEAR})"),
        decade=c(rf"(?:the\s+)?{mod}(?:19|20)\d0'?s"),
        weekday=c(rf"(?:(?P<rel>last|this|next|past)\s+)?(?P<wd>{wd})(?:\s+{alternation(list(w.parts_of_day))})?"),
        counted=c(
            rf"(?:{alternation(list(w.hedges))}\s+)?(?P<n>{number_pattern(w)})\s+(?P<u>{alternation(w.units)})"
            rf"\s+(?P<dir>{alternation(w.directions)})"
        ),
        season=c(rf"(?P<rel>this|last|next|past)\s+(?P<s>{seasons})"),
    )  # fmt: skip


def _month(text: str, w: DateWords) -> int:
    return w.months[text.rstrip(".")]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _safe_date(year: int, month: int, day: int = 1) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def absolute(e: str, w: DateWords) -> str | None:
    """Dates that carry their own year: "2018-06-30", "30 June 2018", "June 2018", "mid-2018"."""
    p = patterns()
    if m := p.iso.fullmatch(e):
        found = _safe_date(int(m["y"]), int(m["m"]), int(m["d"] or 1))
        return fmt(found, DAY_P if m["d"] else MONTH_P) if found else None
    for pattern in (p.day_month_year, p.month_day_year):
        if m := pattern.fullmatch(e):
            found = _safe_date(int(m["y"]), _month(m["m"], w), _day(m["d"]))
            return fmt(found, DAY_P) if found else None
    if m := p.month_year.fullmatch(e):
        return f"{int(m['y']):04d}-{_month(m['m'], w):02d}"
    if m := p.year.fullmatch(e):
        return m["y"]
    return None


def _recent_day_month(month: int, day: int, anchor: Anchor) -> date | None:
    """The latest such day on or before the anchor (in the anchor's year if that is all it has)."""
    year = anchor.day.year
    if anchor.precision == YEAR_P:
        return _safe_date(year, month, day)
    after = (month, day) > (anchor.day.month, anchor.day.day) if anchor.precision >= DAY_P else month > anchor.day.month
    candidate = None if after else _safe_date(year, month, day)
    return candidate or _safe_date(year - 1, month, day)


def day_month(e: str, anchor: Anchor, w: DateWords) -> str | None:
    """Day and month without a year ("30 June"): the most recent such day not after the anchor."""
    for pattern in (patterns().day_month, patterns().month_day):
        if m := pattern.fullmatch(e):
            found = _recent_day_month(_month(m["m"], w), _day(m["d"]), anchor)
            return fmt(found, DAY_P) if found else None
    return None


def _month_year(month: int, rel: str | None, anchor: Anchor) -> int:
    """Year of a named month: plain = latest not after the anchor month; last = strictly before."""
    year, current = anchor.day.year, anchor.day.month
    if anchor.precision == YEAR_P or rel == "this":
        return year
    if rel == "next":
        return year if month > current else year + 1
    if rel in {"last", "past"}:
        return year if month < current else year - 1
    return year if month <= current else year - 1


def month_only(e: str, anchor: Anchor, w: DateWords) -> str | None:
    """A month without a year: "in June", "late September", "last June", "June last year"."""
    p = patterns()
    if m := p.month_relative_year.fullmatch(e):
        offset = {"last": -1, "this": 0, "next": 1}[m["rel"]]
        return f"{anchor.day.year + offset:04d}-{_month(m['m'], w):02d}"
    if m := p.month.fullmatch(e):
        month = _month(m["m"], w)
        return f"{_month_year(month, m['rel'], anchor):04d}-{month:02d}"
    return None


def weekday(e: str, anchor: Anchor, w: DateWords) -> str | None:
    """A weekday: "Saturday" is the latest on or before the anchor; "last Tuesday" strictly before."""
    m = patterns().weekday.fullmatch(e)
    if m is None:
        return None
    target, today = w.weekdays[m["wd"]], anchor.day.weekday()
    if m["rel"] == "next":
        return relative(anchor, anchor.day + timedelta(days=(target - today) % 7 or 7), DAY_P)
    back = (today - target) % 7
    if m["rel"] in {"last", "past"} and back == 0:
        back = 7
    return relative(anchor, anchor.day - timedelta(days=back), DAY_P)


def fixed_phrase(e: str, anchor: Anchor, w: DateWords) -> str | None:
    """Fixed phrases: "yesterday", "the following day", "last week", "earlier this month", "last year"."""
    if e in w.day_offsets:
        return relative(anchor, anchor.day + timedelta(days=w.day_offsets[e]), DAY_P)
    if e in w.periods:
        unit, offset = w.periods[e]
        return _move(anchor, unit, offset, vague=False)
    return None


def _move(anchor: Anchor, unit: str, amount: int, *, vague: bool) -> str:
    if unit == "hour":
        return relative(anchor, anchor.day + timedelta(days=int(amount / 24)), DAY_P)
    if unit == "day":
        return relative(anchor, anchor.day + timedelta(days=amount), MONTH_P if vague else DAY_P)
    if unit == "week":
        return relative(anchor, anchor.day + timedelta(weeks=amount), MONTH_P)
    if unit == "month":
        return relative(anchor, shift_months(anchor.day, amount), YEAR_P if vague else MONTH_P)
    return relative(anchor, date(anchor.day.year + amount, 1, 1), YEAR_P)


def counted(e: str, anchor: Anchor, w: DateWords) -> str | None:
    """Counted offsets: "three days ago", "a day later", "two weeks earlier", "several months after"."""
    m = patterns().counted.fullmatch(e)
    number = w.number(m["n"]) if m else None
    if m is None or number is None:
        return None
    value, vague = number
    return _move(anchor, w.units[m["u"]], value * w.directions[m["dir"]], vague=vague)


def season(e: str, anchor: Anchor, w: DateWords) -> str | None:
    """Relative seasons ("this summer", "last winter"): the year the season ends in."""
    m = patterns().season.fullmatch(e)
    if m is None:
        return None
    end, year, month = w.seasons[m["s"]], anchor.day.year, anchor.day.month
    if m["rel"] in {"last", "past"}:
        year = year if month > end else year - 1
    elif m["rel"] == "next":
        year = year if month < end - 2 else year + 1
    return f"{year:04d}"


RELATIVE_RULES: tuple[Callable[[str, Anchor, DateWords], str | None], ...] = (
    fixed_phrase, day_month, month_only, weekday, counted, season,
)  # fmt: skip


def is_decade(e: str) -> bool:
    return patterns().decade.fullmatch(e) is not None
