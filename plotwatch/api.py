"""What the CLI commands do, as library calls returning text (no printing, no exits)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from plotwatch import pipeline
from plotwatch.errors import InputError, NotFoundError
from plotwatch.evaluate import format_report, load_jsonl, score_events
from plotwatch.export import export
from plotwatch.ingest import CsvOptions, IngestOptions
from plotwatch.ingest import watch as feedwatch
from plotwatch.ingest.clock import utc_now
from plotwatch.ingest.ledger import FeedLedger
from plotwatch.ingest.options import parse_columns
from plotwatch.ingest.source import Context
from plotwatch.models import RunStats
from plotwatch.store import Store, open_store


def run_command(paths: Sequence[str], db: str, engine: str = "local", master: str = "local[2]",
                follow_links: bool = False, csv_columns: Sequence[str] = (), workers: int = 1,
                batch: int = pipeline.BATCH, quiet: bool = True) -> str:  # fmt: skip
    if engine == "spark":
        from plotwatch.engines import spark  # PySpark is an extra: imported only when asked for

        if "-" in paths:
            raise InputError("-", "the Spark engine cannot read standard input", "pass files, folders or URIs")
        stats = spark.run(paths, db, master=master)
    elif engine == "local":
        from plotwatch.progress import progress_display

        stdin = sys.stdin.buffer if "-" in paths else None
        with progress_display(quiet) as progress:
            stats = pipeline.run(paths, db, stdin=stdin, options=ingest_options(follow_links, csv_columns),
                                 workers=workers, batch=batch, progress=progress)  # fmt: skip
    else:
        raise InputError("--engine", f"unknown engine {engine!r}", "use local or spark")
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


def report_command(db: str, output: Path | None, state: str | None, since: str | None, days: int, base_url: str,
                   format: str | None = None, chromium: str | None = None) -> str:  # fmt: skip
    from plotwatch.report import write_report

    chosen = format or ("pdf" if output is not None and output.suffix.lower() == ".pdf" else "html")
    target = output or Path(f"report.{chosen}")
    with open_store(db) as store:
        size = write_report(store, target, state=state, since=since, days=days, base_url=base_url, format=chosen,
                            chromium=chromium)  # fmt: skip
    return f"wrote {target} ({size // 1024} KiB)"


def chart_command(db: str, kind: str, output: Path, state: str | None, since: str | None, days: int) -> str:
    from plotwatch.report.charts import write_chart  # matplotlib is imported only when a chart is asked for

    with open_store(db) as store:
        size = write_chart(store, kind, output, state=state, since=since, days=days)
    return f"wrote {output} ({size // 1024} KiB)"


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
    with open_store(db) as store:
        lines += corroboration_lines(store, incident)
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


def serve_banner(db: str, host: str, port: int) -> str:
    """What `plotwatch serve` prints before it starts: where, and how to add a first user."""
    from plotwatch.web import count_users

    with open_store(db) as store:
        users = count_users(store.engine)
    lines = [f"plotwatch: serving {db} on http://{host}:{port}/ (Ctrl-C stops)"]
    if not users:
        lines.append(f"no users yet: add one with `plotwatch user add NAME --role admin --db {db}`")
    return "\n".join(lines)


def serve_command(db: str, host: str, port: int, anonymous_read: bool | None) -> None:
    from plotwatch import web

    web.serve(web.WebConfig(db=db, anonymous_read=anonymous_read), host=host, port=port)


def user_add_command(db: str, name: str, role: str, password: str) -> str:
    from plotwatch.web import add_user

    with open_store(db) as store:
        user = add_user(store.engine, name, role, password)
    return f"added {user.role} {user.name!r} to {db}"


def ingest_options(follow_links: bool = False, csv_columns: Sequence[str] = ()) -> IngestOptions:
    """The ingest options the command-line flags ask for."""
    try:
        columns = parse_columns(list(csv_columns))
    except ValueError as exc:
        raise InputError("--csv-column", str(exc), "e.g. --csv-column text=body") from exc
    return IngestOptions(follow_links=follow_links, csv=CsvOptions(columns=columns))


def watch_command(feeds: str, db: str, every: str, *, once: bool = False, follow_links: bool = False,
                  echo: Callable[[str], None] = print, rounds: int | None = None,
                  context: Context | None = None) -> int:  # fmt: skip
    """Poll the feeds listed in ``feeds`` every ``every`` into ``db``; one line per round to ``echo``."""
    try:
        interval = feedwatch.parse_every(every)
    except ValueError as exc:
        raise InputError("--every", str(exc)) from exc
    context = context or Context(ingest_options(follow_links))
    try:
        with open_store(db) as store:
            poller = _FeedRounds(feeds, store, FeedLedger(store.engine), context, echo)
            return feedwatch.every(interval, poller.round, rounds=1 if once else rounds)
    finally:
        context.close()


class _FeedRounds:
    """One watch round: read the feed list, poll, store, extract and merge what is new."""

    def __init__(self, feeds: str, store: Store, ledger: FeedLedger, context: Context,
                 echo: Callable[[str], None]) -> None:  # fmt: skip
        self.feeds, self.store, self.ledger, self.context, self.echo = feeds, store, ledger, context, echo

    def round(self, number: int) -> None:
        stats = RunStats()
        urls, problems = feedwatch.read_feed_list(self.feeds)
        if not urls:
            raise InputError(self.feeds, problems[0].message if problems else "no feed URLs")
        if number == 1:  # the list's bad lines are reported once, not every round
            pipeline.store_items(self.store, problems, stats)
        pipeline.store_items(self.store, feedwatch.poll(urls, self.ledger, self.context), stats)
        if stats.documents_new:
            pipeline.extract_pending(self.store, stats)
            pipeline.merge_all(self.store, stats)
        self.echo(f"{utc_now()} round {number}: {len(urls)} feeds, {stats.documents_new} new documents, "
                  f"{stats.events} events, {len(stats.errors)} errors")  # fmt: skip
        for error in stats.errors:
            self.echo(f"error: {error.origin}: {error.message}")


# Incidents: corroboration, links, cases (plotwatch show) and review decisions (plotwatch review ...)


def corroboration_lines(store: Store, incident: dict[str, Any]) -> list[str]:
    """Sources (with the independent count), linked incidents and case timelines of one incident."""
    sources = incident.get("sources") or {}
    lines = [f"  review: {incident.get('review', 'unreviewed')}",
             f"sources: {sources.get('n_documents', 0)} documents, {sources.get('n_sources', 0)} outlets, "
             f"{sources.get('n_independent', 0)} independent ({sources.get('n_copies', 0)} wire copies, "
             f"{sources.get('state_affiliated', 0)} state-affiliated)"]  # fmt: skip
    for outlet in sources.get("sources", []):
        state = f", state-affiliated {outlet['state'] or ''}" if outlet["state_affiliated"] else ""
        lines.append(f"  {outlet['source']} (owner {outlet['owner']}{state}): {', '.join(outlet['doc_ids'])}")
    for link in store.list_links(incident["incident_id"]):
        other = link["target_id"] if link["source_id"] == incident["incident_id"] else link["source_id"]
        row = store.get_incident(other)
        label = row["label"] if row else other
        way = "answers" if link["source_id"] == incident["incident_id"] else "answered by"
        lines.append(f"link {link['kind']}: {way} {other} {label} ({link['rule']}, {link['confidence']})")
        if link["evidence_text"]:
            lines.append(f"    \"{link['evidence_text']}\"")
    for case in store.list_cases(incident["incident_id"]):
        extra = f", {case['duration_days']} days" if case["duration_days"] is not None else ""
        lines.append(f"case {case['case_id']} ({case['kind']}{extra}): {case['label']}")
        lines += [f"  {step['date'] or '?':10} {step['type']:8} {step['country'] or '?':4} {step['incident_id']}"
                  for step in case["steps"]]  # fmt: skip
    return lines


def review_command(db: str, action: str, incident_id: str, who: str, why: str, other: str | None = None,
                   events: Sequence[str] = (), fields: Sequence[str] = ()) -> str:  # fmt: skip
    """confirm, reject, edit (fields NAME=VALUE), merge (other into incident_id), split (events out)."""
    from plotwatch import review

    with open_store(db) as store:
        if action in ("confirm", "reject"):
            getattr(review, action)(store, incident_id, who, why)
        elif action == "edit":
            pairs = [field.partition("=") for field in fields]
            if not pairs or any(not sep for _, sep, _ in pairs):
                raise InputError("review edit", "give fields as NAME=VALUE", f"editable: {', '.join(review.EDITABLE)}")
            review.edit(store, incident_id, {name: value or None for name, _, value in pairs}, who, why)
        elif action == "merge" and other:
            return f"decision {review.merge(store, incident_id, other, who, why)}: {other} merged into {incident_id}"
        elif action == "split":
            return f"decision {review.split(store, incident_id, list(events), who, why)}: split off {incident_id}"
        else:
            raise InputError("review", f"cannot {action} {incident_id}", "see plotwatch review --help")
    return f"{action}: {incident_id} by {who}"


def review_list_command(db: str) -> str:
    from plotwatch import review

    with open_store(db) as store:
        found = review.list_reviews(store)
    lines = [f"{row['incident_id']}  {row['status']}  by {row['updated_by']} at {row['updated_at']}"
             for row in found["reviews"]]  # fmt: skip
    lines += [f"decision {row['id']}: {row['action']} {row['incident_id']} {row['other_id'] or ''}"
              f"{' '.join(row['event_ids'])} by {row['who']} ({row['why']}){'' if row['active'] else ' [revoked]'}"
              for row in found["decisions"]]  # fmt: skip
    return "\n".join(lines) or "no reviews"


def review_revoke_command(db: str, decision: int, who: str, why: str) -> str:
    from plotwatch import review

    with open_store(db) as store:
        review.revoke(store, decision, who, why)
    return f"decision {decision} revoked"
