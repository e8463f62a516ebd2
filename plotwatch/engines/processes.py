"""Extraction in several local processes (``plotwatch run --workers N``).

Each worker process loads the spaCy pipeline once and extracts chunks of
documents; only the events come back (parsed documents are never pickled).
Chunks are sent a few at a time and their results yielded in input order, so
memory stays flat in the corpus size and the run stores exactly what one
process would. Workers are started with "spawn" (a fresh interpreter): the
parent holds open database connections that a forked child must not share.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from plotwatch.extract import extract, load_pipeline
from plotwatch.models import Document, Event

__all__ = ["CHUNK", "extract_in_processes"]

CHUNK = 24  # documents per task: large enough to keep nlp.pipe batching, small enough to balance load
AHEAD = 2  # tasks in flight per worker


def _load() -> None:
    load_pipeline()


def _extract_chunk(documents: list[Document]) -> list[tuple[int, list[Event]]]:
    """Worker side: (position in the chunk, events) of each document that could be extracted."""
    position = {id(document): n for n, document in enumerate(documents)}
    with load_pipeline().memory_zone():  # the chunk's token strings are freed after it (pipeline.extract_in_zones)
        return [(position[id(document)], events) for document, events in extract(documents)]


def extract_in_processes(
    documents: Iterable[Document], workers: int, chunk: int = CHUNK
) -> Iterator[tuple[Document, list[Event]]]:
    """``plotwatch.extract.extract`` on ``workers`` processes: the same pairs, in the same order."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    source = iter(documents)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_load) as pool:
        pending: deque[tuple[list[Document], Future[list[tuple[int, list[Event]]]]]] = deque()
        while True:
            while len(pending) < workers * AHEAD and (part := list(islice(source, chunk))):
                pending.append((part, pool.submit(_extract_chunk, part)))
            if not pending:
                return
            part, future = pending.popleft()
            for position, events in future.result():
                yield part[position], events
