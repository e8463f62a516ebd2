"""Users, password hashes (argon2id), server-side sessions and web settings."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from plotwatch.errors import PlotwatchError
from plotwatch.store.migrations import utc_now
from plotwatch.web.config import ROLES
from plotwatch.web.tables import audit_log, sessions, users, web_settings

_hasher = PasswordHasher()
# Verified against when the user does not exist, so a wrong name costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
MIN_PASSWORD = 8


class AccountError(PlotwatchError):
    """A user could not be created or changed."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this user has ``role`` or a stronger one (viewer < reviewer < admin)."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _check_new_user(name: str, role: str, password: str) -> None:
    if role not in ROLES:
        raise AccountError(f"role {role!r} is unknown; use one of {', '.join(ROLES)}")
    if not name or len(name) > 64 or not all(ch.isalnum() or ch in "._-@" for ch in name):
        raise AccountError(f"user name {name!r}: use 1-64 letters, digits, '.', '_', '-' or '@'")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password of {name!r} is too short: use at least {MIN_PASSWORD} characters")


def add_user(engine: Engine, name: str, role: str, password: str, by: str = "cli") -> User:
    """Create the user ``name`` with ``role``; AccountError if the name is taken or the input is bad."""
    _check_new_user(name, role, password)
    row = {"name": name, "role": role, "password_hash": _hasher.hash(password), "disabled": False}
    try:
        with engine.begin() as conn:
            result = conn.execute(insert(users).values(**row, created_at=utc_now()))
            user_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
            conn.execute(
                insert(audit_log).values(
                    at=utc_now(),
                    user_name=by,
                    action="user.add",
                    target_kind="user",
                    target_id=name,
                    after={"role": role},
                    reason="",
                )
            )
    except IntegrityError:
        raise AccountError(f"a user named {name!r} exists already; pick another name") from None
    if user_id is None:
        raise AccountError(f"the user {name!r} could not be stored")
    return User(int(user_id), name, role)


def list_users(engine: Engine) -> list[dict[str, Any]]:
    query = select(users.c.id, users.c.name, users.c.role, users.c.disabled, users.c.created_at).order_by(users.c.name)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def count_users(engine: Engine) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(users.c.id).limit(1)).all())


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    """The user when ``password`` is right (and the account enabled), else None."""
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.name == name)).mappings().first()
    try:
        _hasher.verify(row["password_hash"] if row else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or row["disabled"]:
        return None
    if _hasher.check_needs_rehash(row["password_hash"]):
        with engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == row["id"]).values(password_hash=_hasher.hash(password)))
    return User(row["id"], row["name"], row["role"])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def start_session(engine: Engine, user: User, hours: int) -> str:
    """A new session for ``user``; returns the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires = (now + timedelta(hours=hours)).isoformat(timespec="seconds")
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.expires_at < now.isoformat(timespec="seconds")))
        conn.execute(
            insert(sessions).values(
                id=_digest(token),
                user_id=user.id,
                csrf=secrets.token_urlsafe(32),
                created_at=utc_now(),
                expires_at=expires,
            )
        )
    return token


def session_user(conn: Connection, token: str) -> tuple[User, str] | None:
    """The user of a live session and the session's CSRF secret, or None."""
    query = (
        select(users.c.id, users.c.name, users.c.role, sessions.c.csrf)
        .join(users, users.c.id == sessions.c.user_id)
        .where(sessions.c.id == _digest(token), sessions.c.expires_at > utc_now(), users.c.disabled.is_(False))
    )
    row = conn.execute(query).first()
    return (User(row.id, row.name, row.role), row.csrf) if row else None


def end_session(engine: Engine, token: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(sessions).where(sessions.c.id == _digest(token)))


def get_setting(conn: Connection, key: str) -> str | None:
    return conn.execute(select(web_settings.c.value).where(web_settings.c.key == key)).scalar()


def set_setting(engine: Engine, key: str, value: str, by: str, reason: str = "") -> None:
    """Store a setting and record the change in the audit log."""
    with engine.begin() as conn:
        before = get_setting(conn, key)
        if before is None:
            conn.execute(insert(web_settings).values(key=key, value=value))
        else:
            conn.execute(update(web_settings).where(web_settings.c.key == key).values(value=value))
        conn.execute(
            insert(audit_log).values(
                at=utc_now(),
                user_name=by,
                action="setting.set",
                target_kind="setting",
                target_id=key,
                before=before,
                after=value,
                reason=reason,
            )
        )


def secret_key(engine: Engine) -> str:
    """The key kept in ``web_settings`` (created on first use)."""
    try:
        with engine.begin() as conn:
            key = get_setting(conn, "secret_key")
            if key is None:
                key = secrets.token_urlsafe(48)
                conn.execute(insert(web_settings).values(key="secret_key", value=key))
    except IntegrityError:  # another process created it first
        with engine.connect() as conn:
            key = get_setting(conn, "secret_key")
    if key is None:
        raise AccountError("the web app's secret key could not be stored; check that the database is writable")
    return key
