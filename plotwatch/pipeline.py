"""The whole path: ingest → extract → resolve → merge → store, as library calls."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import IO

from plotwatch.extract import extract, pipeline_version
from plotwatch.ingest import IngestOptions, read_inputs
from plotwatch.ingest.ledger import record_sighting
from plotwatch.merge.stage import merge_store
from plotwatch.models import Document, IngestError, RunStats
from plotwatch.store import Store, open_store

log = logging.getLogger(__name__)


def ingest_into(
    store: Store,
    paths: Sequence[str],
    stats: RunStats,
    stdin: IO[bytes] | None = None,
    options: IngestOptions | None = None,
) -> None:
    """Read every input into the store; bad input becomes an error row, never a stop."""
    store_items(store, read_inputs(paths, stdin=stdin, options=options), stats)


def store_items(store: Store, items: Iterable[Document | IngestError], stats: RunStats) -> None:
    """Store documents (and where each was seen) and errors, one at a time, as they come."""
    for item in items:
        if isinstance(item, IngestError):
            _add_error(store, item, stats)
            continue
        stats.documents_read += 1
        if store.add_document(item):
            stats.documents_new += 1
        else:
            clash = id_clash(store, item)
            if clash is not None:
                _add_error(store, clash, stats)
                continue
        record_sighting(store.engine, item)


def id_clash(store: Store, doc: Document) -> IngestError | None:
    """An error when ``doc`` was not stored because another text already has its id."""
    stored = store.get_document(doc.doc_id)
    if stored is None or stored.content_hash == doc.content_hash:
        return None
    return IngestError(
        doc.origin or doc.doc_id,
        f'the id "{doc.doc_id}" is already taken by a document with another text ({stored.origin}); '
        "give this one its own id (rename the file, or change its id field)",
    )


def _add_error(store: Store, error: IngestError, stats: RunStats) -> None:
    store.add_error(error)
    stats.errors.append(error)
    log.warning("%s: %s", error.origin, error.message)


def pending_documents(store: Store) -> Iterable[Document]:
    """Documents not yet extracted by this extractor version (so a re-run resumes)."""
    for document in store.iter_documents():
        if not store.is_extracted(document.doc_id, pipeline_version()):
            yield document


def extract_pending(store: Store, stats: RunStats) -> None:
    # Streamed, not listed: memory stays flat in the number of documents (SQLite's WAL and
    # PostgreSQL's server-side cursor let the reading connection stay open while events are written).
    for document, events in extract(pending_documents(store)):
        store.save_extraction(document.doc_id, pipeline_version(), events)
        stats.events += len(events)


def merge_all(store: Store, stats: RunStats) -> None:
    """Cluster events into incidents (only the blocks that changed), with their sources, links and cases."""
    stats.incidents = len(merge_store(store).incidents)


def run(
    paths: Sequence[str], db: str, stdin: IO[bytes] | None = None, options: IngestOptions | None = None
) -> RunStats:
    """Ingest, extract and merge ``paths`` into the database ``db`` (``options``: how to read them)."""
    stats = RunStats()
    with open_store(db) as store:
        ingest_into(store, paths, stats, stdin=stdin, options=options)
        extract_pending(store, stats)
        merge_all(store, stats)
    return stats
