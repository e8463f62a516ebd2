"""Settings of the web app, declared once."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "reviewer", "admin")


@dataclass(frozen=True)
class WebConfig:
    """How ``create_app`` serves a database.

    ``secret_key`` signs session and CSRF cookies; when it is None the app
    reads ``PLOTWATCH_SECRET_KEY`` or, failing that, a random key kept in the
    database's ``web_settings`` table (so sessions survive a restart).
    ``anonymous_read`` None means: as the admin set it on the admin page
    (default off: reading needs a login).
    """

    db: str
    secret_key: str | None = None
    anonymous_read: bool | None = None
    page_size: int = 50
    session_hours: int = 12
    login_max_failures: int = 5
    login_window_seconds: int = 900
