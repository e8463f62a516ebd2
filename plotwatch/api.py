"""What the CLI commands do, as library calls returning text (no printing, no exits)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from plotwatch import pipeline
from plotwatch.errors import InputError, NotFoundError
from plotwatch.evaluate import format_report, load_jsonl, score_events
from plotwatch.export import export
from plotwatch.store import open_store


def run_command(paths: Sequence[str], db: str) -> str:
    stdin = sys.stdin.buffer if "-" in paths else None
    stats = pipeline.run(paths, db, stdin=stdin)
    lines = [
        f"read {stats.documents_read} documents ({stats.documents_new} new), "
        f"extracted {stats.events} events, {stats.incidents} incidents in {db}",
    ]
    lines += [f"error: {e.origin}: {e.message}" for e in stats.errors]
    return "\n".join(lines)


def export_command(db: str, what: str, fmt: str, scope: str, output: Path | None) -> int:
    with open_store(db) as store:
        if output is None:
            return export(store, what, fmt, sys.stdout, scope=scope)
        with output.open("w", encoding="utf-8", newline="") as handle:
            return export(store, what, fmt, handle, scope=scope)


def _table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    cells = [[str(row.get(c) if row.get(c) is not None else "") for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


INCIDENT_COLUMNS = ("incident_id", "type", "country", "date", "actor_state", "target_state", "n_documents", "label")


def incidents_command(db: str, type_: str | None, country: str | None, actor: str | None,
                      since: str | None, until: str | None, limit: int) -> str:  # fmt: skip
    with open_store(db) as store:
        rows = store.list_incidents(type=type_, country=country, actor=actor, since=since, until=until, limit=limit)
    return _table(rows, INCIDENT_COLUMNS) if rows else "no incidents match"


def show_command(db: str, incident_id: str) -> str:
    with open_store(db) as store:
        incident = store.get_incident(incident_id)
    if incident is None:
        raise NotFoundError(f"no incident {incident_id!r} in {db} (list them with `plotwatch incidents --db {db}`)")
    lines = [f"{incident['incident_id']}  {incident.get('label') or ''}"]
    for key in ("type", "country", "date", "date_end", "actor_state", "target_state", "n_documents", "confidence"):
        lines.append(f"  {key}: {incident.get(key)}")
    for event in incident["events"]:
        lines.append(f"- {event['type']} {event['status']} {event['date'] or ''} in {event['country'] or '?'} "
                     f"[{event['doc_id']}] actor={event['actor'].get('state')} target={event['target'].get('state')}")
        lines.append(f"    \"{event['evidence']['text']}\"")
    return "\n".join(lines)


def errors_command(db: str) -> str:
    with open_store(db) as store:
        found = store.list_errors()
    return "\n".join(f"{e.origin}: {e.message}" for e in found) or "no ingest errors"


def sample_path() -> str:
    return str(resources.files("plotwatch").joinpath("data", "sample", "articles.jsonl"))


def demo_command(db: str) -> str:
    stats = pipeline.run([sample_path()], db)
    with open_store(db) as store:
        summary = store.stats()
        top = store.list_incidents(limit=8)
        details = [store.get_incident(row["incident_id"]) for row in top]
    lines = [f"plotwatch demo: {stats.documents_read} sample articles → {db}",
             f"documents {summary.get('documents')}, events {summary.get('events')}, "
             f"incidents {summary.get('incidents')}", "", "events by type:"]  # fmt: skip
    lines += [f"  {k:10} {v}" for k, v in sorted(summary.get("by_type", {}).items(), key=lambda kv: -kv[1])]
    lines += ["", "events by country:"]
    lines += [f"  {k or '?':10} {v}" for k, v in sorted(summary.get("by_country", {}).items(), key=lambda kv: -kv[1])]
    lines += ["", "largest incidents:"]
    for row, detail in zip(top, details, strict=True):
        evidence = detail["events"][0]["evidence"]["text"] if detail and detail["events"] else ""
        lines.append(f"  {row['incident_id']}  {row.get('label')}  ({row['n_documents']} documents)")
        lines.append(f"      \"{evidence}\"")
    return "\n".join(lines)


def evaluate_command(gold: Path, articles: Path, db: str, as_json: bool) -> str:
    for path in (gold, articles):
        if not path.exists():
            raise InputError(str(path), "file not found", "pass the gold.jsonl and articles.jsonl of an eval set")
    pipeline.run([str(articles)], db)
    with open_store(db) as store:
        predictions = [e.to_record(store.get_document(e.doc_id)) for e in store.iter_events()]
    result = score_events(load_jsonl(str(gold)), load_jsonl(str(articles)), predictions)
    return json.dumps(result.to_dict(), indent=2) if as_json else format_report(result)
