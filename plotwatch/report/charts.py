"""Single charts as PNG, SVG or PDF files, drawn with matplotlib (``plotwatch chart KIND``).

The report's own charts stay inline SVG (``svg.py``: no library, every bar a
link); these are for slides and papers. Each kind draws one ``Analytics``
table on a matplotlib ``Figure`` through the object API (no pyplot, no global
state, no display needed); the file's format follows its suffix. SVG and PDF
files carry no creation date, so the same data gives the same file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING, Any

from plotwatch.analyze import DEFAULT_DAYS, Analytics, analyze, day_of
from plotwatch.errors import InputError
from plotwatch.store import Store

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

__all__ = ["FORMATS", "KINDS", "draw_chart", "write_chart"]

FORMATS = ("png", "svg", "pdf")
COLORS = {"KILL": "#8e1b1b", "ATTACK": "#c0392b", "KIDNAP": "#d35400", "SURVEIL": "#2c7fb8", "SPY": "#5e3c99",
          "THREATEN": "#7f8c8d"}  # fmt: skip
ACCENT, OPEN = "#1f5fbf", "#b3261e"
SIZE = (8.0, 4.5)  # inches; 1200 × 675 pixels at the PNG's 150 dpi
DPI = 150


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#5b6475")
    ax.set_xticks([])
    ax.set_yticks([])


def _whole() -> MaxNLocator:
    """Ticks on whole numbers only (counts, years)."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _rows(ax: Axes, n: int) -> None:
    """Rows from the top down, as thick as six rows would be when there are fewer."""
    ax.set_ylim(max(n, 6) - 0.5, -0.5)


def _when(day: int) -> float:
    """A day ordinal as a fractional year (2018-07-02 → 2018.5), for time axes ticked on whole years."""
    found = date.fromordinal(day)
    return found.year + (day - date(found.year, 1, 1).toordinal()) / 365.25


def _scope(result: Analytics) -> str:
    parts = [f"plots behind {result.state}" if result.state else "all plots", f"since {result.since}" if result.since
             else ""]  # fmt: skip
    return ", ".join(part for part in parts if part)


def timeline(ax: Axes, result: Analytics) -> str:
    """Hostile incidents per year, stacked by type."""
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for plot in result.plots:
        if plot["date"]:
            counts[plot["type"]][int(plot["date"][:4])] += 1
    years = sorted({year for per_type in counts.values() for year in per_type})
    if not years:
        _empty(ax, "no dated hostile incidents")
        return "Hostile incidents by year"
    span = list(range(years[0], years[-1] + 1))
    bottom = [0] * len(span)
    for kind in [k for k in COLORS if k in counts]:
        heights = [counts[kind].get(year, 0) for year in span]
        ax.bar(span, heights, bottom=bottom, color=COLORS[kind], label=kind, width=0.8)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_ylabel("incidents")
    ax.yaxis.set_major_locator(_whole())
    ax.xaxis.set_major_locator(_whole())
    ax.legend(frameon=False, fontsize=8, ncols=3)
    return "Hostile incidents by year"


def response_lag(ax: Axes, result: Analytics) -> str:
    """Days from each plot to each linked response, by response type (dots, and the median as a bar)."""
    lags: dict[str, list[int]] = defaultdict(list)
    for plot in result.plots:
        for response in plot["responses"]:
            if response["lag_days"] is not None:
                lags[response["type"]].append(response["lag_days"])
    if not lags:
        _empty(ax, "no dated responses linked to a plot")
        return "Days from the plot to the response"
    kinds = sorted(lags, key=lambda kind: (median(lags[kind]), kind))
    for row, kind in enumerate(kinds):
        values = lags[kind]
        ax.scatter(values, [row] * len(values), color=ACCENT, alpha=0.6, s=18, zorder=3)
        middle = median(values)
        ax.plot([middle, middle], [row - 0.3, row + 0.3], color="#1d2330", linewidth=2, zorder=4)
    ax.set_yticks(range(len(kinds)), [f"{kind} ({len(lags[kind])})" for kind in kinds])
    _rows(ax, len(kinds))
    ax.axvline(0, color="#999", linewidth=0.8)
    ax.set_xlabel("days after the plot (negative: dated before it); bar = median")
    return "Days from the plot to the response"


