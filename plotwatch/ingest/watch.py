"""Watch mode: poll feeds politely and read only the items not read before.

``poll`` asks each feed "changed since?" (ETag / Last-Modified from the last
poll), reads the items whose keys the ledger has not seen, and records them
as seen only after the caller consumed (stored) their documents, at the end
of each feed. An item whose page could not be fetched for a reason that may
pass (timeout, 5xx, 429) is left unseen, and the feed's validators are not
updated, so the next poll tries it again. The ledger lives in the database
(``ledger.FeedLedger``), so a restarted watch goes on where it stopped; a
crash mid-feed repeats that feed's items, which content-hash ids make harmless.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

from plotwatch.ingest import feeds, urls
from plotwatch.ingest.decode import decode_bytes
from plotwatch.ingest.fetch import FetchError, Response
from plotwatch.ingest.ledger import FeedLedger, Validators
from plotwatch.ingest.source import Context
from plotwatch.models import Document, IngestError

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL = 1.0


def parse_every(text: str) -> float:
    """Seconds from "90s", "15m", "2h", "1d" or a plain number of seconds; ValueError otherwise."""
    match = _DURATION.fullmatch(text)
    if match is None:
        raise ValueError(f"not a duration: {text!r}; write it like 30s, 15m, 2h or 1d")
    seconds = float(match.group(1)) * _UNIT[match.group(2).lower()]
    if seconds < MIN_INTERVAL:
        raise ValueError(f"the interval {text!r} is under {MIN_INTERVAL:g} s; poll less often")
    return seconds


def read_feed_list(path: str) -> tuple[list[str], list[IngestError]]:
    """The feed URLs in a list file (one a line, # comments) and an error for each bad line."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [], [IngestError(path, f"cannot read the feed list ({exc.strerror or exc}); check the path")]
    found: list[str] = []
    errors: list[IngestError] = []
    for number, line in enumerate((decode_bytes(data) or "").splitlines(), 1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        if urls.is_url(value):
            found.append(value)
        else:
            errors.append(IngestError(f"{path}:{number}", f"not an http(s) URL: {value[:80]!r}; one feed URL a line"))
    if not found and not errors:
        errors.append(IngestError(path, "the feed list holds no URLs; add one feed URL a line"))
    return list(dict.fromkeys(found)), errors


def poll(feed_urls: list[str], ledger: FeedLedger, context: Context) -> Iterator[Document | IngestError]:
    """Documents of the new items of every feed, and errors; the ledger is updated feed by feed."""
    for url in feed_urls:
        yield from poll_feed(url, ledger, context)


def poll_feed(url: str, ledger: FeedLedger, context: Context) -> Iterator[Document | IngestError]:
    try:
        response = context.fetcher().get(url, headers=ledger.validators(url).headers())
    except FetchError as exc:
        yield IngestError(url, str(exc))
        return
    if response.not_modified:
        ledger.save(url, None, response.status, [])
        return
    feed = feeds.parse(response.body, response)
    if not feed.items:
        yield IngestError(url, feed.problem or "the feed has no items")
        ledger.save(url, _validators(response), response.status, [])
        return
    seen = ledger.seen(url, [item.key for item in feed.items])
    new = [item for item in feed.items if item.key not in seen]
    done: list[str] = []
    for item in new:
        outcome = yield from _read_item(item, feed, url, response, context)
        if outcome:
            done.append(item.key)
    complete = len(done) == len(new)
    ledger.save(url, _validators(response) if complete else None, response.status, done)


def _read_item(
    item: feeds.Item, feed: feeds.Feed, url: str, response: Response, context: Context
) -> Generator[Document | IngestError, None, bool]:
    """Yield the item's documents; return whether it is done with (False: try it again next poll)."""
    if context.options.follow_links and item.link:
        fetched = feeds.fetch_link(item, context)
        if isinstance(fetched, FetchError):
            yield IngestError(item.link, str(fetched))
            return not fetched.retryable
        yield from feeds.linked_documents(item, feed, fetched, context)
        return True
    found = feeds.item_document(item, feed, url, context, response)
    yield found if found is not None else IngestError(f"{url}#item{item.position}", _NO_TEXT)
    return True


_NO_TEXT = "the feed item has no text; watch with --follow-links to fetch its page"


def _validators(response: Response) -> Validators:
    return Validators(etag=response.etag, last_modified=response.last_modified)


def every(
    interval: float,
    round_: Callable[[int], None],
    *,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Call ``round_(n)`` every ``interval`` seconds (start to start), ``rounds`` times or for ever."""
    done = 0
    while rounds is None or done < rounds:
        started = clock()
        round_(done + 1)
        done += 1
        if rounds is None or done < rounds:
            sleep(max(0.0, started + interval - clock()))
    return done
