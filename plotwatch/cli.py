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
def run(paths: Annotated[list[str], typer.Argument(help="Files or folders (.jsonl, .txt, .html); - for stdin.")],
        db: DbOption = "plotwatch.db") -> None:  # fmt: skip
    """Ingest, extract and merge PATHS into DB."""
    typer.echo(api.run_command(paths, db))


@app.command()
def export(db: DbOption = "plotwatch.db",
           format: Annotated[str, typer.Option("--format", help="jsonl or csv.")] = "jsonl",
           what: Annotated[str, typer.Option("--what", help="events, incidents or documents.")] = "events",
           scope: Annotated[str, typer.Option("--scope", help="default, transnational or all.")] = "default",
           output: Annotated[Path | None, typer.Option("--output", "-o", help="File (default stdout).")] = None,
           ) -> None:  # fmt: skip
    """Export events, incidents or documents as JSONL or CSV."""
    api.export_command(db, what, format, scope, output)


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
