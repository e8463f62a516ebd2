"""URLs: one on the command line, or a list of them in a .urls file (one a line, # comments).

Each URL is fetched (``fetch.Fetcher``) and read by what the server sent: an
HTML page is one document, a feed gives one document per item, plain text is
one document. Anything else (images, PDF, JSON) is reported, not guessed at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx

from plotwatch.ingest import feeds, html, text
from plotwatch.ingest.decode import decode_bytes
from plotwatch.ingest.documents import Metadata, build_document
from plotwatch.ingest.fetch import FetchError, Response
from plotwatch.ingest.source import Context, Source
from plotwatch.models import Document, IngestError

NAME = "url"
SUFFIXES = (".urls",)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
    "application/feed+xml",
})  # fmt: skip
UNTYPED = frozenset({None, "application/octet-stream", "binary/octet-stream"})
_SNIFF_BYTES = 1024


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def read(source: Source) -> Iterator[Document | IngestError]:
    """Each URL in the source, fetched and read; a line that is no URL is an error."""
    for number, line in source.lines():
        value = (decode_bytes(line) or "").strip() if line is not None else None
        if value is None:
            yield IngestError(source.at(number), "the line is too long for a URL; give one URL a line")
        elif value and not value.startswith("#"):
            if is_url(value) and _printable(value):
                yield from read_url(value, source.context)
            elif is_url(value):
                yield IngestError(source.at(number), "the URL holds spaces or control characters; percent-encode them")
            else:
                yield IngestError(source.at(number), f"not an http(s) URL: {value[:80]!r}; give one URL a line")


def _printable(url: str) -> bool:
    return all(32 < ord(c) != 127 for c in url)


def read_url(url: str, context: Context) -> Iterator[Document | IngestError]:
    """The documents at ``url``, or one error naming the URL."""
    try:
        response = context.fetcher().get(url)
    except FetchError as exc:
        yield IngestError(url, str(exc))
        return
    except httpx.InvalidURL as exc:
        yield IngestError(url, f"not a valid URL ({exc}); fix the address")
        return
    yield from read_response(response, context, origin=url)


def read_response(
    response: Response, context: Context, *, origin: str, meta: Metadata | None = None
) -> Iterator[Document | IngestError]:
    """What a fetched response holds, by its content type (sniffed when the server gave none)."""
    kind = kind_of(response.content_type, response.body)
    meta = replace(
        meta or Metadata(), url=(meta and meta.url) or response.url, fetched_at=response.fetched_at,
        http_status=response.status,
    )  # fmt: skip
    options = context.options
    if kind == html.NAME:
        yield html.page_document(
            response.body, meta, origin=origin, max_chars=options.max_chars, max_raw_kept=options.max_raw_kept,
            charset=response.charset,
        )  # fmt: skip
    elif kind == feeds.NAME:
        yield from feeds.read_feed(response.body, origin, context, fetched=response)
    elif kind == text.NAME:
        yield _text_document(response, meta, origin, context)
    else:
        shown = response.content_type or "no content type"
        yield IngestError(origin, f"the server sent {shown}, not an HTML page, a feed or text; give a page's URL")


def _text_document(response: Response, meta: Metadata, origin: str, context: Context) -> Document | IngestError:
    body = decode_bytes(response.body, response.charset)
    if body is None:
        return IngestError(origin, "the server said text/plain but sent binary data; check the URL")
    meta = replace(meta, title=meta.title or text.first_line(body))
    options = context.options
    return build_document(
        body, meta, origin=origin, reader=text.NAME, max_chars=options.max_chars, raw=response.body,
        max_raw_kept=options.max_raw_kept,
    )  # fmt: skip


def kind_of(content_type: str | None, body: bytes) -> str | None:
    """Which reader reads a body of this media type: html, feed, text, or None (not ours)."""
    if content_type in HTML_TYPES:
        return feeds.NAME if feeds.looks_like_feed(body[:_SNIFF_BYTES]) else html.NAME
    if content_type in FEED_TYPES:
        return feeds.NAME if not _looks_like_html(body[:_SNIFF_BYTES]) else html.NAME
    if content_type == "text/plain":
        return _sniff(body) or text.NAME
    if content_type in UNTYPED:
        return _sniff(body)
    return None


def _sniff(body: bytes) -> str | None:
    head = body[:_SNIFF_BYTES]
    if feeds.looks_like_feed(head):
        return feeds.NAME
    if _looks_like_html(head):
        return html.NAME
    return None


def _looks_like_html(head: bytes) -> bool:
    lower = head.lower()
    return b"<html" in lower or b"<!doctype html" in lower or b"<body" in lower
