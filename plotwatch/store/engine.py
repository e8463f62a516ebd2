"""Turning ``--db`` into a SQLAlchemy engine, with errors that say what to do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from plotwatch.errors import StoreError

# Keys of the PostgreSQL advisory locks plotwatch takes (any fixed numbers; "plotwatch" in ASCII, split).
MIGRATION_LOCK = 0x706C6F74
WRITE_LOCK = 0x7761746368
URL_HINT = "pass a file path or a SQLAlchemy URL such as sqlite:///plotwatch.db or postgresql://host/db"


def database_url(db: str) -> URL:
    """A file path becomes a SQLite URL; anything with "://" is read as a URL."""
    if "://" in db:
        try:
            return make_url(db)
        except ArgumentError as exc:
            raise StoreError(f"{db}: not a database URL ({URL_HINT})") from exc
    path = Path(db).expanduser()
    if path.is_dir():
        raise StoreError(f"{db}: is a directory, not a database file; {URL_HINT}")
    if not path.parent.is_dir():
        raise StoreError(f"{db}: the directory {path.parent} does not exist; create it first")
    return URL.create("sqlite", database=str(path))


def describe(url: URL) -> str:
    """How an error names the database: its file, or its URL without the password."""
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return url.render_as_string(hide_password=True)


def _sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # sqlite3 would BEGIN only before INSERT/UPDATE/DELETE, leaving DDL (migrations)
    # outside the transaction; _sqlite_begin emits BEGIN instead (SQLAlchemy's recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(db: str) -> Engine:
    """An engine for ``db``; SQLite gets WAL, foreign keys and real transactions (DDL too)."""
    url = database_url(db)
    try:
        engine = create_engine(url)
    except ImportError as exc:
        raise StoreError(
            f"{describe(url)}: the database driver is not installed ({exc}); "
            "install it, e.g. pip install psycopg[binary] for postgresql+psycopg:// URLs"
        ) from exc
    except (ArgumentError, SQLAlchemyError) as exc:
        raise StoreError(f"{describe(url)}: cannot use this database URL ({exc}); {URL_HINT}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def open_error(url: URL, exc: Exception) -> StoreError:
    """The StoreError for a database that exists as a name but cannot be opened."""
    reason = getattr(exc, "orig", None) or exc
    return StoreError(
        f"{describe(url)}: cannot open the database ({reason}); check that it is a plotwatch "
        "database you may read and write, or pass another --db"
    )


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold PostgreSQL's migration lock meanwhile: two processes opening a new database migrate it once.

    SQLite needs none: its writers are serialised by the file lock.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            conn.commit()


def write_lock(conn: Connection) -> None:
    """Serialise writers of events and incidents across processes until this transaction ends.

    On PostgreSQL, concurrent runs would otherwise collide (a unique violation when both store the
    same document's events, a deadlock when one rewrites the incidents while the other saves events).
    SQLite serialises writers itself.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
