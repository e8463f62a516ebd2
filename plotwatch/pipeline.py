"""The whole path: ingest → extract → resolve → merge → store, as library calls.

Documents and events are written in batches: one transaction per ``batch``
documents, or per ``BATCH_SECONDS`` when documents come slowly, so that a run
is not one commit per document and a crash loses at most one batch (the next
run resumes: stored documents are not stored again, extracted ones not
extracted again). Batches stream: memory stays flat in the corpus size.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import IO, Protocol, TypeVar

from plotwatch.extract import extract, load_pipeline, pipeline_version
from plotwatch.ingest import IngestOptions, read_inputs
from plotwatch.ingest.ledger import record_sightings
from plotwatch.merge.stage import merge_store
from plotwatch.models import Document, Event, IngestError, RunStats
from plotwatch.store import Store, open_store

log = logging.getLogger(__name__)
BATCH = 500  # documents per transaction
BATCH_SECONDS = 5.0  # and at most this long between two commits
ZONE = 1000  # documents extracted in one spaCy memory zone
T = TypeVar("T")
Item = Document | IngestError


class Progress(Protocol):
    """What a run reports as it goes (``plotwatch.progress`` draws it; the library prints nothing)."""

    def start(self, stage: str, total: int | None) -> None: ...

    def advance(self, count: int = 1) -> None: ...


class _Silent:
    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


SILENT: Progress = _Silent()


def batches(items: Iterable[T], size: int = BATCH, seconds: float = BATCH_SECONDS) -> Iterator[list[T]]:
    """Consecutive pieces of ``items``: ``size`` items, or fewer once ``seconds`` have passed since the piece began."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    piece: list[T] = []
    began = time.monotonic()
    for item in items:
        if not piece:
            began = time.monotonic()
        piece.append(item)
        if len(piece) >= size or time.monotonic() - began >= seconds:
            yield piece
            piece = []
    if piece:
        yield piece


def _counted(items: Iterable[T], progress: Progress) -> Iterator[T]:
    for item in items:
        yield item
        progress.advance()


def ingest_into(
    store: Store,
    paths: Sequence[str],
    stats: RunStats,
    stdin: IO[bytes] | None = None,
    options: IngestOptions | None = None,
    *,
    batch: int = BATCH,
    progress: Progress = SILENT,
) -> None:
    """Read every input into the store; bad input becomes an error row, never a stop."""
    progress.start("reading", None)
    items = _counted(read_inputs(paths, stdin=stdin, options=options), progress)
    store_items(store, items, stats, batch=batch)


def store_items(store: Store, items: Iterable[Item], stats: RunStats, *, batch: int = BATCH) -> None:
    """Store documents (and where each was seen) and errors, a batch per transaction, as they come."""
    for piece in batches(items, batch):
        _store_piece(store, piece, stats)


def _store_piece(store: Store, piece: list[Item], stats: RunStats) -> None:
    docs = [item for item in piece if isinstance(item, Document)]
    stored = dict(zip(map(id, docs), store.add_documents(docs), strict=True))
    taken = store.stored_hashes([doc.doc_id for doc in docs if not stored[id(doc)]])
    seen = []
    for item in piece:
        if isinstance(item, IngestError):
            _add_error(store, item, stats)
            continue
        stats.documents_read += 1
        if stored[id(item)]:
            stats.documents_new += 1
        else:
            clash = _clash(item, taken.get(item.doc_id))
            if clash is not None:
                _add_error(store, clash, stats)
                continue
        seen.append(item)
    record_sightings(store.engine, seen)


def id_clash(store: Store, doc: Document) -> IngestError | None:
    """An error when ``doc`` was not stored because another text already has its id."""
    return _clash(doc, store.stored_hashes([doc.doc_id]).get(doc.doc_id))


def _clash(doc: Document, stored: tuple[str, str | None] | None) -> IngestError | None:
    if stored is None or stored[0] == doc.content_hash:
        return None
    return IngestError(
        doc.origin or doc.doc_id,
        f'the id "{doc.doc_id}" is already taken by a document with another text ({stored[1]}); '
        "give this one its own id (rename the file, or change its id field)",
    )


def _add_error(store: Store, error: IngestError, stats: RunStats) -> None:
    store.add_error(error)
    stats.errors.append(error)
    log.warning("%s: %s", error.origin, error.message)


def pending_documents(store: Store) -> Iterable[Document]:
    """Documents not yet extracted by this extractor version (so a re-run resumes), in one streamed query."""
    return store.iter_pending(pipeline_version())


def extract_in_zones(documents: Iterable[Document], size: int = ZONE) -> Iterator[tuple[Document, list[Event]]]:
    """``extract`` on pieces of ``size`` documents, each in a spaCy memory zone.

    spaCy keeps every new token string in its vocabulary for good, and the relevance prefilter's blanks
    make a whitespace token of a new length in most documents it parses: without zones memory would grow
    with the corpus. The strings a zone added are freed when it ends; the events are plain Python objects.
    """
    nlp = load_pipeline()
    source = iter(documents)
    while piece := list(islice(source, size)):
        with nlp.memory_zone():
            found = list(extract(piece))
        yield from found


def _extracted(documents: Iterable[Document], workers: int) -> Iterator[tuple[Document, list[Event]]]:
    if workers <= 1:
        return extract_in_zones(documents)
    from plotwatch.engines.processes import extract_in_processes

    return extract_in_processes(documents, workers)


def extract_pending(
    store: Store, stats: RunStats, *, workers: int = 1, batch: int = BATCH, progress: Progress = SILENT
) -> None:
    """Extract the documents this extractor has not done yet; ``workers`` processes parse in parallel."""
    # Streamed, not listed: memory stays flat in the number of documents (SQLite's WAL and
    # PostgreSQL's server-side cursor let the reading connection stay open while events are written).
    version = pipeline_version()
    progress.start("extracting", store.count_pending(version))
    for piece in batches(_counted(_extracted(store.iter_pending(version), workers), progress), batch):
        store.save_extractions([(document.doc_id, events) for document, events in piece], version)
        stats.events += sum(len(events) for _, events in piece)


def merge_all(store: Store, stats: RunStats) -> None:
    """Cluster events into incidents (only the blocks that changed), with their sources, links and cases."""
    stats.incidents = len(merge_store(store).incidents)


def run(
    paths: Sequence[str],
    db: str,
    stdin: IO[bytes] | None = None,
    options: IngestOptions | None = None,
    *,
    workers: int = 1,
    batch: int = BATCH,
    progress: Progress = SILENT,
) -> RunStats:
    """Ingest, extract and merge ``paths`` into the database ``db`` (``options``: how to read them;
    ``workers``: extraction processes; ``batch``: documents per transaction; ``progress``: a display)."""
    stats = RunStats()
    with open_store(db) as store:
        ingest_into(store, paths, stats, stdin=stdin, options=options, batch=batch, progress=progress)
        extract_pending(store, stats, workers=workers, batch=batch, progress=progress)
        progress.start("merging", None)
        merge_all(store, stats)
    return stats
