"""The web app's commands: `plotwatch user add` and `plotwatch serve`; the web tables' migration."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from plotwatch import api
from plotwatch.cli import app
from plotwatch.store import open_store
from plotwatch.web import tables
from plotwatch.web.accounts import authenticate, list_users


def test_user_add_reads_the_password_from_stdin(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(app, ["user", "add", "ada", "--role", "admin", "--password-stdin", "--db", db],
                                input="s3cret pass phrase\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "added admin 'ada'" in result.output
    with open_store(db) as store:
        assert authenticate(store.engine, "ada", "s3cret pass phrase") is not None
        assert [user["role"] for user in list_users(store.engine)] == ["admin"]


def test_user_add_prompts_twice_for_the_password(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(app, ["user", "add", "vic", "--db", db], input="viewer pass 1\nviewer pass 1\n")
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        assert authenticate(store.engine, "vic", "viewer pass 1") is not None


def test_user_add_errors_are_one_line(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    api.user_add_command(db, "ada", "admin", "long enough")
    from plotwatch.web import AccountError

    with pytest.raises(AccountError, match="exists already"):
        api.user_add_command(db, "ada", "viewer", "long enough")
    with pytest.raises(AccountError, match="role 'boss' is unknown"):
        api.user_add_command(db, "bob", "boss", "long enough")


def test_serve_banner_says_where_and_how_to_add_a_user(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    banner = api.serve_banner(db, "127.0.0.1", 8123)
    assert "http://127.0.0.1:8123/" in banner and "plotwatch user add NAME --role admin" in banner
    api.user_add_command(db, "ada", "admin", "long enough")
    assert "user add" not in api.serve_banner(db, "127.0.0.1", 8123)


def test_serve_and_user_add_have_help() -> None:
    runner = CliRunner()
    assert "--anonymous-read" in runner.invoke(app, ["serve", "--help"]).output
    assert "--password-stdin" in runner.invoke(app, ["user", "add", "--help"]).output


def test_the_migration_creates_the_web_tables_as_declared(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "m.db")) as store:
        inspector = inspect(store.engine)
        for table in tables.metadata.sorted_tables:
            stored = {column["name"]: column for column in inspector.get_columns(table.name)}
            assert list(stored) == [column.name for column in table.columns], table.name
            for column in table.columns:
                assert stored[column.name]["nullable"] == column.nullable, (table.name, column.name)
            indexes = {index["name"] for index in inspector.get_indexes(table.name)}
            assert {index.name for index in table.indexes} <= indexes
