"""The ingest stage: files, folders, archives, URLs and standard input to Documents.

``read_inputs`` is the stage function. Each reader (``jsonl``, ``text``,
``html``, ``tabular`` for CSV, ``feeds`` for RSS/Atom, ``warc``, ``urls``)
lives in its own module behind one interface (``source.Reader``);
``registry`` says which reads which file suffix, ``archives`` looks through
.gz and .zip. Bad input never raises: it becomes an ``IngestError`` naming
the input (and line or record) and the batch goes on.
"""

from __future__ import annotations

import functools
import logging
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import IO

from warcio.exceptions import ArchiveLoadFailed

from plotwatch.ingest.archives import ReadProblem, is_zip_name, open_member, zip_members
from plotwatch.ingest.inputs import ZIP, Input, expand
from plotwatch.ingest.limits import MAX_TEXT_CHARS
from plotwatch.ingest.options import CsvOptions, FetchOptions, IngestOptions
from plotwatch.ingest.registry import READERS, reader_for, stem
from plotwatch.ingest.source import Context, Source
from plotwatch.models import Document, IngestError

__all__ = ["MAX_TEXT_CHARS", "CsvOptions", "FetchOptions", "IngestOptions", "read_inputs"]

log = logging.getLogger(__name__)

_READ_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile, ArchiveLoadFailed)
BUG = "plotwatch failed on this input ({}); this is a bug: please report it with the input"


def read_inputs(
    paths: Sequence[str],
    stdin: IO[bytes] | None = None,
    *,
    max_chars: int | None = None,
    options: IngestOptions | None = None,
    context: Context | None = None,
) -> Iterator[Document | IngestError]:
    """Documents and errors from ``paths``, in input order.

    A path is a file (see ``registry.known_suffixes``; gzipped or zipped
    too), a folder (read recursively, sorted, known suffixes only), an http(s)
    URL, or "-" for ``stdin`` (standard input when None): JSON Lines if it
    starts like them, else one plain-text document. ``max_chars`` caps one
    document's text (it overrides ``options.max_chars``). ``context`` lets a
    caller share one fetcher between calls (rate limits, robots.txt).
    """
    options = options or IngestOptions()
    if max_chars is not None:
        options = replace(options, max_chars=max_chars)
    ctx = context or Context(options)
    try:
        for item in expand(paths, stdin, options.max_chars, options.max_decompressed):
            if isinstance(item, IngestError):
                yield item
            else:
                yield from _read(item, ctx)
    finally:
        if context is None:
            ctx.close()


def _read(item: Input, ctx: Context) -> Iterator[Document | IngestError]:
    """Everything in one input; whatever goes wrong becomes one error after what was read."""
    try:
        with item.open() as stream:
            if item.reader == ZIP:
                yield from _read_zip(item.origin, stream, ctx)
            else:
                source = Source(item.origin, stream, item.stem, ctx.options.max_chars, ctx)
                yield from READERS[item.reader](source)
    except ReadProblem as exc:
        yield IngestError(item.origin, str(exc))
    except _READ_ERRORS as exc:
        yield IngestError(item.origin, read_failure(exc))
    except Exception as exc:  # a third-party parser's bug must not end the batch
        log.exception("%s: unexpected error", item.origin)
        yield IngestError(item.origin, BUG.format(f"{type(exc).__name__}: {exc}"))


def read_failure(exc: BaseException) -> str:
    """One line for an input that broke while being read."""
    if isinstance(exc, EOFError | zlib.error) or "gzip" in str(exc).lower():
        reason = f"the compressed data is cut off or corrupt ({exc})"
        return f"{reason}; anything before the break was kept; get a whole copy"
    if isinstance(exc, zipfile.BadZipFile):
        return f"not a readable zip archive ({exc}); check the file or unpack it with another tool"
    if isinstance(exc, ArchiveLoadFailed):
        return f"not a readable WARC archive ({exc}); check that it is a WARC file"
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"could not read the file ({reason}); check that it is readable"


def _read_zip(origin: str, stream: IO[bytes], ctx: Context) -> Iterator[Document | IngestError]:
    with zipfile.ZipFile(stream) as archive:
        found = False
        for info in zip_members(archive):
            name = info.filename.rsplit("/", 1)[-1]
            where = f"{origin}!{info.filename}"
            if is_zip_name(name):
                found = True
                yield IngestError(where, "a zip inside a zip is not read; unpack the outer one and give its files")
                continue
            reader = reader_for(name)
            if reader is None:
                continue
            found = True
            opener = functools.partial(open_member, archive, info, ctx.options.max_decompressed)
            yield from _read(Input(where, reader, opener, stem(name)), ctx)
        if not found:
            yield IngestError(origin, "the zip archive holds no files plotwatch reads; check its contents")
