"""The home page's timeline: incidents per month, stacked by type, laid out for an SVG.

The geometry is computed here so the template only draws rectangles (no
JavaScript, no inline styles); each rectangle links to the incidents of its
month and type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from plotwatch.models import EVENT_TYPES

WIDTH, HEIGHT = 960, 220
LEFT, BOTTOM, TOP = 34, 22, 8


def month_range(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" from ``first`` to ``last``."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _ticks(months: Sequence[str], step: float) -> list[dict[str, Any]]:
    years = sorted({month[:4] for month in months})
    every = max(1, len(years) // 12)
    ticks = []
    for index, month in enumerate(months):
        if month.endswith("-01") or (index == 0 and int(month[5:7]) <= 7):
            year = month[:4]
            if years.index(year) % every == 0:
                ticks.append({"x": round(LEFT + index * step, 1), "label": year})
    return ticks


def layout(counts: Sequence[tuple[str, str, int]]) -> dict[str, Any] | None:
    """Bars (x, y, w, h, month, type, n), ticks and the scale for ``(month, type, n)`` counts."""
    valid = [(month, type_, n) for month, type_, n in counts if len(month) == 7 and month[4] == "-"]
    if not valid:
        return None
    by_month: dict[str, dict[str, int]] = defaultdict(dict)
    for month, type_, n in valid:
        by_month[month][type_] = by_month[month].get(type_, 0) + n
    months = month_range(min(by_month), max(by_month))
    peak = max(sum(types.values()) for types in by_month.values())
    step = (WIDTH - LEFT) / len(months)
    scale = (HEIGHT - TOP - BOTTOM) / peak
    bars = []
    for index, month in enumerate(months):
        base = float(HEIGHT - BOTTOM)
        for type_ in EVENT_TYPES:
            n = by_month.get(month, {}).get(type_, 0)
            if n:
                height = n * scale
                base -= height
                bars.append(
                    {
                        "x": round(LEFT + index * step, 2),
                        "y": round(base, 2),
                        "w": round(max(step - 1, 1), 2),
                        "h": round(height, 2),
                        "month": month,
                        "type": type_,
                        "n": n,
                    }
                )
    types = [type_ for type_ in EVENT_TYPES if any(bar["type"] == type_ for bar in bars)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "baseline": HEIGHT - BOTTOM,
        "peak": peak,
        "bars": bars,
        "ticks": _ticks(months, step),
        "types": types,
        "first": months[0],
        "last": months[-1],
    }
