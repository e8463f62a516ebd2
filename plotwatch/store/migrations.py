"""Recorded schema migrations.

``MIGRATIONS`` is the ordered history of the schema; each step is a function
of a connection, run in its own transaction together with the row that records
it in ``schema_migrations``. ``migrate(engine)`` applies the steps a database
lacks, so re-running it is a no-op.

To change the schema: edit ``schema.py``, append a step here (``ALTER TABLE``
and the like) and, if the step changes a table that migration 1 creates, give
migration 1 a frozen copy of that table's old definition, so that a new
database and an old one go through the same steps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import Connection, Engine, insert, select

from plotwatch.errors import StoreError
from plotwatch.store import schema


class Migration(NamedTuple):
    version: int
    name: str
    apply: Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    tables = [table for table in schema.metadata.sorted_tables if table is not schema.schema_migrations]
    schema.metadata.create_all(conn, tables=tables)


MIGRATIONS: tuple[Migration, ...] = (Migration(1, "initial", _initial),)


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string (how timestamps are stored)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def applied_versions(engine: Engine) -> dict[int, str]:
    """Applied migration versions and when each was applied."""
    table = schema.schema_migrations
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.version, table.c.applied_at).order_by(table.c.version))
        return {row.version: row.applied_at for row in rows}


def migrate(engine: Engine) -> list[int]:
    """Apply the missing migrations in order; return the versions applied now."""
    with engine.begin() as conn:
        schema.schema_migrations.create(conn, checkfirst=True)
    done = applied_versions(engine)
    _check_known(done, engine)
    applied: list[int] = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        with engine.begin() as conn:
            migration.apply(conn)
            conn.execute(
                insert(schema.schema_migrations).values(
                    version=migration.version, name=migration.name, applied_at=utc_now()
                )
            )
        applied.append(migration.version)
    return applied


def _check_known(done: dict[int, str], engine: Engine) -> None:
    known = {migration.version for migration in MIGRATIONS}
    unknown = sorted(set(done) - known)
    if unknown:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(
            f"{where}: the database has schema migrations {unknown} that this plotwatch does not know "
            "(it was written by a newer version); upgrade plotwatch or use another database"
        )
