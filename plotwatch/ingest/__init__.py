"""The ingest stage: files, folders and standard input to Documents.

``read_inputs`` is the stage function. Each reader (``jsonl``, ``text``,
``html``) lives in its own module behind one interface (``source.Reader``);
``registry`` says which reads which file suffix. Bad input never raises: it
becomes an ``IngestError`` naming the file (and line) and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO

from plotwatch.ingest.inputs import Input, expand
from plotwatch.ingest.limits import MAX_TEXT_CHARS
from plotwatch.ingest.registry import READERS
from plotwatch.ingest.source import Source
from plotwatch.models import Document, IngestError

__all__ = ["MAX_TEXT_CHARS", "read_inputs"]


def read_inputs(
    paths: Sequence[str],
    stdin: IO[bytes] | None = None,
    *,
    max_chars: int = MAX_TEXT_CHARS,
) -> Iterator[Document | IngestError]:
    """Documents and errors from ``paths``, in input order.

    A path is a file (.jsonl, .txt, .html, .htm), a folder (read recursively,
    sorted, files with those suffixes only) or "-" for ``stdin`` (standard
    input when None): JSON Lines if it starts like them, else one plain-text
    document. ``max_chars`` caps one document's text.
    """
    for item in expand(paths, stdin, max_chars):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from _read(item, max_chars)


def _read(item: Input, max_chars: int) -> Iterator[Document | IngestError]:
    reader = READERS[item.reader]
    try:
        with item.open() as stream:
            yield from reader(Source(item.origin, stream, item.stem, max_chars))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        yield IngestError(item.origin, f"could not read the file ({reason}); check that it is readable")
