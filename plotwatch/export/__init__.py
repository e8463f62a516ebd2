"""The export stage: events, incidents or documents as JSON Lines or CSV.

Records are streamed from the store to ``out`` one at a time. Events are
``Event.to_record`` (DESIGN.md, "Event record"); incidents and events follow
``plotwatch/schemas/*.schema.json``. In CSV, nested objects become dotted
columns (``place.name``, ``actor.state``) and lists are JSON strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from plotwatch.export.formats import write_csv, write_jsonl
from plotwatch.export.interop import INTEROP_FORMATS, write_interop
from plotwatch.export.validate import flat_columns, validate_record
from plotwatch.models import Document
from plotwatch.store import SCOPES, Store

__all__ = ["FORMATS", "WHAT", "document_record", "export", "validate_record"]

WHAT = ("events", "incidents", "documents", "cases", "links")
FORMATS = ("jsonl", "csv", *INTEROP_FORMATS)
DOCUMENT_COLUMNS = (
    "doc_id", "content_hash", "url", "title", "source", "published",
    "language", "reader", "origin", "length",
)  # fmt: skip


def document_record(doc: Document, with_text: bool = False) -> dict[str, Any]:
    """A document's metadata, and its full text when ``with_text``."""
    record: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "content_hash": doc.content_hash,
        "url": doc.url,
        "title": doc.title,
        "source": doc.source,
        "published": doc.published,
        "language": doc.language,
        "reader": doc.reader,
        "origin": doc.origin,
        "length": len(doc.text),
    }
    if with_text:
        record["text"] = doc.text
    return record


def _columns(what: str) -> list[str]:
    if what == "documents":
        return list(DOCUMENT_COLUMNS)
    return flat_columns(what.removesuffix("s"))


def _records(store: Store, what: str, scope: str, with_text: bool) -> Iterator[dict[str, Any]]:
    if what == "events":
        rejected = store.rejected_incidents()
        return (r for r in store.iter_event_records(scope) if r["incident_id"] not in rejected)
    if what == "incidents":
        return (record for record in store.iter_incident_records() if record["review"] != "rejected")
    if what == "cases":
        return iter(store.list_cases())
    if what == "links":
        return iter(store.list_links())
    return (document_record(doc, with_text) for doc in store.iter_documents())


def export(store: Store, what: str, fmt: str, out: TextIO, scope: str = "default") -> int:
    """Write every ``what`` (events, incidents, documents, cases, links) to ``out`` as ``fmt`` (jsonl, csv).

    ``scope`` selects events ("default": transnational and unknown, "transnational",
    "all"); incidents, documents, cases and links are exported whole. Review
    decisions apply: edited incident fields replace the machine's, and rejected
    incidents and their events are left out. Returns the number of records
    written. Documents carry their full text in JSON Lines only. ``geojson``,
    ``plover`` and ``acled`` export incidents only (``export/interop.py``).
    """
    if what not in WHAT:
        raise ValueError(f"cannot export {what!r}: use one of {', '.join(WHAT)}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}: use one of {', '.join(SCOPES)}")
    if fmt in INTEROP_FORMATS:
        if what != "incidents":
            raise ValueError(f"the {fmt} format exports incidents: pass --what incidents")
        return write_interop(store, fmt, out)
    records = _records(store, what, scope, with_text=fmt == "jsonl")
    columns = _columns(what)
    if fmt == "csv":
        return write_csv(records, columns, out)
    top_level = list(dict.fromkeys(column.split(".")[0] for column in columns))
    return write_jsonl(records, top_level, out)
