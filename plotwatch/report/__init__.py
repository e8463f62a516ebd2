"""The report: one self-contained HTML file of the analytics (``plotwatch report``).

No script, no stylesheet or font from elsewhere, no image file: the charts and
the map are inline SVG drawn by ``svg.py``. ``--format pdf`` prints that page
with headless Chromium (``pdf.py``); ``charts.py`` draws single charts as PNG,
SVG or PDF files with matplotlib (``plotwatch chart``). Every number links to the incidents
behind it: one incident's page in the web app (``{base_url}/incidents/ID``), or
a list at the end of the report; each link carries the ids in ``data-ids``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from plotwatch.analyze import DEFAULT_DAYS, load_facts, summarize
from plotwatch.errors import InputError
from plotwatch.report.html import Links, e
from plotwatch.report.pdf import html_to_pdf
from plotwatch.report.sections import SECTIONS
from plotwatch.store import Store

__all__ = ["FORMATS", "build_report", "write_report"]

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:980px;color:#222}
table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border-bottom:1px solid #ddd;padding:3px 6px;
text-align:left;vertical-align:top}caption{text-align:left;font-weight:600}.bar{fill:#2c7fb8}.lbl,.val,.tick{font-size:11px}
.ttl{font-weight:600;font-size:12px}.none{color:#888}a{color:#1d5a8c}.set h3{font-size:13px;margin:.8em 0 0}
@page{size:A4;margin:14mm}@media print{body{margin:0}h2,h3,caption{break-after:avoid}tr,svg{break-inside:avoid}}
"""


def build_report(store: Store, state: str | None = None, since: str | None = None, days: int = DEFAULT_DAYS,
                 base_url: str = "") -> str:  # fmt: skip
    """The report's HTML for the plots behind ``state`` (ISO alpha-3) from ``since`` (a year or ISO date) on."""
    facts = load_facts(store)
    result = summarize(facts, state, since, days)
    links = Links(base_url)
    narrowed = facts.filtered(state, since)
    body = "".join(f'<section id="{key}"><h2>{e(title)}</h2>{render(result, narrowed, links)}</section>'
                   for key, title, render in SECTIONS)  # fmt: skip
    labels = {key: value.label for key, value in facts.incidents.items()}
    scope = " · ".join(filter(None, [f"state behind: {state}" if state else "", f"since {since}" if since else ""]))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>plotwatch report</title>'
            f"<style>{STYLE}</style></head><body><h1>plotwatch report</h1>"
            f"<p>{e(scope or 'all incidents')} · built {e(stamp)}</p>{body}"
            f'<section id="incidents"><h2>Incidents behind the numbers</h2>{links.appendix(labels)}</section>'
            f"</body></html>")  # fmt: skip


FORMATS = ("html", "pdf")


def write_report(store: Store, out: Path, state: str | None = None, since: str | None = None,
                 days: int = DEFAULT_DAYS, base_url: str = "", format: str = "html",
                 chromium: str | None = None) -> int:  # fmt: skip
    """Write the report to ``out`` as HTML, or as PDF printed by headless Chromium (``pdf.py``); returns its size
    in bytes."""
    if format not in FORMATS:
        raise InputError("--format", f"unknown report format {format!r}", "use html or pdf")
    text = build_report(store, state, since, days, base_url)
    if format == "pdf":
        return html_to_pdf(text, out, chromium)
    out.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))
