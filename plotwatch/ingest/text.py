"""Reader for plain-text files (.txt): one file is one document."""

from __future__ import annotations

from collections.abc import Iterator

from plotwatch.ingest.decode import NOT_TEXT, decode_bytes
from plotwatch.ingest.documents import Metadata, build_document
from plotwatch.ingest.limits import too_many_bytes
from plotwatch.ingest.normalize import normalize_text
from plotwatch.ingest.source import Source
from plotwatch.models import Document, IngestError

NAME = "text"
SUFFIXES = (".txt",)
EMPTY_FILE = "the file is empty; add the article text or remove the file"


def read(source: Source) -> Iterator[Document | IngestError]:
    """The file as one document: id from the file name, title from its first line."""
    yield _read(source)


def _read(source: Source) -> Document | IngestError:
    data = source.read_all()
    if data is None:
        return IngestError(source.origin, too_many_bytes("the file", source.max_chars))
    text = decode_bytes(data)
    if text is None:
        return IngestError(source.origin, NOT_TEXT)
    meta = Metadata(doc_id=source.stem, title=first_line(text))
    return build_document(
        text, meta, origin=source.origin, reader=NAME, max_chars=source.max_chars, empty=EMPTY_FILE, raw=data,
        max_raw_kept=source.options.max_raw_kept,
    )  # fmt: skip


def first_line(text: str) -> str | None:
    """The first line that is not blank, or None."""
    for line in normalize_text(text).split("\n"):
        if line.strip():
            return line
    return None
