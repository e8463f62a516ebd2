"""What the merge stage knows about an incident beyond its events: corroboration, links, cases.

Read through the Store's merge API (``get_corroboration``, ``list_links``,
``list_cases``, ``resolve_incident_id``); the web only shapes it for pages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection

from plotwatch.errors import NotFoundError
from plotwatch.store import Store
from plotwatch.web import queries


def lag_days(earlier: str | None, later: str | None) -> int | None:
    """Days from ``earlier`` to ``later`` when both are full dates (YYYY-MM-DD), else None."""
    if not earlier or not later or len(earlier) != 10 or len(later) != 10:
        return None
    try:
        return (date.fromisoformat(later) - date.fromisoformat(earlier)).days
    except ValueError:
        return None


def _summary(conn: Connection, incident_id: str) -> dict[str, Any]:
    row = queries.incident_row(conn, incident_id)
    if row is None:
        return {"incident_id": incident_id, "label": incident_id, "type": None, "date": None, "missing": True}
    keep = ("incident_id", "label", "type", "date", "country", "actor_state", "target_state", "review")
    return {key: row[key] for key in keep} | {"missing": False}


def _link_view(conn: Connection, link: dict[str, Any], other_id: str, here: dict[str, Any]) -> dict[str, Any]:
    other = _summary(conn, other_id)
    plot, response = (other, here) if link["source_id"] == here["incident_id"] else (here, other)
    return {"kind": link["kind"], "rule": link["rule"], "confidence": link["confidence"],
            "evidence_doc": link["evidence_doc"], "evidence_text": link["evidence_text"], "other": other,
            "lag_days": lag_days(plot.get("date"), response.get("date"))}  # fmt: skip


def incident_links(store: Store, incident: dict[str, Any]) -> dict[str, Any]:
    """Responses to this incident, what it responds to, case steps, cases, corroboration."""
    incident_id = incident["incident_id"]
    links = store.list_links(incident_id)
    found: dict[str, list[dict[str, Any]]] = {"responses": [], "responds_to": [], "steps": []}
    with store.engine.connect() as conn:
        for link in links:
            mine = link["source_id"] == incident_id
            other_id = link["target_id"] if mine else link["source_id"]
            view = _link_view(conn, link, other_id, incident)
            if link["kind"] == "response_to":
                found["responds_to" if mine else "responses"].append(view)
            else:
                found["steps"].append(view | {"direction": "after" if mine else "before"})
    return {**found, "cases": store.list_cases(incident_id), "corroboration": store.get_corroboration(incident_id)}


def case_data(store: Store, case_id: str) -> dict[str, Any]:
    """A legal case or recall episode with its steps in order (and the plot it answers)."""
    case = next((row for row in store.list_cases() if row["case_id"] == case_id), None)
    if case is None:
        raise NotFoundError(f"no case {case_id!r}")
    with store.engine.connect() as conn:
        steps = [step | {"incident": _summary(conn, step["incident_id"])} for step in case["steps"]]
        plot = _summary(conn, case["plot_id"]) if case.get("plot_id") else None
    previous: str | None = None
    for step in steps:
        step["lag_days"] = lag_days(previous, step.get("date"))
        previous = step.get("date") or previous
    return {"case": {key: value for key, value in case.items() if key != "steps"}, "steps": steps, "plot": plot}


def response_lags(store: Store, rows: list[dict[str, Any]]) -> None:
    """Add to each response row the plot it answers (if linked) and the days in between."""
    with store.engine.connect() as conn:
        for row in rows:
            links = [link for link in store.list_links(row["incident_id"], "response_to")
                     if link["source_id"] == row["incident_id"]]  # fmt: skip
            if links:
                best = max(links, key=lambda link: link["confidence"])
                plot = _summary(conn, best["target_id"])
                row["responds_to"] = plot
                row["lag_days"] = lag_days(plot.get("date"), row.get("date"))
