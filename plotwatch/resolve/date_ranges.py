"""Date ranges: "between 25 and 27 September 2018", "from March to June 2019", "2-5 May" → (start, end).

A range's ends share what only one of them states: "25" takes "September 2018" from "27 September 2018", and
"March" takes 2019 from "June 2019". An event dated by a range keeps both: ``date`` the start, ``date_end`` the
end (DESIGN.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from plotwatch.resolve.date_words import date_words, month_pattern
from plotwatch.resolve.dates import resolve_date

YEAR = r"(?:19|20)\d{2}"


@dataclass(frozen=True)
class DateRange:
    start: int  # character offsets of the whole range in the text
    end: int
    first: str
    second: str


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    month = month_pattern(date_words())
    day_month = rf"\d{{1,2}}\s+{month}(?:,?\s+{YEAR})?"
    month_day = rf"{month}\s+\d{{1,2}}(?:,\s*{YEAR})?"
    month_year = rf"{month}(?:,?\s+{YEAR})?"
    point = rf"(?:{day_month}|{month_day}|{month_year}|{YEAR})"
    return (
        # "between 25 and 27 September 2018", "from 2 to 5 May"
        re.compile(rf"\b(?:between|from)\s+(?P<first>\d{{1,2}})\s+(?:and|to|until|till)\s+(?P<second>{day_month})\b",
                   re.IGNORECASE),
        # "between March and June 2019", "from 12 May to 3 June", "between 2015 and 2017"
        re.compile(rf"\b(?:between|from)\s+(?P<first>{point})\s+(?:and|to|until|till|through)\s+(?P<second>{point})\b",
                   re.IGNORECASE),
        # "25-27 September 2018", "25 to 27 September"
        re.compile(rf"\b(?P<first>\d{{1,2}})\s*(?:-|–|to)\s*(?P<second>{day_month})\b", re.IGNORECASE),
    )


def find_date_ranges(text: str) -> list[DateRange]:
    """Ranges in ``text``, leftmost first, without overlaps."""
    found: list[DateRange] = []
    for pattern in _patterns():
        for m in pattern.finditer(text):
            if any(m.start() < r.end and r.start < m.end() for r in found):
                continue
            found.append(DateRange(m.start(), m.end(), m["first"], m["second"]))
    return sorted(found, key=lambda r: r.start)


def resolve_range(found: DateRange, published: str | None) -> tuple[str, str] | None:
    """(start, end) as ISO dates, the start at the precision its words give once completed from the end."""
    end = resolve_date(found.second, published)
    if end is None:
        return None
    first = found.first.strip()
    if first.isdigit() and len(first) <= 2:  # a bare day: the end's month and year
        if len(end) < 10:
            return None
        start = f"{end[:8]}{int(first):02d}"
    else:
        start_text = first if re.search(YEAR, first) else f"{first} {end[:4]}"
        resolved = resolve_date(start_text, None)
        if resolved is None:
            return None
        start = resolved
        if start > end and not re.search(YEAR, first):
            resolved = resolve_date(f"{first} {int(end[:4]) - 1}", None)
            if resolved is None:
                return None
            start = resolved
    return (start, end) if start <= end else None
