"""Reader for RSS and Atom feeds (.rss, .atom, .xml, or a feed URL), with feedparser.

Each item is one document: its full content (or summary) as text, its link,
title and date, the feed's title as source. With ``follow_links`` the page an
item links to is fetched and read instead. Ids are content hashes, so the same
article from two feeds is one document. A feed that is not well-formed XML is
read leniently and reported once; items with no text and no followed link
are reported together, once per feed.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
import xml.sax
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from plotwatch.ingest.documents import Metadata, build_document
from plotwatch.ingest.fetch import FetchError, Response
from plotwatch.ingest.html_text import fallback_text
from plotwatch.ingest.limits import too_many_bytes
from plotwatch.ingest.normalize import normalize_line
from plotwatch.ingest.source import Context, Source
from plotwatch.models import Document, IngestError

NAME = "feed"
SUFFIXES = (".rss", ".atom", ".xml")
_FEED_MARKS = (b"<rss", b"<feed", b"<rdf:rdf")
_REFUSED = "amplification"  # expat's guard against entity bombs (billion laughs) tripped
# An entity declared in terms of other entities: how entity-expansion bombs are built. Feeds that
# declare entities at all declare characters ("&#160;"), which this leaves alone.
_NESTED_ENTITY = re.compile(rb"""<!ENTITY\s+%?\s*[^\s>]+\s+(?:"[^"]*&[A-Za-z_:][^"]*"|'[^']*&[A-Za-z_:][^']*')""")
_PROLOG_BYTES = 1 << 16
BOMB = "the feed is refused: its DTD builds entities out of other entities (an entity-expansion bomb); leave it out"


@dataclass(frozen=True)
class Item:
    """One feed item, before it becomes a document."""

    key: str  # the item's id (guid), else its link, else a hash of its title and text
    position: int  # 1-based, in feed order
    link: str | None
    title: str | None
    published: str | None  # YYYY-MM-DD
    markup: str  # the item's content or summary, HTML or text


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its items, its title, and what was wrong with it (None if nothing)."""

    items: list[Item]
    title: str | None
    problem: str | None


def read(source: Source) -> Iterator[Document | IngestError]:
    """The feed file's items as documents."""
    data = source.read_all()
    if data is None:
        yield IngestError(source.origin, too_many_bytes("the feed", source.max_chars))
        return
    yield from read_feed(data, source.origin, source.context)


def read_feed(
    data: bytes, origin: str, context: Context, *, fetched: Response | None = None
) -> Iterator[Document | IngestError]:
    """Documents for every item of the feed in ``data``; what is wrong with it, once."""
    feed = parse(data, fetched)
    yield from item_documents(feed, feed.items, origin, context, fetched=fetched, problem=feed.problem)


def item_documents(
    feed: Feed,
    items: list[Item],
    origin: str,
    context: Context,
    *,
    fetched: Response | None = None,
    problem: str | None = None,
) -> Iterator[Document | IngestError]:
    """Documents for ``items`` of ``feed``, then one error for ``problem`` and the items with no text."""
    following = context.options.follow_links
    empty = 0
    for item in items:
        if following and item.link:
            yield from follow(item, feed, context)
            continue
        found = item_document(item, feed, origin, context, fetched)
        if found is None:
            empty += 1
        else:
            yield found
    notes = [problem] if problem else []
    if empty:
        notes.append(_no_text(empty, len(items), following))
    if notes:
        yield IngestError(origin, "; also, ".join(notes))


def parse(data: bytes, fetched: Response | None = None) -> Feed:
    """The feed in ``data`` (never raises): items, title, and a problem worth reporting."""
    if _NESTED_ENTITY.search(data[:_PROLOG_BYTES]):
        return Feed(items=[], title=None, problem=BOMB)
    headers = {"content-type": _content_type(fetched)} if fetched is not None else None
    # A stream, never bytes or str: feedparser would take those for a file name or a URL to open.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False)
    entries = _field(parsed, "entries") or []
    items = [_item(entry, position) for position, entry in enumerate(entries, 1)]
    title = normalize_line(_text(_field(parsed, "feed"), "title")) or None
    problem = _problem(parsed, len(items))
    if problem is not None and problem.startswith("the feed is refused"):
        return Feed(items=[], title=None, problem=problem)  # what the lenient parser made of it is not kept
    return Feed(items=items, title=title, problem=problem)


