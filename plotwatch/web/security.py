"""Security headers, signed cookies and CSRF tokens.

- Every response carries a Content-Security-Policy without ``unsafe-inline``:
  scripts and styles come only from ``/static``, so even markup that slipped
  through escaping could not run.
- The session cookie holds a random token signed with the app's key; the
  database keeps only its SHA-256 (``accounts.start_session``).
- CSRF: every form carries a token, an HMAC of the session's CSRF secret (or,
  before login, of a random pre-session cookie); a POST whose token does not
  match, or whose Origin is another site, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, Signer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
SESSION_COOKIE = "pw_session"
PRE_COOKIE = "pw_pre"


class SecurityHeaders:
    """ASGI middleware adding the security headers (and no-store outside /static) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Keys:
    """The app's secret, used to sign session cookies and derive CSRF tokens."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()
        self._signer = Signer(secret, salt="plotwatch.session")

    def sign(self, token: str) -> str:
        return self._signer.sign(token).decode("ascii")

    def unsign(self, cookie: str) -> str | None:
        try:
            return self._signer.unsign(cookie).decode("ascii")
        except (BadSignature, UnicodeError):
            return None

    def csrf_token(self, basis: str) -> str:
        return hmac.new(self._secret, b"csrf|" + basis.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, basis: str, token: str) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(basis), token)


def new_pre_token() -> str:
    return secrets.token_urlsafe(24)


def same_origin(origin: str | None, host: str | None) -> bool:
    """Whether a request's Origin header (when it sends one) names this site."""
    if not origin:
        return True
    return bool(host) and origin in (f"http://{host}", f"https://{host}")
