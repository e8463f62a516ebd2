"""Charts as inline SVG strings, drawn here (no plotting library, no external request).

Every mark that stands for incidents is a link (``href``) to them; labels and
titles are escaped. The map is an equirectangular projection of the country
outlines of the vendored world-atlas TopoJSON (its arcs drawn as lines).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from html import escape
from importlib import resources
from typing import Any

__all__ = ["bar_chart", "world_map"]

ATLAS = ("plotwatch.web", "static/vendor/world-atlas/countries-110m.json")
MAP_W, MAP_H = 720, 360


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def bar_chart(bars: Sequence[tuple[str, int, str]], title: str, width: int = 640, bar_h: int = 18) -> str:
    """Horizontal bars of (label, value, href), largest scale first; each bar and value links to href."""
    top = max((value for _, value, _ in bars), default=0) or 1
    rows = []
    for n, (label, value, href) in enumerate(bars):
        y = 24 + n * (bar_h + 6)
        length = int((width - 200) * value / top)
        rows.append(f'<text x="0" y="{y + bar_h - 4}" class="lbl">{_attr(label)}</text>'
                    f'<a href="{_attr(href)}"><rect x="120" y="{y}" width="{max(length, 1)}" height="{bar_h}" '
                    f'class="bar"><title>{_attr(label)}: {value}</title></rect>'
                    f'<text x="{126 + length}" y="{y + bar_h - 4}" class="val">{value}</text></a>')  # fmt: skip
    height = 30 + len(bars) * (bar_h + 6)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="{_attr(title)}"><title>{_attr(title)}</title>'
            f'<text x="0" y="14" class="ttl">{_attr(title)}</text>{"".join(rows)}</svg>')  # fmt: skip


def project(lon: float, lat: float) -> tuple[float, float]:
    return round((lon + 180) / 360 * MAP_W, 1), round((90 - lat) / 180 * MAP_H, 1)


@cache
def _outlines() -> str:
    """The atlas's arcs as SVG path data (delta-encoded, quantized TopoJSON), projected."""
    topology: dict[str, Any] = json.loads(resources.files(ATLAS[0]).joinpath(ATLAS[1]).read_text("utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    paths = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append("{},{}".format(*project(x * sx + tx, y * sy + ty)))
        paths.append("M" + "L".join(points))
    return "".join(paths)


def world_map(points: Sequence[tuple[float, float, str, str]], color: Callable[[str], str] | None = None) -> str:
    """Incidents as dots (lat, lon, kind, href) over the country outlines; each dot links to its incident."""
    dots = []
    for lat, lon, kind, href in points:
        x, y = project(lon, lat)
        fill = color(kind) if color else "#c0392b"
        dots.append(f'<a href="{_attr(href)}"><circle cx="{x}" cy="{y}" r="4" fill="{fill}" class="dot">'
                    f"<title>{_attr(kind)}</title></circle></a>")  # fmt: skip
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_W} {MAP_H}" width="{MAP_W}" '
            f'height="{MAP_H}" role="img" aria-label="Map of incidents"><rect width="{MAP_W}" height="{MAP_H}" '
            f'fill="#eef3f7"/><path d="{_outlines()}" fill="none" stroke="#8a9aa9" stroke-width="0.5"/>'
            f'{"".join(dots)}</svg>')  # fmt: skip


def timeline(years: Sequence[tuple[str, int, str]], title: str, width: int = 640, height: int = 160) -> str:
    """Vertical bars per year of (year, count, href); each bar links to the incidents of that year."""
    top = max((n for _, n, _ in years), default=0) or 1
    step = (width - 20) / max(len(years), 1)
    bars = []
    for i, (year, n, href) in enumerate(years):
        h = (height - 40) * n / top
        x = 10 + i * step
        bars.append(f'<a href="{_attr(href)}"><rect x="{x:.1f}" y="{height - 20 - h:.1f}" width="{step * 0.8:.1f}" '
                    f'height="{h:.1f}" class="bar"><title>{_attr(year)}: {n}</title></rect></a>'
                    f'<text x="{x:.1f}" y="{height - 6}" class="tick">{_attr(year)}</text>')  # fmt: skip
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
            f'aria-label="{_attr(title)}"><title>{_attr(title)}</title>{"".join(bars)}</svg>')  # fmt: skip
