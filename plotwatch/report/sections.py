"""The report's sections, each from one analytics table; every number links to its incidents."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from plotwatch.analyze import Analytics, Facts
from plotwatch.report import svg
from plotwatch.report.html import Links, e, table

__all__ = ["SECTIONS"]

COLORS = {"KILL": "#8e1b1b", "ATTACK": "#c0392b", "KIDNAP": "#d35400", "SURVEIL": "#2c7fb8", "SPY": "#5e3c99",
          "THREATEN": "#7f8c8d"}  # fmt: skip


def _lag(value: float | None) -> str:
    return "" if value is None else e(f"{value:g}")


def summary(result: Analytics, facts: Facts, links: Links) -> str:
    responded = [p["incident_id"] for p in result.plots if p["responses"]]
    hostile = [p["incident_id"] for p in result.plots]
    rate = len(responded) / len(hostile) if hostile else 0.0
    return (f"<p>{links.number(len(hostile), hostile, 'hostile')} hostile incidents; "
            f"{links.number(len(responded), responded, 'responded')} drew at least one linked response "
            f"({links.number(rate, responded, 'response-rate')}).</p>")  # fmt: skip


def timeline(result: Analytics, facts: Facts, links: Links) -> str:
    years: dict[str, list[str]] = defaultdict(list)
    for plot in result.plots:
        years[(plot["date"] or "????")[:4]].append(plot["incident_id"])
    bars = [(year, len(ids), links.of(ids)) for year, ids in sorted(years.items())]
    return svg.timeline(bars, "Hostile incidents by year")


def world(result: Analytics, facts: Facts, links: Links) -> str:
    points = []
    for plot in result.plots:
        found = facts.incidents[plot["incident_id"]]
        if found.lat is not None and found.lon is not None:
            points.append((found.lat, found.lon, f"{found.type} {found.label}", links.incident(found.incident_id)))
    legend = " ".join(f'<span style="color:{c}">●</span> {e(t)}' for t, c in COLORS.items())
    chart = svg.world_map(points, lambda label: COLORS.get(label.split(" ")[0], "#c0392b"))
    return f"{chart}<p class='legend'>{legend} — {len(points)} of {len(result.plots)} incidents have a place.</p>"


def hosts(result: Analytics, facts: Facts, links: Links) -> str:
    rows, detail = [], []
    for host in result.hosts:
        code = host["state"]
        rows.append([e(code), links.number(host["n_incidents"], host["incident_ids"], f"host-{code}-incidents"),
                     links.number(host["n_responded"], host["responded_ids"], f"host-{code}-responded"),
                     links.number(host["rate"], host["responded_ids"]), _lag(host["median_lag_days"])])  # fmt: skip
        for kind, stats in host["by_type"].items():
            detail.append([e(code), e(kind), links.number(stats["n_incidents"], stats["incident_ids"]),
                           links.number(stats["rate"], stats["incident_ids"]), _lag(stats["median_lag_days"]),
                           e(stats["n_lags"])])  # fmt: skip
    chart = svg.bar_chart([(h["state"], h["n_incidents"], links.of(h["incident_ids"])) for h in result.hosts],
                          "Hostile incidents by host state")  # fmt: skip
    return (chart + table(["Host state", "Incidents", "Responded", "Rate", "Median lag (days)"], rows)
            + table(["Host state", "Response", "Incidents answered", "Rate", "Median lag (days)", "Lags"], detail,
                    "By response type"))  # fmt: skip


def perpetrators(result: Analytics, facts: Facts, links: Links) -> str:
    def counts(groups: dict[str, list[str]]) -> str:
        return ", ".join(f"{e(key)} {links.number(len(ids), ids)}" for key, ids in groups.items())

    rows = [[e(p["state"]), links.number(p["n_incidents"], p["incident_ids"]), counts(p["by_year"]),
             counts(p["by_type"]), counts(p["by_country"])] for p in result.perpetrators]  # fmt: skip
    return table(["State behind", "Incidents", "By year", "By type", "By host country"], rows)


def unified(result: Analytics, facts: Facts, links: Links) -> str:
    rows = [[e(g["type"]), e(g["against"] or "?"), links.number(g["n_states"], g["incident_ids"]),
             e(", ".join(g["states"])), e(g["first"]), e(g["last"])] for g in result.unified]  # fmt: skip
    note = f"<p>The same measure by two or more states within {result.days} days.</p>"
    return note + table(["Measure", "Against", "States", "Which", "First", "Last"], rows)


def recalls(result: Analytics, facts: Facts, links: Links) -> str:
    rows = []
    for ep in result.recalls:
        ids = [ep["recall_id"]] + ([ep["restore_id"]] if ep["restore_id"] else [])
        rows.append([links.link(ep["recall_id"], ep["recalled"] or "undated"), e(ep["state"]), e(ep["counterpart"]),
                     links.link(ep["restore_id"], ep["restored"] or "undated") if ep["restore_id"] else "never",
                     links.number(ep["duration_days"], ids) if ep["duration_days"] is not None else "",
                     e(ep["days_open"]), e(ep["precision"])])  # fmt: skip
    return table(["Recalled", "State", "From", "Restored", "Days", "Open for (days)", "Precision"], rows)


def legal(result: Analytics, facts: Facts, links: Links) -> str:
    rows = []
    for case in result.legal:
        ids = case["incident_ids"]
        days = [links.number(case[f"days_to_{k}"], ids) if case[f"days_to_{k}"] is not None else ""
                for k in ("charge", "verdict", "release")]  # fmt: skip
        plot = links.link(case["plot_id"]) if case["plot_id"] else ""
        rows.append([e(case["label"]), e(case["country"]), plot, e(case["arrest"]), *days])
    return table(["Case", "Country", "Plot", "Arrest", "→ charge", "→ verdict", "→ release"], rows, "Days from arrest")


def plots(result: Analytics, facts: Facts, links: Links) -> str:
    rows = []
    for plot in result.plots:
        answers = "; ".join(f"{links.link(r['incident_id'], r['type'])} {e(r['state'])} "
                            f"({_lag(r['lag_days'])} d)" for r in plot["responses"])  # fmt: skip
        when = e(plot["date"]) + ("" if plot["dated"] else " (first report)")
        rows.append([links.link(plot["incident_id"], plot["label"]), e(plot["actor_state"]), when, answers])
    return table(["Incident", "State behind", "Date", "Responses (lag)"], rows)


SECTIONS: list[tuple[str, str, Any]] = [
    ("summary", "Summary", summary),
    ("timeline", "Timeline", timeline),
    ("map", "Map", world),
    ("hosts", "Responses by host state", hosts),
    ("perpetrators", "States behind the plots", perpetrators),
    ("unified", "Unified responses", unified),
    ("recalls", "Recall episodes", recalls),
    ("legal", "Legal cases", legal),
    ("plots", "Hostile incidents and their responses", plots),
]
