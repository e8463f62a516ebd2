"""The web's review actions: checked here, carried out by the review library (``plotwatch.review``).

The library writes the overlay (``incident_reviews``: status and edited
fields, never touched by re-runs), the merge and split decisions (re-applied
after every merge) and the audit log (who, when, before, after, why). This
module adds what a web form needs: a reason for reject, edit, merge and split;
values checked before they are stored; an edit that only sends the fields
that changed (a value equal to the pipeline's clears the edit); and "reopen",
which sets a reviewed incident back to unreviewed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from plotwatch import review as library
from plotwatch.errors import NotFoundError, PlotwatchError
from plotwatch.models import EVENT_TYPES
from plotwatch.store import Store
from plotwatch.store.migrations import utc_now
from plotwatch.store.schema import incidents
from plotwatch.web.tables import audit_log, incident_reviews

ACTIONS = ("confirm", "reject", "reopen", "edit", "merge", "split")
EDITABLE = ("type", "country", "date", "date_end", "actor_state", "target_state", "label")
NEEDS_REASON = ("reject", "edit", "merge", "split")
_STATE = re.compile(r"^(?:[A-Z]{3}|EU)$")
_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
_NOT_SHOWN = frozenset({"incident_id", "event_ids", "updated_at", "updated_by"})


class ReviewError(PlotwatchError):
    """A review that cannot be applied (bad action, field or value, missing reason)."""


def _check_value(field: str, value: str) -> str | None:
    """The value to store for ``field`` ("" clears the edit), or ReviewError."""
    value = value.strip()
    if not value:
        return None
    if field == "type" and value.upper() not in EVENT_TYPES:
        raise ReviewError(f"type {value!r} is not an event type; use one of {', '.join(EVENT_TYPES)}")
    if field in ("country", "actor_state", "target_state") and not _STATE.match(value.upper()):
        raise ReviewError(f"{field} {value!r}: use an ISO 3166 alpha-3 code such as IRN, or EU")
    if field in ("date", "date_end") and not _DATE.match(value):
        raise ReviewError(f"{field} {value!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    if field == "label" and len(value) > 200:
        raise ReviewError("label: use at most 200 characters")
    return value if field in ("date", "date_end", "label") else value.upper()


def _machine_row(conn: Connection, incident_id: str) -> dict[str, Any]:
    row = conn.execute(select(incidents).where(incidents.c.incident_id == incident_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no incident {incident_id!r}; it may have been merged away by a re-run")
    return dict(row)


def _overlay(conn: Connection, incident_id: str) -> dict[str, Any]:
    query = select(incident_reviews).where(incident_reviews.c.incident_id == incident_id)
    row = conn.execute(query).mappings().first()
    return dict(row) if row else {"status": "unreviewed"}


def edit_changes(store: Store, incident_id: str, edits: dict[str, str]) -> dict[str, str | None]:
    """The fields an edit form really changes: value, or None to go back to the pipeline's."""
    unknown = sorted(set(edits) - set(EDITABLE))
    if unknown:
        raise ReviewError(f"cannot edit {', '.join(unknown)}; editable fields: {', '.join(EDITABLE)}")
    with store.engine.connect() as conn:
        machine, current = _machine_row(conn, incident_id), _overlay(conn, incident_id)
    wanted = {field: _check_value(field, value) for field, value in edits.items()}
    wanted = {field: None if value == machine.get(field) else value for field, value in wanted.items()}
    changes = {field: value for field, value in wanted.items() if value != current.get(field)}
    if not changes:
        raise ReviewError("nothing to change: the values are those already stored")
    return changes


def _reopen(store: Store, incident_id: str, user: str, reason: str) -> None:
    with store.engine.begin() as conn:
        _machine_row(conn, incident_id)
        current = _overlay(conn, incident_id)
        if current["status"] == "unreviewed":
            raise ReviewError("the incident is not reviewed: nothing to reopen")
        values = {"status": "unreviewed", "updated_at": utc_now(), "updated_by": user}
        conn.execute(update(incident_reviews).where(incident_reviews.c.incident_id == incident_id).values(values))
        conn.execute(insert(audit_log).values(at=values["updated_at"], user_name=user, action="incident.reopen",
                                              target_kind="incident", target_id=incident_id,
                                              before={"status": current["status"]}, after={"status": "unreviewed"},
                                              reason=reason))  # fmt: skip


def review(store: Store, incident_id: str, action: str, user: str, reason: str = "", *,
           edits: dict[str, str] | None = None, other_id: str = "", event_ids: Sequence[str] = ()) -> None:  # fmt: skip
    """Apply one review action by ``user`` (ReviewError, NotFoundError or InputError when it cannot be)."""
    reason = reason.strip()
    if action not in ACTIONS:
        raise ReviewError(f"unknown review action {action!r}; use one of {', '.join(ACTIONS)}")
    if action in NEEDS_REASON and not reason:
        raise ReviewError(f"say why: a reason is required to {action} an incident")
    if action == "confirm":
        library.confirm(store, incident_id, user, reason)
    elif action == "reject":
        library.reject(store, incident_id, user, reason)
    elif action == "reopen":
        _reopen(store, incident_id, user, reason)
    elif action == "edit":
        library.edit(store, incident_id, edit_changes(store, incident_id, edits or {}), user, reason)
    elif action == "merge":
        library.merge(store, incident_id, other_id.strip(), user, reason)
    else:
        library.split(store, incident_id, list(event_ids), user, reason)


def changes(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """What an audit entry changed, field by field (whole rows and partial ones alike)."""
    before, after = entry.get("before"), entry.get("after")
    if not isinstance(before, dict) and not isinstance(after, dict):
        return [{"field": "", "before": before, "after": after}] if before != after else []
    before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    fields = [key for key in dict.fromkeys([*after, *before]) if key not in _NOT_SHOWN]
    return [{"field": key, "before": before.get(key), "after": after.get(key)}
            for key in fields if before.get(key) != after.get(key)]  # fmt: skip


def _entries(conn: Connection, where: Any, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    query = select(audit_log).where(where).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
    return [dict(row) | {"changes": changes(dict(row))} for row in conn.execute(query).mappings()]


def history(conn: Connection, incident_id: str, limit: int = 200) -> list[dict[str, Any]]:
    """The audit entries of an incident, newest first."""
    where = (audit_log.c.target_kind == "incident") & (audit_log.c.target_id == incident_id)
    return _entries(conn, where, limit)


def recent(conn: Connection, limit: int, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Every audit entry, newest first: total and one page."""
    total = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    return int(total), _entries(conn, audit_log.c.id.is_not(None), limit, offset)
