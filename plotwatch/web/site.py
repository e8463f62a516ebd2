"""What every request handler shares: the site, the visitor, access checks and rendering."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.datastructures import FormData

from plotwatch.models import EVENT_TYPES, HOSTILE_TYPES
from plotwatch.resolve.states import state_name
from plotwatch.store import Store
from plotwatch.web import accounts
from plotwatch.web.accounts import User
from plotwatch.web.config import ROLES, WebConfig
from plotwatch.web.data import safe_href
from plotwatch.web.filters import REVIEWS, SCOPES, SORTS, STATUSES
from plotwatch.web.review import EDITABLE
from plotwatch.web.security import PRE_COOKIE, SESSION_COOKIE, Keys, new_pre_token, same_origin


class LoginRequired(Exception):
    """The page needs a logged-in user (or anonymous reading, when the admin allows it)."""


class Forbidden(Exception):
    """The user is logged in but lacks the role."""


class BadForm(Exception):
    """A form without a valid CSRF token, or from another site."""


@dataclass
class Site:
    store: Store
    config: WebConfig
    keys: Keys
    env: Environment

    def anonymous_read(self) -> bool:
        if self.config.anonymous_read is not None:
            return self.config.anonymous_read
        with self.store.engine.connect() as conn:
            return accounts.get_setting(conn, "anonymous_read") == "true"


@dataclass
class Visitor:
    user: User | None
    csrf: str  # the token every form of the page carries
    basis: str  # what the token is derived from (session secret or pre-session cookie)
    set_pre: str | None = None  # a new pre-session cookie to set


def query_with(params: Mapping[str, Any], **changes: Any) -> str:
    """A query string from ``params`` with ``changes`` applied; empty values are left out."""
    merged = {**params, **changes}
    return urlencode({key: value for key, value in merged.items() if value is not None and value != ""})


def make_env() -> Environment:
    env = Environment(
        loader=PackageLoader("plotwatch.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        state_name=lambda code: state_name(code) if code else "",
        safe_href=safe_href,
        urlpart=lambda value: quote(str(value), safe=""),
    )
    env.globals.update(
        EVENT_TYPES=EVENT_TYPES,
        HOSTILE_TYPES=HOSTILE_TYPES,
        STATUSES=STATUSES,
        REVIEWS=REVIEWS,
        SCOPES=SCOPES,
        SORTS=SORTS,
        ROLES=ROLES,
        EDITABLE=EDITABLE,
        query_with=query_with,
    )
    return env


def make_site(store: Store, config: WebConfig) -> Site:
    secret = config.secret_key or os.environ.get("PLOTWATCH_SECRET_KEY") or accounts.secret_key(store.engine)
    return Site(store, config, Keys(secret), make_env())


def get_site(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def get_visitor(request: Request) -> Visitor:
    """Who is asking: the session's user, if any, and the CSRF token for the page's forms."""
    cached: Visitor | None = getattr(request.state, "visitor", None)
    if cached is not None:
        return cached
    site = get_site(request)
    token = site.keys.unsign(request.cookies.get(SESSION_COOKIE, ""))
    found = None
    if token:
        with site.store.engine.connect() as conn:
            found = accounts.session_user(conn, token)
    if found:
        visitor = Visitor(found[0], site.keys.csrf_token(found[1]), found[1])
    else:
        pre = request.cookies.get(PRE_COOKIE, "")
        fresh = None if 20 <= len(pre) <= 64 else new_pre_token()
        basis = fresh or pre
        visitor = Visitor(None, site.keys.csrf_token("pre|" + basis), "pre|" + basis, fresh)
    request.state.visitor = visitor
    return visitor


def reader(request: Request, visitor: Annotated[Visitor, Depends(get_visitor)]) -> Visitor:
    if visitor.user is None and not get_site(request).anonymous_read():
        raise LoginRequired()
    return visitor


def _role(visitor: Visitor, role: str) -> Visitor:
    if visitor.user is None:
        raise LoginRequired()
    if not visitor.user.can(role):
        raise Forbidden(f"this needs the {role} role; you are {visitor.user.name} ({visitor.user.role})")
    return visitor


def reviewer(visitor: Annotated[Visitor, Depends(get_visitor)]) -> Visitor:
    return _role(visitor, "reviewer")


def admin(visitor: Annotated[Visitor, Depends(get_visitor)]) -> Visitor:
    return _role(visitor, "admin")


AsReader = Annotated[Visitor, Depends(reader)]
AsReviewer = Annotated[Visitor, Depends(reviewer)]
AsAdmin = Annotated[Visitor, Depends(admin)]


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF token and Origin are verified (BadForm otherwise)."""
    form = await request.form()
    visitor = get_visitor(request)
    token = form.get("csrf_token")
    if not isinstance(token, str) or not get_site(request).keys.csrf_ok(visitor.basis, token):
        raise BadForm("the form expired or did not come from this site; reload the page and try again")
    if not same_origin(request.headers.get("origin"), request.headers.get("host")):
        raise BadForm("the form was sent from another site")
    return form


def wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.endswith(".json") or ("application/json" in accept and "text/html" not in accept)


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def html(request: Request, template: str, data: Any, status: int = 200, **extra: Any) -> HTMLResponse:
    """Render ``template`` with ``data`` (the page's data function result) for the visitor."""
    visitor = get_visitor(request)
    context = {
        "data": data,
        "user": visitor.user,
        "csrf": visitor.csrf,
        "path": request.url.path,
        "query": str(request.url.query),
        "error": None,
        **extra,
    }
    response = HTMLResponse(get_site(request).env.get_template(template).render(context), status_code=status)
    if visitor.set_pre:
        response.set_cookie(PRE_COOKIE, visitor.set_pre, httponly=True, samesite="strict", secure=is_https(request))
    return response


def as_json(data: Any, status: int = 200) -> Response:
    return JSONResponse(data, status_code=status)