def item_document(
    item: Item, feed: Feed, origin: str, context: Context, fetched: Response | None = None
) -> Document | IngestError | None:
    """The item's own text as a document; None when it has none."""
    text = markup_text(item.markup)
    if not text.strip():
        return None
    meta = Metadata(
        url=item.link, title=item.title, published=item.published, source=feed.title,
        fetched_at=fetched.fetched_at if fetched else None, http_status=fetched.status if fetched else None,
    )  # fmt: skip
    options = context.options
    return build_document(
        text, meta, origin=f"{origin}#item{item.position}", reader=NAME, max_chars=options.max_chars,
        raw=item.markup.encode("utf-8", "replace"), max_raw_kept=options.max_raw_kept,
    )  # fmt: skip


def follow(item: Item, feed: Feed, context: Context) -> Iterator[Document | IngestError]:
    """The page the item links to, fetched; the item's title and date fill what the page lacks."""
    fetched = fetch_link(item, context)
    if isinstance(fetched, Exception):
        yield IngestError(item.link or feed.title or "", str(fetched))
    else:
        yield from linked_documents(item, feed, fetched, context)


def fetch_link(item: Item, context: Context) -> Response | FetchError:
    """The response for the item's link, or the FetchError saying why there is none."""
    assert item.link is not None
    try:
        return context.fetcher().get(item.link)
    except FetchError as exc:
        return exc


def linked_documents(
    item: Item, feed: Feed, response: Response, context: Context
) -> Iterator[Document | IngestError]:
    """The documents in the item's fetched page, with the item's title and date as fallbacks."""
    from plotwatch.ingest.urls import read_response  # urls reads feeds too

    meta = Metadata(title=item.title, published=item.published, source=feed.title)
    for found in read_response(response, context, origin=item.link or response.url, meta=meta):
        yield replace(found, reader=NAME) if isinstance(found, Document) else found


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes of a body look like RSS, Atom or RSS 1.0 (RDF)."""
    lower = head.lower()
    return any(mark in lower for mark in _FEED_MARKS)


def markup_text(markup: str) -> str:
    """The text of an item's HTML (or plain text): one paragraph per block."""
    if "<" not in markup:
        return markup
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=_PARSER)
    except (ValueError, etree.LxmlError):
        return ""
    return fallback_text(tree)


_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def _item(entry: Any, position: int) -> Item:
    contents = [_text(part, "value") for part in _field(entry, "content") or [] if isinstance(part, dict)]
    markup = max(contents, key=len) if contents else ""
    markup = markup or _text(entry, "summary")
    link = _text(entry, "link") or None
    title = normalize_line(_text(entry, "title")) or None
    key = _text(entry, "id") or link or _hash(f"{title}\n{markup}")
    return Item(key=key, position=position, link=link, title=title, published=_date(entry), markup=markup)


def _field(record: Any, key: str) -> Any:
    """A field of a feedparser dict as stored: its own ``get`` warns about (and maps) keys that are missing."""
    return dict.get(record, key) if isinstance(record, dict) else None


def _text(record: Any, key: str) -> str:
    value = _field(record, key)
    return value if isinstance(value, str) else ""


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = _field(entry, key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%d", value)
    return None


def _problem(parsed: Any, count: int) -> str | None:
    error = _field(parsed, "bozo_exception") if _field(parsed, "bozo") else None
    not_xml = isinstance(error, xml.sax.SAXException)
    if not_xml and _REFUSED in str(error):
        return f"the feed is refused: it expands XML entities past the safe limit ({_one_line(error)}); leave it out"
    if count == 0 and not _field(parsed, "version"):
        reason = f" ({_one_line(error)})" if not_xml else ""
        return f"not an RSS or Atom feed{reason}; check that the file or URL is a feed"
    if count == 0:
        return "the feed has no items; check that it is the right feed"
    if not_xml:
        return (
            f"the feed is not well-formed XML ({_one_line(error)}); its {count} items were read leniently, "
            "check them or ask the publisher to fix the feed"
        )
    return None


def _no_text(empty: int, total: int, following: bool) -> str:
    hint = "the items have no links to follow either" if following else "pass --follow-links to fetch their pages"
    return f"{empty} of {total} feed items {'has' if empty == 1 else 'have'} no text; {hint}"


def _content_type(fetched: Response) -> str:
    media = fetched.content_type or "application/xml"
    return f"{media}; charset={fetched.charset}" if fetched.charset else media


def _one_line(error: object) -> str:
    return " ".join(str(error).split())[:160]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]
