"""Tables of the web app: accounts, sessions, login attempts, settings, reviews, audit log.

Migration 2 (``plotwatch/store/migrations.py``) creates them from a frozen copy
of these definitions; ``tests/test_web_store.py`` checks that the two agree.

``incident_reviews`` is the review overlay: one row per reviewed incident with
its review status and the fields a reviewer changed (NULL: not changed). It is
keyed by incident id and never touched by the pipeline, so edits survive
re-runs. ``audit_log`` is append-only: every change (who, when, what, before,
after, why).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text

from plotwatch.store.schema import JSONText

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String, nullable=False, unique=True),
    Column("role", String, nullable=False),  # viewer | reviewer | admin
    Column("password_hash", String, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String, primary_key=True),  # SHA-256 of the token in the cookie
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("expires_at", String, nullable=False),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String, nullable=False),  # "user:NAME" or "ip:ADDRESS"
    Column("at", String, nullable=False),
    Index("ix_login_attempts_key_at", "key", "at"),
)

web_settings = Table(
    "web_settings",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

incident_reviews = Table(
    "incident_reviews",
    metadata,
    Column("incident_id", String, primary_key=True),
    Column("status", String, nullable=False),  # unreviewed | confirmed | rejected
    Column("type", String),
    Column("country", String),
    Column("date", String),
    Column("date_end", String),
    Column("actor_state", String),
    Column("target_state", String),
    Column("label", String),
    Column("event_ids", JSONText, nullable=False),  # the members when last reviewed
    Column("updated_at", String, nullable=False),
    Column("updated_by", String, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String, nullable=False),
    Column("user_name", String, nullable=False),
    Column("action", String, nullable=False),
    Column("target_kind", String, nullable=False),  # incident | user | setting
    Column("target_id", String, nullable=False),
    Column("before", JSONText),
    Column("after", JSONText),
    Column("reason", Text, nullable=False, default=""),
    Index("ix_audit_log_target", "target_kind", "target_id"),
)
