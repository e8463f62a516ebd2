"""robots.txt, fetched once per site and asked before every request (RFC 9309)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from plotwatch.ingest.decode import decode_bytes

if TYPE_CHECKING:
    from plotwatch.ingest.fetch import FetchError, Response

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB are read; the rest may be ignored


class RobotsCache:
    """Per site (scheme, host, port): the parsed robots.txt.

    A 4xx answer means no rules (everything allowed). A site whose robots.txt
    cannot be read (unreachable, 5xx) is fetched from not at all, as RFC 9309
    says: ``allowed`` raises the FetchError saying why, for every URL of the site.
    """

    def __init__(self, fetch: Callable[[str], Response | FetchError], user_agent: str) -> None:
        self._fetch = fetch
        self._agent = user_agent
        self._sites: dict[str, RobotFileParser | bool | FetchError] = {}  # True: no rules

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        site = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))
        rules = self._sites.get(site)
        if rules is None:
            rules = self._sites[site] = self._load(site + "/robots.txt")
        if isinstance(rules, Exception):
            raise rules
        return rules if isinstance(rules, bool) else rules.can_fetch(self._agent, url)

    def _load(self, robots_url: str) -> RobotFileParser | bool | FetchError:
        response = self._fetch(robots_url)
        if isinstance(response, Exception):
            return response
        if response.status >= 500:
            from plotwatch.ingest.fetch import FetchError, status_line

            return FetchError(f"the site's robots.txt answered {status_line(response.status)}, so nothing is "
                              "fetched from the site; try again later", retryable=True)  # fmt: skip
        if response.status >= 400:
            return True
        parser = RobotFileParser(robots_url)
        parser.parse((decode_bytes(response.body[:MAX_ROBOTS_BYTES]) or "").splitlines())
        return parser
