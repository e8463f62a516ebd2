"""Reader for JSON Lines (.jsonl): one document per line, in the input contract.

``{"id", "url", "title", "published" (YYYY-MM-DD), "text" or "html",
"language", "source"}``: only ``text`` or ``html`` is needed, ``id`` becomes
the document id (the content hash when it is missing). Other fields are
ignored; ``null`` counts as missing. A bad line is one IngestError and the
lines after it are still read.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import Any

from plotwatch.ingest import html
from plotwatch.ingest.documents import Metadata, build_document
from plotwatch.ingest.limits import MAX_RAW_KEPT, too_many_bytes
from plotwatch.ingest.normalize import iso_date
from plotwatch.ingest.source import Source
from plotwatch.models import Document, IngestError

NAME = "jsonl"
SUFFIXES = (".jsonl",)
STRING_FIELDS = ("id", "url", "title", "published", "text", "html", "language", "source")
ONE_OBJECT = 'each line must be one JSON object like {"id": "...", "text": "..."}'


def read(source: Source) -> Iterator[Document | IngestError]:
    """Each non-blank line as a document, or as an error naming its line."""
    for number, line in source.lines():
        if line is None:
            yield IngestError(source.at(number), too_many_bytes("the line", source.max_chars))
        elif line.strip():
            yield read_line(line, source.at(number), source.max_chars, source.options.max_raw_kept)


def read_line(line: bytes, origin: str, max_chars: int, max_raw_kept: int = MAX_RAW_KEPT) -> Document | IngestError:
    """One JSONL line as a Document, or the IngestError that says what is wrong."""
    record = _load(line)
    if isinstance(record, str):
        return IngestError(origin, record)
    problem = _check(record)
    if problem is not None:
        return IngestError(origin, problem)
    return _document(record, origin, max_chars, raw=line.strip(), max_raw_kept=max_raw_kept)


def _load(line: bytes) -> dict[str, Any] | str:
    """The line's JSON object, or a message saying why there is none."""
    line = line.removeprefix(codecs.BOM_UTF8)
    try:
        value = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        byte = line[exc.start]
        return f"line is not valid UTF-8 (byte 0x{byte:02x} at byte {exc.start + 1}); save the file as UTF-8"
    except json.JSONDecodeError as exc:
        reason = exc.msg.removesuffix(" at")
        return f"line is not valid JSON ({reason} at column {exc.colno}); {ONE_OBJECT}"
    except (ValueError, RecursionError) as exc:  # a number too long to convert, nesting too deep
        return f"line cannot be read as JSON ({exc}); {ONE_OBJECT}"
    if not isinstance(value, dict):
        return f"line holds a JSON {_kind(value)}, not an object; {ONE_OBJECT}"
    return value


def _check(record: dict[str, Any]) -> str | None:
    """What is wrong with the object's fields, or None."""
    for key in STRING_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f'field "{key}" is a JSON {_kind(value)}, not a string; quote it or leave it out'
    if record.get("text") is None and record.get("html") is None:
        return 'no "text" or "html" field; give each document its text (or its page as "html")'
    published = record.get("published")
    if published is not None and published.strip() and iso_date(published) is None:
        shown = json.dumps(published[:40])
        return f'field "published" must be a date YYYY-MM-DD, not {shown}; fix it or leave it out'
    return None


def _document(
    record: dict[str, Any], origin: str, max_chars: int, *, raw: bytes, max_raw_kept: int
) -> Document | IngestError:
    text: str | None = record.get("text")
    page = html.extract(record["html"]) if text is None else None
    published = record.get("published")
    meta = Metadata(
        doc_id=record.get("id"),
        url=record.get("url"),
        title=record.get("title") or (page.title if page else None),
        published=iso_date(published) if published else (page.published if page else None),
        language=record.get("language") or (page.language if page else None),
        source=record.get("source"),
    )
    body = page.text if page is not None else text or ""
    field = "html" if page else "text"
    empty = f'field "{field}" has no text; give the document its text or leave the line out'
    return build_document(
        body, meta, origin=origin, reader=NAME, max_chars=max_chars, empty=empty, raw=raw, max_raw_kept=max_raw_kept
    )


def _kind(value: object) -> str:
    """The JSON name of a value's type."""
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    names = {dict: "object", list: "array", str: "string", int: "number", float: "number"}
    return names.get(type(value), type(value).__name__)
