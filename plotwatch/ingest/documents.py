"""The last step of every reader: clean the text, check it, make the Document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from plotwatch.ingest.limits import MAX_RAW_KEPT, too_long_text
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
    fetched_at: str | None = None  # ISO 8601 UTC
    http_status: int | None = None


def build_document(
    text: str,
    meta: Metadata,
    *,
    origin: str,
    reader: str,
    max_chars: int,
    empty: str = NO_TEXT,
    raw: bytes | None = None,
    max_raw_kept: int = MAX_RAW_KEPT,
) -> Document | IngestError:
    """A Document with normalised text, or the IngestError that says why not.

    ``raw`` is the original the text came from (page, file, line): its size
    and hash always travel with the document, the bytes themselves only up to
    ``max_raw_kept``.
    """
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
        fetched_at=meta.fetched_at,
        http_status=meta.http_status,
        raw_size=None if raw is None else len(raw),
        raw_sha256=None if raw is None else hashlib.sha256(raw).hexdigest(),
        raw=raw if raw is not None and len(raw) <= max_raw_kept else None,
    )


def _line(value: str | None) -> str | None:
    return (normalize_line(value) or None) if value is not None else None


def _language(value: str | None) -> str | None:
    """A language tag's primary subtag ("en-GB" → "en"); a value that is no language tag is kept as given."""
    if value is None:
        return None
    return language_code(value) or _line(value)
