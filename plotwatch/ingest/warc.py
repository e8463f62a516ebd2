"""Reader for web archives (.warc, .warc.gz) with warcio.

Only HTTP responses with status 2xx and an HTML content type become
documents (images, scripts, redirects and revisits are passed over); each
keeps its target URI, its HTTP status and its capture date (``fetched_at``).
An archive that breaks part-way is reported once, naming the record, after
the records before it were read.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from plotwatch.ingest import html
from plotwatch.ingest.archives import GZIP_MAGIC, ReadProblem, capped
from plotwatch.ingest.documents import Metadata
from plotwatch.ingest.fetch import parse_content_type
from plotwatch.ingest.limits import raw_limit, too_many_bytes
from plotwatch.ingest.source import Source
from plotwatch.models import Document, IngestError

NAME = "warc"
SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_NOT_PER_RECORD = "non-chunked gzip"
_MAGIC = (b"WARC/", GZIP_MAGIC)
_CHUNK = 1 << 16


def read(source: Source) -> Iterator[Document | IngestError]:
    """Every HTML response in the archive as a document."""
    counts = _Counts()
    head = source.stream.peek(8)[:8] if isinstance(source.stream, io.BufferedReader) else b""
    if head and not head.startswith(_MAGIC):
        yield IngestError(source.origin, f"not a WARC archive (it starts with {head!r}); check that it is a WARC file")
        return
    try:
        yield from _records(source, source.stream, counts)
    except ArchiveLoadFailed as exc:
        if _NOT_PER_RECORD not in str(exc) or not source.stream.seekable():
            raise
        yield from _whole_gzip(source, counts)  # gzipped as one piece, not record by record
    if counts.pages == 0 and not counts.broken:
        yield IngestError(source.origin, _no_pages(counts.records))


class _Counts:
    def __init__(self) -> None:
        self.records = 0  # read whole
        self.pages = 0
        self.broken = False


class _Broken(Exception):
    """A record that shows the archive is cut off or corrupt."""


def _records(source: Source, stream: IO[bytes], counts: _Counts, skip: int = 0) -> Iterator[Document | IngestError]:
    """The pages of the archive in ``stream`` after its first ``skip`` records; one error where it breaks."""
    counted = _Counting(stream)
    iterator = ArchiveIterator(counted)
    records = iter(iterator)
    for _ in range(skip):
        next(records, None)
    while True:
        origin = f"{source.origin}#record{counts.records + 1}"
        try:
            record = next(records)
            body = _read_record(record, source)
        except StopIteration:
            break
        except ArchiveLoadFailed as exc:
            if _NOT_PER_RECORD in str(exc) and source.stream.seekable() and skip == 0:
                raise
            problem: BaseException = exc
        except ReadProblem:  # over the unpacking cap: reported as such
            raise
        except Exception as exc:  # warcio trips over malformed records in many ways: each means a broken archive
            problem = exc
        else:
            counts.records += 1
            if body is not None:
                counts.pages += 1
                yield _page(record, body, origin, source)
            continue
        counts.broken = True
        yield IngestError(origin, _broken(problem, counts.records))
        return
    if counted.size > iterator.offset:  # bytes after the last whole record: the archive was cut off
        counts.broken = True
        yield IngestError(f"{source.origin}#record{counts.records + 1}", _broken(_Broken("the last record is "
                                                                                         "incomplete"), counts.records))


def _read_record(record: Any, source: Source) -> bytes | None:
    """The record's page payload (None when it is no HTML page), read to the record's end; _Broken if cut."""
    if record.rec_type is None:
        raise _Broken("the record's headers are incomplete")
    body = _body(record, source) if _is_page(record) else None
    if _cut_short(record):
        raise _Broken("the record is shorter than its Content-Length")
    return body


class _Counting:
    """A stream that counts the bytes read from it."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(size)
        self.size += len(data)
        return data


def _whole_gzip(source: Source, counts: _Counts) -> Iterator[Document | IngestError]:
    source.stream.seek(0)
    with capped(gzip.GzipFile(fileobj=source.stream, mode="rb"), source.options.max_decompressed) as stream:
        yield from _records(source, stream, counts, skip=counts.records)


def _cut_short(record: Any) -> bool:
    """Whether the archive ended inside this record (read to its end first)."""
    stream = record.raw_stream
    while stream.read(_CHUNK):
        pass
    return bool(getattr(stream, "limit", 0))


def _is_page(record: Any) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode()
    media, _ = parse_content_type(record.http_headers.get_header("Content-Type"))
    return bool(status and status.startswith("2")) and media in HTML_TYPES


def _body(record: Any, source: Source) -> bytes:
    """The response's payload (decoded), at most one byte over the cap."""
    data: bytes = record.content_stream().read(raw_limit(source.max_chars) + 1)
    return data


def _page(record: Any, body: bytes, origin: str, source: Source) -> Document | IngestError:
    if len(body) > raw_limit(source.max_chars):
        return IngestError(origin, too_many_bytes("the page", source.max_chars))
    _, charset = parse_content_type(record.http_headers.get_header("Content-Type"))
    meta = Metadata(
        url=record.rec_headers.get_header("WARC-Target-URI"),
        fetched_at=record.rec_headers.get_header("WARC-Date"),
        http_status=int(record.http_headers.get_statuscode()),
    )
    options = source.options
    document = html.page_document(
        body, meta, origin=origin, max_chars=source.max_chars, max_raw_kept=options.max_raw_kept, charset=charset
    )
    return document if isinstance(document, IngestError) else _as_warc(document)


def _as_warc(document: Document) -> Document:
    return replace(document, reader=NAME)


def _broken(exc: BaseException | str, records: int) -> str:
    reason = " ".join(str(exc).split())[:160] or type(exc).__name__
    if records == 0:
        return f"not a readable WARC archive ({reason}); check that it is a WARC file"
    before = "the record before was read" if records == 1 else f"the {records} records before were read"
    return f"the archive is cut off or corrupt here ({reason}); {before}"


def _no_pages(records: int) -> str:
    if records == 0:
        return "the archive is empty; check the file"
    return f"the archive's {records} records hold no HTML page (2xx text/html response); nothing to read"
