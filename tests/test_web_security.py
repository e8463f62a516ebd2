"""Accounts and security: login, sessions, CSRF, roles, rate limiting, escaping of hostile articles."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from plotwatch.store import open_store
from plotwatch.web import AccountError, add_user
from plotwatch.web.accounts import authenticate
from plotwatch.web.tables import sessions, users
from tests.web_helpers import HOSTILE_INCIDENT, PAYLOADS, build_db, client_for, csrf_of, login


class _Audit(HTMLParser):
    """Collects what a browser could run: scripts not from /static, on* attributes, script URLs, frames."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.found.append(f"<script src={values.get('src')}>")
        if tag in ("iframe", "object", "embed", "base", "meta") and not (tag == "meta" and "http-equiv" not in values):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction") and value:
                scheme = value.strip().split(":", 1)[0].lower() if ":" in value else ""
                if scheme in ("javascript", "vbscript") or (scheme == "data" and tag != "link"):
                    self.found.append(f"<{tag} {name}={value[:30]}>")


def active_markup(page: str) -> list[str]:
    audit = _Audit()
    audit.feed(page)
    return audit.found


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_db(tmp_path_factory.mktemp("web") / "security.db", n_incidents=10)


def test_passwords_are_argon2_hashes_and_sessions_stored_hashed(db: str) -> None:
    client = client_for(db)
    response = login(client, "rev")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "pw_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    token = re.search(r"pw_session=([^;]+)", cookie)
    assert token
    with open_store(db) as store, store.engine.connect() as conn:
        hashes = list(conn.execute(select(users.c.password_hash)).scalars())
        stored = list(conn.execute(select(sessions.c.id)).scalars())
    assert all(value.startswith("$argon2id$") for value in hashes)
    assert token.group(1).split(".")[0] not in stored  # only the SHA-256 of the token is stored


