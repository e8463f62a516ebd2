"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from plotwatch import __version__
from plotwatch.errors import NotFoundError
from plotwatch.store import Store, open_store
from plotwatch.web import actions, pages
from plotwatch.web.config import WebConfig
from plotwatch.web.data import MovedOrMissing
from plotwatch.web.filters import FilterError
from plotwatch.web.review import ReviewError
from plotwatch.web.security import SecurityHeaders
from plotwatch.web.site import BadForm, Forbidden, LoginRequired, as_json, html, make_site, wants_json

DESCRIPTION = (
    "Incidents of state-sponsored plots abroad and of host-state responses, each event with its evidence. "
    "Every HTML page has a JSON twin (append `.json`); the JSON endpoints are listed here. "
    "Reading needs a session cookie (log in at /login) unless the admin allows anonymous reading."
)


def _error(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return as_json({"error": message, "status": status}, status=status)
    return html(request, "error.html", {"status": status, "message": message}, status=status)


def _login_required(request: Request, exc: Exception) -> Response:
    if wants_json(request) or request.method != "GET":
        return _error(request, 401, "log in first (POST /login), or ask the admin to allow anonymous reading")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _moved(request: Request, exc: MovedOrMissing) -> Response:
    """An incident id that a merge folded into another leads there (301); a gone one is 404."""
    if exc.current is None:
        return _error(request, 404, str(exc))
    suffix = ".json" if request.url.path.endswith(".json") else ""
    return RedirectResponse(f"/incidents/{quote(exc.current, safe='')}{suffix}", status_code=301)


def _handlers() -> dict[Any, Callable[[Request, Any], Response]]:
    def status_of(status: int) -> Callable[[Request, Exception], Response]:
        return lambda request, exc: _error(request, status, str(exc))

    def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, "no such page" if exc.status_code == 404 else str(exc.detail))

    return {
        FilterError: status_of(400),
        ReviewError: status_of(400),
        BadForm: status_of(400),
        NotFoundError: status_of(404),
        Forbidden: status_of(403),
        LoginRequired: _login_required,
        MovedOrMissing: _moved,
        HTTPException: http_error,
    }


def create_app(config: WebConfig, store: Store | None = None) -> FastAPI:
    """The web app serving ``config.db`` (or ``store``, which the caller then closes)."""
    owned = store is None
    opened = store or open_store(config.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            opened.close()

    app = FastAPI(
        title="plotwatch",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.site = make_site(opened, config)
    app.add_middleware(SecurityHeaders)
    static = resources.files("plotwatch.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(pages.router)
    app.include_router(actions.router)
    for kind, handler in _handlers().items():
        app.add_exception_handler(kind, handler)
    return app
