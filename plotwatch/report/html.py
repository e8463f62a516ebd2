"""The pieces of the report page: numbers that link to their incidents, tables, sections."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

__all__ = ["Links", "e", "table"]


def e(value: object) -> str:
    """Escaped text of a value ("" for None)."""
    return "" if value is None else escape(str(value), quote=True)


class Links:
    """Where a number points: one incident's page, or the list of the incidents behind it in the report."""

    def __init__(self, base_url: str = "") -> None:
        self.base = base_url.rstrip("/")
        self.sets: dict[tuple[str, ...], str] = {}

    def incident(self, incident_id: str) -> str:
        return f"{self.base}/incidents/{incident_id}"

    def of(self, ids: Sequence[str]) -> str:
        """The href of the incidents ``ids``: their page when one, else a list at the end of the report."""
        if len(ids) == 1:
            return self.incident(ids[0])
        key = tuple(ids)
        return "#" + self.sets.setdefault(key, f"set-{len(self.sets) + 1}")

    def number(self, value: object, ids: Sequence[str], metric: str | None = None) -> str:
        """A number as a link to the incidents behind it (plain text when there are none)."""
        shown = f"{value:.0%}" if isinstance(value, float) and 0 <= value <= 1 and metric != "lag" else value
        if not ids:
            return e(shown)
        extra = f' data-metric="{e(metric)}"' if metric else ""
        return f'<a href="{e(self.of(ids))}" data-ids="{e(" ".join(ids))}"{extra}>{e(shown)}</a>'

    def link(self, incident_id: str, text: str | None = None) -> str:
        return f'<a href="{e(self.incident(incident_id))}" data-ids="{e(incident_id)}">{e(text or incident_id)}</a>'

    def appendix(self, labels: dict[str, str]) -> str:
        """Every list of incidents a number points to, each incident linked."""
        items = []
        for ids, anchor in self.sets.items():
            entries = "".join(f"<li>{self.link(i)} {e(labels.get(i, ''))}</li>" for i in ids)
            items.append(
                f'<section id="{anchor}" class="set"><h3>{len(ids)} incidents</h3><ol>{entries}</ol></section>'
            )
        return "".join(items)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "") -> str:
    """An HTML table; cells are already HTML (escape text with ``e``)."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    if not rows:
        body = f'<tr><td colspan="{len(headers)}" class="none">none</td></tr>'
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
