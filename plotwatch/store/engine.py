"""Turning ``--db`` into a SQLAlchemy engine, with errors that say what to do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from plotwatch.errors import StoreError

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
