"""The whole path: ingest → extract → resolve → merge → store, as library calls."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import IO

from plotwatch.extract import EXTRACTOR_VERSION, extract
from plotwatch.ingest import read_inputs
from plotwatch.merge import merge_events
from plotwatch.models import Document, IngestError, RunStats
from plotwatch.store import Store, open_store

log = logging.getLogger(__name__)


def ingest_into(store: Store, paths: Sequence[str], stats: RunStats, stdin: IO[bytes] | None = None) -> None:
    """Read every input into the store; bad input becomes an error row, never a stop."""
    for item in read_inputs(paths, stdin=stdin):
        if isinstance(item, IngestError):
            store.add_error(item)
            stats.errors.append(item)
            log.warning("%s: %s", item.origin, item.message)
            continue
        stats.documents_read += 1
        if store.add_document(item):
            stats.documents_new += 1


def pending_documents(store: Store) -> Iterable[Document]:
    """Documents not yet extracted by this extractor version (so a re-run resumes)."""
    for document in store.iter_documents():
        if not store.is_extracted(document.doc_id, EXTRACTOR_VERSION):
            yield document


def extract_pending(store: Store, stats: RunStats) -> None:
    pending = list(pending_documents(store))
    for document, events in extract(pending):
        store.save_extraction(document.doc_id, EXTRACTOR_VERSION, events)
        stats.events += len(events)


def merge_all(store: Store, stats: RunStats) -> None:
    incidents = merge_events(store.iter_events(scope="all"))
    store.replace_incidents(incidents)
    stats.incidents = len(incidents)


def run(paths: Sequence[str], db: str, stdin: IO[bytes] | None = None) -> RunStats:
    """Ingest, extract and merge ``paths`` into the database ``db``."""
    stats = RunStats()
    with open_store(db) as store:
        ingest_into(store, paths, stats, stdin=stdin)
        extract_pending(store, stats)
        merge_all(store, stats)
    return stats