def test_wrong_password_and_unknown_user_look_the_same(db: str) -> None:
    client = client_for(db)
    wrong = login(client, "rev", "not-the-password")
    unknown = login(client, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong user name or password." in wrong.text and "Wrong user name or password." in unknown.text


def test_a_forged_or_tampered_session_cookie_is_ignored(db: str) -> None:
    client = client_for(db)
    login(client, "vic")
    assert client.get("/incidents", follow_redirects=False).status_code == 200
    value = client.cookies["pw_session"]
    token, signature = value.rsplit(".", 1)
    for forged in (token, f"{token}.{signature[::-1]}", f"{token[::-1]}.{signature}", "x" * 40):
        other = client_for(db)
        other.cookies.set("pw_session", forged)
        assert other.get("/incidents", follow_redirects=False).status_code == 303, forged
    other = client_for(db)
    other.cookies.set("pw_session", value)
    assert other.get("/incidents", follow_redirects=False).status_code == 200


def test_logout_ends_the_session_on_the_server(db: str) -> None:
    client = client_for(db)
    login(client, "vic")
    cookie = client.cookies["pw_session"]
    page = client.get("/incidents")
    client.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    replay = client_for(db)
    replay.cookies.set("pw_session", cookie)
    assert replay.get("/incidents", follow_redirects=False).status_code == 303


def test_forms_without_a_valid_csrf_token_are_refused(db: str) -> None:
    client = client_for(db)
    client.get("/login")
    no_token = client.post("/login", data={"name": "rev", "password": "rev-reviewer-pw"}, follow_redirects=False)
    assert no_token.status_code == 400 and "pw_session" not in client.cookies
    login(client, "rev")
    review = {"action": "confirm", "reason": "x", "csrf_token": "0" * 64}
    assert client.post(f"/incidents/{HOSTILE_INCIDENT}/review", data=review).status_code == 400
    token = csrf_of(client.get("/incidents").text)
    cross = client.post(f"/incidents/{HOSTILE_INCIDENT}/review", data={**review, "csrf_token": token},
                        headers={"origin": "https://evil.example"})  # fmt: skip
    assert cross.status_code == 400 and "another site" in cross.text


def test_the_csrf_token_changes_with_the_session(db: str) -> None:
    client = client_for(db)
    before = csrf_of(client.get("/login").text)
    login(client, "rev")
    after = csrf_of(client.get("/incidents").text)
    assert before != after


def test_roles(db: str) -> None:
    viewer = client_for(db)
    login(viewer, "vic")
    token = csrf_of(viewer.get("/incidents").text)
    denied = viewer.post(f"/incidents/{HOSTILE_INCIDENT}/review", data={"action": "confirm", "csrf_token": token})
    assert denied.status_code == 403
    assert viewer.get("/audit").status_code == 403
    assert viewer.get("/admin").status_code == 403
    assert 'action="/incidents/' not in viewer.get(f"/incidents/{HOSTILE_INCIDENT}").text  # no review form
    reviewer = client_for(db)
    login(reviewer, "rev")
    assert reviewer.get("/audit").status_code == 200 and reviewer.get("/admin").status_code == 403


def test_login_is_rate_limited(tmp_path: Path) -> None:
    db = build_db(tmp_path / "limited.db", n_incidents=2, hostile=False)
    client = client_for(db, login_max_failures=3)
    for _ in range(3):
        assert login(client, "vic", "wrong-password").status_code == 401
    blocked = login(client, "vic")  # even the right password, until the window passes
    assert blocked.status_code == 429 and "Too many failed logins" in blocked.text
    assert login(client, "ada").status_code == 429  # the same address is blocked too


def test_admin_allows_anonymous_reading_and_it_is_audited(tmp_path: Path) -> None:
    db = build_db(tmp_path / "anon.db", n_incidents=2, hostile=False)
    anonymous = client_for(db)
    assert anonymous.get("/incidents", follow_redirects=False).status_code == 303
    admin = client_for(db)
    login(admin, "ada")
    token = csrf_of(admin.get("/admin").text)
    admin.post("/admin/settings", data={"csrf_token": token, "anonymous_read": "on", "reason": "public demo"})
    assert anonymous.get("/incidents", follow_redirects=False).status_code == 200
    log = admin.get("/audit.json").json()["entries"]
    assert log[0]["action"] == "setting.set" and log[0]["after"] == "true" and log[0]["reason"] == "public demo"


def test_admin_adds_a_user_from_the_web(tmp_path: Path) -> None:
    db = build_db(tmp_path / "users.db", n_incidents=1, hostile=False)
    admin = client_for(db)
    login(admin, "ada")
    token = csrf_of(admin.get("/admin").text)
    form = {"csrf_token": token, "name": "newbie", "role": "reviewer", "password": "long enough pw"}
    assert admin.post("/admin/users", data=form, follow_redirects=False).status_code == 303
    assert login(client_for(db), "newbie", "long enough pw").status_code == 303
    again = admin.post("/admin/users", data=form)
    assert again.status_code == 400 and "exists already" in again.text


def test_add_user_checks_its_input(tmp_path: Path) -> None:
    with open_store(str(tmp_path / "u.db")) as store:
        with pytest.raises(AccountError, match="role"):
            add_user(store.engine, "x", "superuser", "long enough pw")
        with pytest.raises(AccountError, match="too short"):
            add_user(store.engine, "x", "viewer", "short")
        with pytest.raises(AccountError, match="user name"):
            add_user(store.engine, "<script>", "viewer", "long enough pw")
        add_user(store.engine, "x", "viewer", "long enough pw")
        assert authenticate(store.engine, "x", "long enough pw") is not None
        assert authenticate(store.engine, "x", "wrong password") is None


def test_hostile_article_text_is_escaped_everywhere(db: str) -> None:
    client = client_for(db)
    login(client, "rev")
    pages = [f"/incidents/{HOSTILE_INCIDENT}", "/documents/hostile-0", "/documents/hostile-1", "/incidents",
             "/search?q=headline", "/search?q=dissident Berlin",
             "/agencies/" + '"><script>alert(1)</script>']  # fmt: skip
    for path in pages:
        page = client.get(path)
        assert page.status_code in (200, 404), path
        body = page.text
        for payload in PAYLOADS:
            assert payload not in body, (path, payload)
        assert active_markup(body) == [], path
        assert path.startswith("/documents") or ("\ue000" not in body and "\ue001" not in body)


def test_hostile_urls_are_shown_as_text_not_links(db: str) -> None:
    client = client_for(db)
    login(client, "vic")
    detail = client.get(f"/incidents/{HOSTILE_INCIDENT}.json").json()
    assert all(source["href"] is None for source in detail["sources"])
    page = client.get(f"/incidents/{HOSTILE_INCIDENT}").text
    assert page.count('class="unsafe-url"') == len(detail["sources"])
    assert "&lt;script&gt;window.__xss" in page  # shown, as text


def test_the_markup_audit_sees_active_markup() -> None:
    assert active_markup('<p>ok</p><script src="/static/map.js"></script>') == []
    assert active_markup('<img src=x onerror="x()">') == ["<img onerror>"]
    assert active_markup("<script>x()</script>") == ["<script src=None>"]
    assert active_markup('<a href=" javascript:x()">') == ["<a href= javascript:x()>"]
