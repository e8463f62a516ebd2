"""The last step of every reader: clean the text, check it, make the Document."""

from __future__ import annotations

from dataclasses import dataclass

from plotwatch.ingest.limits import too_long_text
from plotwatch.ingest.normalize import language_code, normalize_line, normalize_text
from plotwatch.models import Document, IngestError, content_hash

NO_TEXT = "the document has no text; add its text or leave it out"


@dataclass(frozen=True)
class Metadata:
    """What a reader found about a document besides its text (all optional)."""

    doc_id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None  # already YYYY-MM-DD
    language: str | None = None
    source: str | None = None


def build_document(
    text: str,
    meta: Metadata,
    *,
    origin: str,
    reader: str,
    max_chars: int,
    empty: str = NO_TEXT,
) -> Document | IngestError:
    """A Document with normalised text, or the IngestError that says why not."""
    text = normalize_text(text)
    if not text:
        return IngestError(origin, empty)
    if len(text) > max_chars:
        return IngestError(origin, too_long_text(len(text), max_chars))
    doc_id = meta.doc_id if meta.doc_id and meta.doc_id.strip() else content_hash(text)
    return Document(
        doc_id=doc_id,
        text=text,
        url=_line(meta.url),
        title=_line(meta.title),
        published=meta.published,
        language=_language(meta.language),
        source=_line(meta.source),
        origin=origin,
        reader=reader,
    )


def _line(value: str | None) -> str | None:
    return (normalize_line(value) or None) if value is not None else None


def _language(value: str | None) -> str | None:
    """A language tag's primary subtag ("en-GB" → "en"); a value that is no language tag is kept as given."""
    if value is None:
        return None
    return language_code(value) or _line(value)
