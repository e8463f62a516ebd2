"""Polite HTTP fetching with httpx: robots.txt, a pause per host, retries, caps.

``Fetcher.get`` returns a ``Response`` or raises ``FetchError`` whose message
is the one line the user sees. For each request it:

- checks the URL against the host's robots.txt (fetched once per host; a
  missing robots.txt allows everything, an unreachable one allows nothing);
- waits until ``per_host_interval`` has passed since the last request to the
  same host;
- retries timeouts, connection errors, 429 and 5xx with exponential backoff,
  honouring Retry-After up to ``max_retry_after``;
- follows redirects itself, checking each hop against robots.txt;
- stops reading at ``max_bytes`` of decoded body (gzip bombs included) and
  after ``total_timeout`` seconds for the whole response (slow drips).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import httpx

from plotwatch.ingest.options import FetchOptions
from plotwatch.ingest.robots import RobotsCache

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class FetchError(Exception):
    """A URL that could not be fetched; the message says why and what to do.

    ``retryable``: whether trying again later may work (timeouts, connection
    errors, 429, 5xx), as opposed to a refusal that will stand (404, robots.txt).
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Response:
    """A fetched URL: final address, status, the headers that matter, and the decoded body."""

    url: str
    status: int
    body: bytes
    fetched_at: str  # ISO 8601 UTC
    content_type: str | None = None  # media type only, lower case
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None
    location: str | None = None  # where a redirect points, absolute

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """One client for a batch: its robots.txt cache and per-host clock are shared by every request."""

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options or FetchOptions()
        timeout = httpx.Timeout(self.options.read_timeout, connect=self.options.connect_timeout)
        self._client = httpx.Client(
            headers={"User-Agent": self.options.user_agent}, timeout=timeout, transport=transport
        )
        self._sleep = sleep
        self._clock = clock
        self._last_request: dict[str, float] = {}
        self._robots = RobotsCache(self._robots_txt, self.options.user_agent)
        self.requests = 0  # sent, robots.txt and retries included

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """The response for ``url`` after redirects (2xx or 304); anything else is a FetchError."""
        for _ in range(self.options.max_redirects + 1):
            _check_scheme(url)
            if self.options.respect_robots and not self._robots.allowed(url):
                raise FetchError("the site's robots.txt disallows this URL for plotwatch; leave it out")
            response = self._with_retries(url, headers)
            if response.location is None:
                return _checked(response)
            url = response.location
        raise FetchError(f"more than {self.options.max_redirects} redirects; check the URL in a browser")

    def _robots_txt(self, url: str) -> Response | FetchError:
        """The site's robots.txt (redirects followed), or the FetchError saying why the site could not be asked."""
        try:
            for _ in range(self.options.max_redirects + 1):
                response = self._with_retries(url, None)
                if response.location is None:
                    return response
                url = response.location
        except FetchError as exc:
            reason = str(exc).split(";")[0]
            return FetchError(f"could not read the site's robots.txt ({reason}), so nothing is fetched from it; "
                              "check the URL, or try again later", retryable=exc.retryable)  # fmt: skip
        return FetchError(f"the site's robots.txt redirects more than {self.options.max_redirects} times; skipped")

    def _with_retries(self, url: str, headers: Mapping[str, str] | None) -> Response:
        """One request, tried again on the failures that may pass."""
        attempt = 0
        while True:
            self._wait_turn(url)
            try:
                response = self._once(url, headers)
            except (httpx.TimeoutException, httpx.TransportError, _Deadline) as exc:
                if attempt >= self.options.retries:
                    raise FetchError(_network_message(exc, attempt + 1), retryable=True) from exc
                delay = self.options.backoff * 2**attempt
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                delay = self._retry_delay(response, attempt)
            self._sleep(delay)
            attempt += 1

    def _retry_delay(self, response: Response, attempt: int) -> float:
        """How long to wait before trying a 429/5xx again; a FetchError when not to try again."""
        status = status_line(response.status)
        wait = retry_after_seconds(response.retry_after)
        if attempt >= self.options.retries:
            message = f"{status} after {attempt + 1} tries; the site is failing or busy, try again later"
            raise FetchError(message, retryable=True)
        if wait is not None and wait > self.options.max_retry_after:
            message = f"{status}: the site asks to wait {wait:.0f} s before retrying; try again later"
            raise FetchError(message, retryable=True)
        return wait if wait is not None else self.options.backoff * 2**attempt

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last_request.get(host)
        if last is not None:
            pause = last + self.options.per_host_interval - self._clock()
            if pause > 0:
                self._sleep(pause)
        self._last_request[host] = self._clock()

    def _once(self, url: str, headers: Mapping[str, str] | None) -> Response:
        started = self._clock()
        self.requests += 1
        request = self._client.build_request("GET", url, headers=dict(headers or {}))
        response = self._client.send(request, stream=True, follow_redirects=False)
        try:
            redirect = response.status_code in REDIRECT_STATUSES
            body = b"" if redirect or response.status_code >= 400 else self._body(response, started)
            return _response(response, url, body)
        finally:
            response.close()

    def _body(self, response: httpx.Response, started: float) -> bytes:
        limit = self.options.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and "content-encoding" not in response.headers and int(declared) > limit:
            raise FetchError(_too_big(limit))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(_too_big(limit))
            if self._clock() - started > self.options.total_timeout:
                raise _Deadline(self.options.total_timeout)
            chunks.append(chunk)
        return b"".join(chunks)


class _Deadline(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"the response took more than {seconds:g} s")


def _response(response: httpx.Response, url: str, body: bytes) -> Response:
    media, charset = parse_content_type(response.headers.get("content-type"))
    location = response.headers.get("location")
    redirect = response.status_code in REDIRECT_STATUSES and location
    return Response(
        url=url,
        status=response.status_code,
        body=body,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        content_type=media,
        charset=charset,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        retry_after=response.headers.get("retry-after"),
        location=urljoin(url, location) if redirect and location else None,
    )


def _checked(response: Response) -> Response:
    if response.status >= 400:
        raise FetchError(f"{status_line(response.status)}; {_advice(response.status)}")
    if response.status in REDIRECT_STATUSES:
        raise FetchError(f"{status_line(response.status)} without a Location header; check the URL in a browser")
    return response


def _advice(status: int) -> str:
    if status in (401, 403):
        return "the site refuses plotwatch; leave the URL out or save the page from a browser"
    if status in (404, 410):
        return "the page is gone; check the URL or use an archived copy"
    return "check the URL, or try again later"


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"not an http(s) URL (scheme {scheme or 'missing'}); give http:// or https:// URLs")


def status_line(status: int) -> str:
    """ "HTTP 404 Not Found"."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) of a Content-Type header, lower case; Nones when absent."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, found = param.partition("=")
        if key.strip().lower() == "charset":
            charset = found.strip().strip("\"'") or None
    return media.strip().lower() or None, charset


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _network_message(exc: BaseException, tries: int) -> str:
    if isinstance(exc, httpx.TimeoutException | _Deadline):
        what = f"timed out ({exc or type(exc).__name__})"
    else:
        what = f"could not connect ({exc or type(exc).__name__})"
    return f"{what} after {tries} tries; check the URL and the network, or try again later"


def _too_big(limit: int) -> str:
    return f"the response is over {limit:,} bytes, the cap for one page; raise FetchOptions.max_bytes to read it"
