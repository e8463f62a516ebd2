"""Login rate limiting: failed attempts per user name and per client address, in the database.

Kept in the database rather than in memory so that every worker process sees
the same counts and a restart does not reset them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select

from plotwatch.web.tables import login_attempts


def _keys(name: str, address: str) -> list[str]:
    return [f"user:{name.lower()}", f"ip:{address}"]


def _since(window_seconds: int) -> str:
    return (datetime.now(UTC) - timedelta(seconds=window_seconds)).isoformat(timespec="seconds")


def blocked(engine: Engine, name: str, address: str, max_failures: int, window_seconds: int) -> bool:
    """Whether the name or the address failed ``max_failures`` times within the window."""
    since = _since(window_seconds)
    query = (
        select(login_attempts.c.key, func.count())
        .where(login_attempts.c.key.in_(_keys(name, address)), login_attempts.c.at >= since)
        .group_by(login_attempts.c.key)
    )
    with engine.connect() as conn:
        return any(count >= max_failures for _key, count in conn.execute(query))


def record_failure(engine: Engine, name: str, address: str, window_seconds: int) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with engine.begin() as conn:
        conn.execute(delete(login_attempts).where(login_attempts.c.at < _since(window_seconds)))
        conn.execute(insert(login_attempts), [{"key": key, "at": now} for key in _keys(name, address)])


def clear(engine: Engine, name: str) -> None:
    """Forget the failures of a user name after a successful login (the address keeps its count)."""
    with engine.begin() as conn:
        conn.execute(delete(login_attempts).where(login_attempts.c.key == _keys(name, "")[0]))
