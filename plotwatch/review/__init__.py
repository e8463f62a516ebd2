"""Review overlays: human decisions on top of machine output, that re-runs never overwrite.

- **confirm / reject / edit** go to ``incident_reviews`` (one row per reviewed
  incident: its status and the fields a reviewer changed), the table the web
  app reads; exports apply them (edited fields replace the machine's, rejected
  incidents and their events are left out).
- **merge / split** go to ``review_decisions`` and are re-applied after every
  merge (``plotwatch.review.apply``); incident ids are stable, so decisions
  keep pointing at the right incidents.

Every decision records who, when and why, in ``audit_log`` too. These are
library functions: the CLI (``plotwatch review ...``) and the web app call them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, update

from plotwatch.errors import InputError, NotFoundError
from plotwatch.store import Store
from plotwatch.store.merge_schema import audit_log, incident_reviews, review_decisions
from plotwatch.store.migrations import utc_now

__all__ = ["EDITABLE", "confirm", "edit", "list_reviews", "merge", "reject", "revoke", "split"]

EDITABLE = ("type", "country", "date", "date_end", "actor_state", "target_state", "label")



def _current(store: Store, incident_id: str) -> dict[str, Any]:
    current = store.resolve_incident_id(incident_id)
    incident = store.get_incident(current)
    if incident is None:
        raise NotFoundError(f"no incident {incident_id!r} (list them with `plotwatch incidents`)")
    return incident


def _audit(conn: Connection, who: str, action: str, target: str, before: Any, after: Any, why: str) -> None:
    conn.execute(insert(audit_log).values(at=utc_now(), user_name=who, action=action, target_kind="incident",
                                          target_id=target, before=before, after=after, reason=why))  # fmt: skip


def _set_review(store: Store, incident_id: str, who: str, why: str, action: str, **changes: Any) -> dict[str, Any]:
    incident = _current(store, incident_id)
    key = incident["incident_id"]
    with store.engine.begin() as conn:
        row = conn.execute(select(incident_reviews).where(incident_reviews.c.incident_id == key)).mappings().first()
        before = dict(row) if row else None
        values = {"status": (before or {}).get("status", "unreviewed"), **changes, "event_ids": incident["event_ids"],
                  "updated_at": utc_now(), "updated_by": who}  # fmt: skip
        if row is None:
            conn.execute(insert(incident_reviews).values(incident_id=key, **values))
        else:
            conn.execute(update(incident_reviews).where(incident_reviews.c.incident_id == key).values(**values))
        _audit(conn, who, f"incident.{action}", key, before, {"incident_id": key, **values}, why)
    return {"incident_id": key, **values}


def confirm(store: Store, incident_id: str, who: str, why: str = "") -> dict[str, Any]:
    """Mark an incident confirmed by a reviewer."""
    return _set_review(store, incident_id, who, why, "confirm", status="confirmed")


def reject(store: Store, incident_id: str, who: str, why: str = "") -> dict[str, Any]:
    """Mark an incident rejected (not a real event): exports leave it and its events out."""
    return _set_review(store, incident_id, who, why, "reject", status="rejected")


def edit(store: Store, incident_id: str, fields: Mapping[str, str | None], who: str, why: str = "") -> dict[str, Any]:
    """Replace incident fields (type, country, date, date_end, actor_state, target_state, label)."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise InputError("review edit", f"cannot edit {', '.join(unknown)}", f"editable: {', '.join(EDITABLE)}")
    return _set_review(store, incident_id, who, why, "edit", **dict(fields))


def _decide(store: Store, row: dict[str, Any], who: str, why: str) -> int:
    with store.engine.begin() as conn:
        result = conn.execute(insert(review_decisions).values(**row, who=who, at=utc_now(), why=why, active=True))
        key = result.inserted_primary_key
        assert key is not None
        decision_id = int(key[0])
        _audit(conn, who, f"incident.{row['action']}", row["incident_id"], None, {**row, "decision": decision_id}, why)
    from plotwatch.merge.stage import merge_store  # applying a decision is a (cheap) merge

    merge_store(store)
    return decision_id


def merge(store: Store, keep_id: str, other_id: str, who: str, why: str = "") -> int:
    """Fold incident ``other_id`` into ``keep_id`` (for good: re-runs apply it again). Returns the decision id."""
    keep, other = _current(store, keep_id)["incident_id"], _current(store, other_id)["incident_id"]
    if keep == other:
        raise InputError("review merge", f"{keep_id} and {other_id} are already one incident")
    return _decide(store, {"action": "merge", "incident_id": keep, "other_id": other, "event_ids": []}, who, why)


def split(store: Store, incident_id: str, event_ids: Sequence[str], who: str, why: str = "") -> int:
    """Move ``event_ids`` out of an incident into a new one (for good). Returns the decision id."""
    incident = _current(store, incident_id)
    missing = sorted(set(event_ids) - set(incident["event_ids"]))
    if missing or not event_ids or set(event_ids) >= set(incident["event_ids"]):
        raise InputError("review split", f"events {missing or list(event_ids)} cannot be split off {incident_id}",
                         "name some, not all, of the incident's event ids (plotwatch show lists them)")  # fmt: skip
    row = {"action": "split", "incident_id": incident["incident_id"], "other_id": None, "event_ids": list(event_ids)}
    return _decide(store, row, who, why)


def revoke(store: Store, decision_id: int, who: str, why: str = "") -> None:
    """Withdraw a merge or split decision; the next merge no longer applies it."""
    with store.engine.begin() as conn:
        found = conn.execute(select(review_decisions).where(review_decisions.c.id == decision_id)).mappings().first()
        if found is None:
            raise NotFoundError(f"no review decision {decision_id} (list them with `plotwatch review list`)")
        conn.execute(update(review_decisions).where(review_decisions.c.id == decision_id).values(active=False))
        _audit(conn, who, "incident.revoke", found["incident_id"], dict(found), None, why)
    from plotwatch.merge.stage import merge_store

    merge_store(store)


def list_reviews(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Reviewed incidents (status and edited fields) and merge/split decisions, oldest first."""
    with store.engine.connect() as conn:
        reviews = [dict(row) for row in conn.execute(select(incident_reviews)).mappings()]
        query = select(review_decisions).order_by(review_decisions.c.id)
        decisions = [dict(row) for row in conn.execute(query).mappings()]
    return {"reviews": reviews, "decisions": json.loads(json.dumps(decisions, default=str))}
