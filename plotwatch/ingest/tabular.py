"""Reader for CSV and TSV files (.csv, .tsv): one document per row.

The header names the columns. A document field ("id", "url", "title",
"published", "text", "html", "language", "source") is read from the column
``CsvOptions.columns`` maps it to, else from a column with its name or a
usual alias ("body", "headline", "link", "date", ...). A row is an error when
its field count differs from the header's (a quoting slip shifts columns) or
its text is empty; the rows after it are still read.
"""

from __future__ import annotations

import csv
import email.utils
import io
from collections.abc import Iterator
from typing import IO, Any

import charset_normalizer

from plotwatch.ingest import html
from plotwatch.ingest.decode import BOMS, NOT_TEXT, looks_binary
from plotwatch.ingest.documents import Metadata, build_document
from plotwatch.ingest.limits import raw_limit
from plotwatch.ingest.normalize import iso_date
from plotwatch.ingest.source import Source
from plotwatch.models import Document, IngestError

NAME = "csv"
SUFFIXES = (".csv", ".tsv")
FIELDS = ("id", "url", "title", "published", "text", "html", "language", "source")
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "article_id", "guid", "uid"),
    "url": ("url", "link", "article_url", "permalink"),
    "title": ("title", "headline", "heading"),
    "published": ("published", "date", "pub_date", "publication_date", "published_at", "publish_date", "pubdate"),
    "text": ("text", "body", "content", "article", "full_text", "fulltext", "article_text"),
    "html": ("html", "raw_html", "page"),
    "language": ("language", "lang"),
    "source": ("source", "outlet", "publisher", "media", "source_name", "site"),
}
_SAMPLE = 1 << 16
_DELIMITERS = (",", ";", "\t", "|")


def read(source: Source) -> Iterator[Document | IngestError]:
    """Each row as a document, or as an error naming its line."""
    head = source.stream.peek(_SAMPLE)[:_SAMPLE] if hasattr(source.stream, "peek") else b""
    encoding = _encoding(head)
    if encoding is None:
        yield IngestError(source.origin, NOT_TEXT)
        return
    text = io.TextIOWrapper(source.stream, encoding=encoding, newline="")
    try:
        yield from _rows(source, text)
    except UnicodeDecodeError as exc:
        yield IngestError(source.origin, f"the file is not valid {encoding} past some point ({exc.reason}); "
                                         "the rows before were read; save the file as UTF-8")  # fmt: skip
    finally:
        text.detach()


def _rows(source: Source, text: IO[str]) -> Iterator[Document | IngestError]:
    header_line = text.readline()
    if not header_line.strip():
        yield IngestError(source.origin, "the file is empty or starts with a blank line; give a header row first")
        return
    delimiter = source.options.csv.delimiter or _delimiter(source.origin, header_line)
    header = [name.strip() for name in next(csv.reader([header_line], delimiter=delimiter), [])]
    columns = _columns(header, source.options.csv.columns)
    if isinstance(columns, str):
        yield IngestError(source.origin, columns)
        return
    csv.field_size_limit(max(csv.field_size_limit(), raw_limit(source.max_chars)))
    rows = csv.reader(text, delimiter=delimiter, strict=True)
    found = 0
    for start, row in _numbered(rows):
        if isinstance(row, csv.Error):
            yield IngestError(source.at(start), f"the row cannot be read ({row}); check its quotes")
        elif any(cell.strip() for cell in row):
            found += 1
            yield _row(row, header, columns, source, source.at(start))
    if found == 0:
        yield IngestError(source.origin, "the file has a header but no rows; add rows or leave the file out")


def _numbered(rows: Any) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """(line where the row starts, row or the csv.Error it raised); reading goes on after an error."""
    start = 2  # line 1 is the header
    while True:
        try:
            row: list[str] | csv.Error = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            row = exc
        yield start, row
        start = rows.line_num + 2


def _row(
    row: list[str], header: list[str], columns: dict[str, int], source: Source, origin: str
) -> Document | IngestError:
    if len(row) != len(header):
        return IngestError(origin, f"the row has {len(row)} fields, the header {len(header)}; check its quoting")
    values = {field: row[index].strip() or None for field, index in columns.items()}
    published = values.get("published")
    date = _date(published) if published else None
    if published and date is None:
        return IngestError(origin, f"column for \"published\" holds {published[:40]!r}, not a date; "
                                   "give dates as YYYY-MM-DD or leave them out")  # fmt: skip
    markup = values.get("html")
    page = html.extract(markup) if values.get("text") is None and markup else None
    meta = Metadata(
        doc_id=values.get("id"), url=values.get("url"), title=values.get("title") or (page.title if page else None),
        published=date or (page.published if page else None), source=values.get("source"),
        language=values.get("language") or (page.language if page else None),
    )  # fmt: skip
    body = page.text if page is not None else values.get("text") or ""
    options = source.options
    raw = "\x1f".join(row).encode("utf-8", "replace")
    return build_document(
        body, meta, origin=origin, reader=NAME, max_chars=source.max_chars, raw=raw,
        max_raw_kept=options.max_raw_kept, empty="the row has no text; fill its text column or leave the row out",
    )  # fmt: skip


def _columns(header: list[str], mapping: dict[str, str]) -> dict[str, int] | str:
    """Document field → column index, or the message saying what is missing."""
    positions = {name.lower().lstrip("\ufeff"): index for index, name in enumerate(header)}
    shown = ", ".join(header)[:200]
    columns: dict[str, int] = {}
    for field in FIELDS:
        if field in mapping:
            wanted = mapping[field].lower()
            if wanted not in positions:
                return f'no column "{mapping[field]}" (given for {field}); the header has: {shown}'
            columns[field] = positions[wanted]
        else:
            found = next((positions[alias] for alias in ALIASES[field] if alias in positions), None)
            if found is not None:
                columns[field] = found
    if "text" not in columns and "html" not in columns:
        return f"no text column (the header has: {shown}); name one, e.g. --csv-column text=COLUMN"
    return columns


def _encoding(head: bytes) -> str | None:
    """The file's encoding from its first bytes; None when it is not text."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    if looks_binary(head):
        return None
    try:
        head[: max(0, len(head) - 3) if len(head) == _SAMPLE else len(head)].decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(head).best()
    return None if best is None else str(best.encoding)


def _delimiter(origin: str, header: str) -> str:
    if origin.lower().removesuffix(".gz").endswith(".tsv"):
        return "\t"
    return max(_DELIMITERS, key=header.count)


def _date(value: str) -> str | None:
    found = iso_date(value)
    if found is not None:
        return found
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
