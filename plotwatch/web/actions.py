"""Forms: log in and out, review incidents, administer users and settings.

Every POST goes through ``checked_form`` (CSRF token and Origin) and answers
with a redirect (303) on success, so reloading a page never repeats an action.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from plotwatch.errors import InputError, PlotwatchError
from plotwatch.web import accounts, data, ratelimit, review
from plotwatch.web.security import SESSION_COOKIE
from plotwatch.web.site import AsAdmin, AsReviewer, checked_form, get_site, html, is_https

router = APIRouter(include_in_schema=False)
Form = Annotated[FormData, Depends(checked_form)]


def _field(form: FormData, name: str, limit: int = 2000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def safe_next(target: str) -> str:
    """A local path to go to after login; anything else (other sites, //host, \\) becomes "/"."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target and "\n" not in target:
        return target
    return "/"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/login")
def login_page(request: Request) -> Response:
    target = safe_next(request.query_params.get("next", "/"))
    return html(request, "login.html", {"next": target, "name": ""})


def _login_failed(request: Request, name: str, target: str, message: str, status: int) -> Response:
    return html(request, "login.html", {"next": target, "name": name}, status=status, error=message)


@router.post("/login")
def login(request: Request, form: Form) -> Response:
    site, config = get_site(request), get_site(request).config
    name, password = _field(form, "name", 64), _field(form, "password", 1024)
    target = safe_next(_field(form, "next"))
    address = request.client.host if request.client else "unknown"
    engine = site.store.engine
    if ratelimit.blocked(engine, name, address, config.login_max_failures, config.login_window_seconds):
        minutes = config.login_window_seconds // 60
        return _login_failed(request, name, target, f"Too many failed logins: wait {minutes} minutes.", 429)
    user = accounts.authenticate(engine, name, password)
    if user is None:
        ratelimit.record_failure(engine, name, address, config.login_window_seconds)
        return _login_failed(request, name, target, "Wrong user name or password.", 401)
    ratelimit.clear(engine, name)
    token = accounts.start_session(engine, user, config.session_hours)
    response = _see_other(target)
    response.set_cookie(
        SESSION_COOKIE,
        site.keys.sign(token),
        max_age=config.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )
    return response


@router.post("/logout")
def logout(request: Request, form: Form) -> Response:
    site = get_site(request)
    token = site.keys.unsign(request.cookies.get(SESSION_COOKIE, ""))
    if token:
        accounts.end_session(site.store.engine, token)
    response = _see_other("/login")
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=is_https(request))
    return response


@router.post("/incidents/{incident_id}/review")
def review_incident(request: Request, incident_id: str, form: Form, visitor: AsReviewer) -> Response:
    action = _field(form, "action", 20)
    edits = {name: _field(form, name, 200) for name in review.EDITABLE if name in form} if action == "edit" else None
    event_ids = [value for value in form.getlist("event_id") if isinstance(value, str)]
    store = get_site(request).store
    assert visitor.user is not None
    try:
        review.review(store, incident_id, action, visitor.user.name, _field(form, "reason"), edits=edits,
                      other_id=_field(form, "other_id", 200), event_ids=event_ids)  # fmt: skip
    except (review.ReviewError, InputError) as exc:
        return html(request, "incident.html", data.incident_data(store, incident_id), status=400, error=str(exc))
    target = store.resolve_incident_id(incident_id)
    return _see_other(f"/incidents/{quote(target, safe='')}#review")


def _admin_page(request: Request, status: int = 200, error: str | None = None) -> Response:
    site = get_site(request)
    page = {
        "users": accounts.list_users(site.store.engine),
        "anonymous_read": site.anonymous_read(),
        "anonymous_fixed": site.config.anonymous_read is not None,
    }
    return html(request, "admin.html", page, status=status, error=error)


@router.get("/admin")
def admin_page(request: Request, _: AsAdmin) -> Response:
    return _admin_page(request)


@router.post("/admin/settings")
def admin_settings(request: Request, form: Form, visitor: AsAdmin) -> Response:
    assert visitor.user is not None
    value = "true" if _field(form, "anonymous_read") == "on" else "false"
    accounts.set_setting(
        get_site(request).store.engine, "anonymous_read", value, visitor.user.name, _field(form, "reason")
    )
    return _see_other("/admin")


@router.post("/admin/users")
def admin_add_user(request: Request, form: Form, visitor: AsAdmin) -> Response:
    assert visitor.user is not None
    try:
        accounts.add_user(
            get_site(request).store.engine,
            _field(form, "name", 64),
            _field(form, "role", 20),
            _field(form, "password", 1024),
            by=visitor.user.name,
        )
    except PlotwatchError as exc:
        return _admin_page(request, 400, str(exc))
    return _see_other("/admin")
