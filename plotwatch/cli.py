"""Command line: each command parses its options and calls one library function."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import click
import typer

from plotwatch import api
from plotwatch.errors import PlotwatchError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="State plots abroad and responses, from the news.")
DbOption = Annotated[str, typer.Option("--db", help="SQLite file path or SQLAlchemy URL.")]
_state = {"debug": False}


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
          verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False) -> None:  # fmt: skip
    _state["debug"] = debug
    logging.basicConfig(level=logging.INFO if verbose or debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)  # fmt: skip


@app.command()
def run(paths: Annotated[list[str], typer.Argument(help="Files, folders or URLs (.jsonl .txt .html .csv .rss "
                                                  ".warc.gz .urls ..., also .gz/.zip); - for stdin.")],
        db: DbOption = "plotwatch.db",
        engine: Annotated[str, typer.Option("--engine", help="local (one process) or spark.")] = "local",
        master: Annotated[str, typer.Option("--master", help="Spark master URL, e.g. local[2] or spark://host:7077 "
                                            "(with --engine spark).")] = "local[2]",
        follow_links: Annotated[bool, typer.Option("--follow-links", help="Fetch the page each feed item "
                                                   "links to.")] = False,
        csv_column: Annotated[list[str] | None, typer.Option("--csv-column", help="FIELD=COLUMN: read a CSV "
                                                             "field from that column (repeatable).")] = None,
        workers: Annotated[int, typer.Option("--workers", min=1, help="Extraction processes (local engine; "
                                             "each loads the model).")] = 1,
        batch: Annotated[int, typer.Option("--batch", min=1, help="Documents stored per transaction (a crash "
                                           "loses at most one batch; the next run resumes).")] = 500,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display (it shows only on a "
                                            "terminal).")] = False,
        ) -> None:  # fmt: skip
    """Ingest, extract and merge PATHS into DB."""
    typer.echo(api.run_command(paths, db, engine=engine, master=master, follow_links=follow_links,
                               csv_columns=csv_column or (), workers=workers, batch=batch,
                               quiet=quiet))  # fmt: skip


@app.command()
def export(db: DbOption = "plotwatch.db",
           format: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
           what: Annotated[str, typer.Option("--what", help="events, incidents, documents, cases, links.")] = "events",
           scope: Annotated[str, typer.Option("--scope", help="default, transnational or all.")] = "default",
           output: Annotated[Path | None, typer.Option("--output", "-o", help="File (default stdout).")] = None,
           ) -> None:  # fmt: skip
    """Export events, incidents or documents as JSONL or CSV."""
    api.export_command(db, what, format, scope, output)


@app.command()
def report(db: DbOption = "plotwatch.db",
           output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default "
                                                       "report.html or report.pdf).")] = None,
           state: Annotated[str | None, typer.Option("--state", help="State behind the plots (ISO alpha-3).")] = None,
           since: Annotated[str | None, typer.Option("--since", help="Year or ISO date.")] = None,
           days: Annotated[int, typer.Option("--days", help="Window of a unified response (days).")] = 30,
           base_url: Annotated[str, typer.Option("--base-url", help="Web app the incident links point to.")] = "",
           format: Annotated[str | None, typer.Option("--format", help="html or pdf (printed by headless Chromium); "
                                                      "default: from the file's suffix, else html.")] = None,
           chromium: Annotated[str | None, typer.Option("--chromium", help="Chromium executable for pdf "
                                                        "(default: $PLOTWATCH_CHROMIUM, else chromium on the "
                                                        "PATH).")] = None,
           ) -> None:  # fmt: skip
    """Write a self-contained HTML report (or its PDF): timeline, map, response analytics, every number linked."""
    typer.echo(api.report_command(db, output, state, since, days, base_url, format, chromium))


@app.command()
def chart(kind: Annotated[str, typer.Argument(help="timeline, response-lag, response-rate, recalls or unified.")],
          db: DbOption = "plotwatch.db",
          output: Annotated[Path, typer.Option("--output", "-o", help="File to write: .png, .svg or .pdf.")] = Path(
              "chart.png"),
          state: Annotated[str | None, typer.Option("--state", help="State behind the plots (ISO alpha-3).")] = None,
          since: Annotated[str | None, typer.Option("--since", help="Year or ISO date.")] = None,
          days: Annotated[int, typer.Option("--days", help="Window of a unified response (days).")] = 30,
          ) -> None:  # fmt: skip
    """Draw one chart of the response analytics as PNG, SVG or PDF (matplotlib)."""
    typer.echo(api.chart_command(db, kind, output, state, since, days))


@app.command()
def incidents(db: DbOption = "plotwatch.db",
              type: Annotated[str | None, typer.Option("--type", help="Event type, e.g. EXPEL.")] = None,
              country: Annotated[str | None, typer.Option("--country", help="ISO alpha-3 where it happened.")] = None,
              actor: Annotated[str | None, typer.Option("--actor", help="ISO alpha-3 of the acting state.")] = None,
              since: Annotated[str | None, typer.Option("--since", help="Earliest date, YYYY[-MM[-DD]].")] = None,
              until: Annotated[str | None, typer.Option("--until", help="Latest date, YYYY[-MM[-DD]].")] = None,
              limit: Annotated[int, typer.Option("--limit", help="Rows to show.")] = 50) -> None:  # fmt: skip
    """List incidents as a table."""
    typer.echo(api.incidents_command(db, type, country, actor, since, until, limit))


@app.command()
def show(incident_id: Annotated[str, typer.Argument(help="Incident id.")], db: DbOption = "plotwatch.db") -> None:
    """Show one incident with its events and evidence."""
    typer.echo(api.show_command(db, incident_id))


@app.command()
def watch(feeds: Annotated[Path, typer.Argument(help="File of feed URLs, one a line (# comments).")],
          db: DbOption = "plotwatch.db",
          every: Annotated[str, typer.Option("--every", help="Time between polls: 30s, 15m, 2h or 1d.")] = "15m",
          once: Annotated[bool, typer.Option("--once", help="Poll once and exit (for cron).")] = False,
          follow_links: Annotated[bool, typer.Option("--follow-links", help="Fetch each new item's page.")] = False,
          ) -> None:  # fmt: skip
    """Poll the feeds in FEEDS into DB, reading only new items; survives restarts (state in DB)."""
    api.watch_command(str(feeds), db, every, once=once, follow_links=follow_links, echo=typer.echo)


@app.command()
def errors(db: DbOption = "plotwatch.db") -> None:
    """List input that could not be read."""
    typer.echo(api.errors_command(db))


@app.command()
def demo(db: DbOption = "plotwatch.db") -> None:
    """Run the pipeline on the bundled sample corpus and print what it found."""
    typer.echo(api.demo_command(db))


@app.command()
def evaluate(gold: Annotated[Path, typer.Option("--gold", help="Gold events (SCHEMA.md format).")],
             articles: Annotated[Path, typer.Option("--articles", help="Articles JSONL.")],
             db: DbOption = "plotwatch-eval.db",
             as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:  # fmt: skip
    """Run ARTICLES into DB and score the events against GOLD."""
    typer.echo(api.evaluate_command(gold, articles, db, as_json))


@app.command()
def serve(db: DbOption = "plotwatch.db",
          host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
          anonymous_read: Annotated[bool | None, typer.Option("--anonymous-read/--login-required",
                                    help="Let anyone read (default: as set on the admin page; off).")] = None,
          ) -> None:  # fmt: skip
    """Serve DB as a web app: timeline, map, incidents with evidence, search, review."""
    typer.echo(api.serve_banner(db, host, port))
    api.serve_command(db, host, port, anonymous_read)


user_app = typer.Typer(no_args_is_help=True, help="Accounts of the web app.")
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(name: Annotated[str, typer.Argument(help="User name.")],
             role: Annotated[str, typer.Option("--role", help="viewer, reviewer or admin.")] = "viewer",
             password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                       help="Read the password from the first line of stdin.")] = False,
             db: DbOption = "plotwatch.db") -> None:  # fmt: skip
    """Add a user of the web app; the password is asked for (or read with --password-stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    typer.echo(api.user_add_command(db, name, role, password))


review_app = typer.Typer(no_args_is_help=True, help="Human decisions on incidents; re-runs never undo them.")
app.add_typer(review_app, name="review")
WhoOption = Annotated[str, typer.Option("--who", help="Reviewer name (recorded).")]
WhyOption = Annotated[str, typer.Option("--why", help="Reason (recorded).")]
IncidentArg = Annotated[str, typer.Argument(help="Incident id.")]


@review_app.command("confirm")
def review_confirm(incident_id: IncidentArg, who: WhoOption, why: WhyOption = "",
                   db: DbOption = "plotwatch.db") -> None:  # fmt: skip
    """Mark an incident confirmed."""
    typer.echo(api.review_command(db, "confirm", incident_id, who, why))


@review_app.command("reject")
def review_reject(incident_id: IncidentArg, who: WhoOption, why: WhyOption = "",
                  db: DbOption = "plotwatch.db") -> None:  # fmt: skip
    """Mark an incident rejected: exports leave it and its events out."""
    typer.echo(api.review_command(db, "reject", incident_id, who, why))


@review_app.command("edit")
def review_edit(incident_id: IncidentArg,
                fields: Annotated[list[str], typer.Argument(help="NAME=VALUE, e.g. date=2018-06.")],
                who: WhoOption, why: WhyOption = "", db: DbOption = "plotwatch.db") -> None:  # fmt: skip
    """Replace incident fields (type, country, date, date_end, actor_state, target_state, label)."""
    typer.echo(api.review_command(db, "edit", incident_id, who, why, fields=fields))


@review_app.command("merge")
def review_merge(incident_id: IncidentArg, other: Annotated[str, typer.Argument(help="Incident merged into it.")],
                 who: WhoOption, why: WhyOption = "", db: DbOption = "plotwatch.db") -> None:  # fmt: skip
    """Merge incident OTHER into INCIDENT_ID, for good."""
    typer.echo(api.review_command(db, "merge", incident_id, who, why, other=other))


@review_app.command("split")
def review_split(incident_id: IncidentArg, events: Annotated[list[str], typer.Argument(help="Event ids to move out.")],
                 who: WhoOption, why: WhyOption = "", db: DbOption = "plotwatch.db") -> None:  # fmt: skip
    """Move EVENTS out of INCIDENT_ID into a new incident, for good."""
    typer.echo(api.review_command(db, "split", incident_id, who, why, events=events))


@review_app.command("list")
def review_list(db: DbOption = "plotwatch.db") -> None:
    """List reviewed incidents and merge/split decisions."""
    typer.echo(api.review_list_command(db))


@review_app.command("revoke")
def review_revoke(decision: Annotated[int, typer.Argument(help="Decision number (review list).")], who: WhoOption,
                  why: WhyOption = "", db: DbOption = "plotwatch.db") -> None:  # fmt: skip
    """Withdraw a merge or split decision."""
    typer.echo(api.review_revoke_command(db, decision, who, why))


def main() -> None:
    """Entry point: one-line errors without a traceback unless --debug."""
    try:
        app(standalone_mode=False)
    except PlotwatchError as exc:
        if _state["debug"]:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
