"""The web stage: a FastAPI app serving a plotwatch database (``plotwatch serve --db DB``).

Server-rendered pages that work without JavaScript, each with a JSON twin from
the same data function (``data.py``); accounts, sessions and CSRF
(``accounts.py``, ``security.py``); the review overlay and audit log
(``review.py``); full-text search (``search.py``).
"""

from __future__ import annotations

from plotwatch.web.accounts import AccountError, add_user, count_users
from plotwatch.web.app import create_app
from plotwatch.web.config import ROLES, WebConfig

__all__ = ["ROLES", "AccountError", "WebConfig", "add_user", "count_users", "create_app", "serve"]


def serve(config: WebConfig, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``config.db`` on ``host:port`` until interrupted."""
    import uvicorn

    uvicorn.run(create_app(config), host=host, port=port, log_level="info", proxy_headers=True)