def response_rate(ax: Axes, result: Analytics) -> str:
    """Per host state, the share of its hostile incidents that drew a linked response."""
    hosts = sorted(result.hosts, key=lambda h: (-h["rate"], -h["n_incidents"], h["state"]))[:20]
    if not hosts:
        _empty(ax, "no hostile incidents with a host state")
        return "Response rate by host state"
    rows = range(len(hosts))
    ax.barh(rows, [1.0] * len(hosts), color="#e8ecf2")
    ax.barh(rows, [h["rate"] for h in hosts], color=ACCENT)
    for row, host in enumerate(hosts):
        ax.text(1.01, row, f"{host['n_responded']}/{host['n_incidents']}", va="center", fontsize=8)
    ax.set_yticks(list(rows), [h["state"] for h in hosts])
    _rows(ax, len(hosts))
    ax.set_xlim(0, 1.12)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("hostile incidents that drew a linked response")
    return "Response rate by host state"


def recalls(ax: Axes, result: Analytics) -> str:
    """Each recall as a bar from the recall to the restore, or to today in red when never reversed."""
    episodes = [ep for ep in result.recalls if day_of(ep["recalled"]) is not None][-25:]
    if not episodes:
        _empty(ax, "no dated recalls")
        return "Ambassadors recalled, and for how long"
    today = date.today().toordinal()
    for row, ep in enumerate(episodes):
        start = day_of(ep["recalled"]) or today
        end = day_of(ep["restored"]) if ep["reversed"] else None
        ax.barh(row, _when(end or today) - _when(start), left=_when(start), color=ACCENT if end else OPEN,
                hatch=None if end else "//", edgecolor="white")  # fmt: skip
        label = f"{ep['duration_days']} d" if ep["duration_days"] is not None else "never reversed"
        ax.text(_when(end or today), row, f" {label}", va="center", fontsize=8)
    ax.xaxis.set_major_locator(_whole())
    ax.set_yticks(range(len(episodes)), [f"{ep['state'] or '?'} from {ep['counterpart'] or '?'}" for ep in episodes])
    _rows(ax, len(episodes))
    return "Ambassadors recalled, and for how long"


def unified(ax: Axes, result: Analytics) -> str:
    """Unified responses: how many states took the same measure against the same state within the window."""
    groups = result.unified[:20]
    if not groups:
        _empty(ax, f"no measure taken by two or more states within {result.days} days")
        return "Unified responses"
    rows = range(len(groups))
    ax.barh(rows, [g["n_states"] for g in groups], color=ACCENT)
    for row, group in enumerate(groups):
        ax.text(group["n_states"], row, "  " + " ".join(group["states"]), va="center", fontsize=7)
    ax.set_yticks(list(rows), [f"{g['type']} vs {g['against'] or '?'}, {(g['first'] or '')[:7]}" for g in groups])
    _rows(ax, len(groups))
    ax.xaxis.set_major_locator(_whole())
    ax.set_xlim(0, max(g["n_states"] for g in groups) * 1.6)
    ax.set_xlabel(f"states taking the same measure within {result.days} days")
    return "Unified responses"


KINDS: dict[str, Callable[[Axes, Analytics], str]] = {
    "timeline": timeline, "response-lag": response_lag, "response-rate": response_rate, "recalls": recalls,
    "unified": unified,
}  # fmt: skip


def draw_chart(kind: str, result: Analytics) -> Figure:
    """The chart ``kind`` (one of ``KINDS``) of ``result`` as a matplotlib Figure."""
    from matplotlib.figure import Figure

    if kind not in KINDS:
        raise InputError(kind, "unknown chart", "use one of " + ", ".join(KINDS))
    figure = Figure(figsize=SIZE, layout="constrained")
    ax = figure.add_subplot()
    title = KINDS[kind](ax, result)
    ax.set_title(f"{title}\n{_scope(result)}", fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    return figure


def _format(out: Path) -> str:
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InputError(str(out), f"cannot tell the chart format from {out.suffix or 'no suffix'!r}",
                         "name the file .png, .svg or .pdf")  # fmt: skip
    return suffix


def write_chart(store: Store, kind: str, out: Path, state: str | None = None, since: str | None = None,
                days: int = DEFAULT_DAYS) -> int:  # fmt: skip
    """Write the chart ``kind`` of the plots behind ``state`` from ``since`` on to ``out``; returns its size."""
    fmt = _format(out)
    figure = draw_chart(kind, analyze(store, state, since, days))
    options: dict[str, Any] = {"format": fmt, "dpi": DPI}
    if fmt == "svg":
        options["metadata"] = {"Date": None, "Creator": "plotwatch"}
    elif fmt == "pdf":
        options["metadata"] = {"CreationDate": None, "Creator": "plotwatch"}
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": "plotwatch"}):
        figure.savefig(out, **options)
    return out.stat().st_size
