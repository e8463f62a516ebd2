"""Batched writes: a transaction per batch of documents, with the results of one at a time."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from plotwatch import pipeline
from plotwatch.errors import StoreError
from plotwatch.ingest.ledger import sightings
from plotwatch.models import Document, Event, Evidence, IngestError, RunStats
from plotwatch.progress import progress_display
from plotwatch.store import Store, open_store
from plotwatch.store.merge_schema import document_index
from tests.conftest import db_records

SAMPLE = Path(__file__).parent.parent / "plotwatch" / "data" / "sample" / "articles.jsonl"


@pytest.fixture
def store(backend_db: str) -> Iterator[Store]:
    with open_store(backend_db) as opened:
        yield opened


def doc(doc_id: str, text: str, origin: str = "in.jsonl") -> Document:
    return Document(doc_id=doc_id, text=text, origin=origin)


def test_batches_cut_by_size_and_by_time() -> None:
    assert list(pipeline.batches(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(pipeline.batches(range(3), 100, seconds=0.0)) == [[0], [1], [2]]
    assert list(pipeline.batches([], 5)) == []
    with pytest.raises(ValueError):
        list(pipeline.batches(range(3), 0))


def test_a_batch_stores_new_documents_once_in_input_order(store: Store) -> None:
    store.add_document(doc("old", "Stored by an earlier run."))
    docs = [doc("a", "First text."), doc("b", "First text."), doc("old", "Stored by an earlier run."),
            doc("c", "Third text."), doc("a", "Another text under a taken id.")]  # fmt: skip
    assert store.add_documents(docs) == [True, False, False, True, False]
    assert store.add_documents([]) == []
    with store.engine.connect() as conn:
        order = conn.execute(select(document_index.c.doc_id).order_by(document_index.c.seq)).scalars().all()
    assert order == ["old", "a", "c"]
    assert store.stored_hashes(["a", "zzz"]) == {"a": (docs[0].content_hash, "in.jsonl")}


def test_store_items_reports_clashes_and_records_each_sighting_once(store: Store) -> None:
    items: list[Document | IngestError] = [
        doc("a", "Alpha.", "f1"), IngestError("f1:2", "not JSON"), doc("a", "Alpha.", "f2"),
        doc("a", "A different alpha.", "f3"), doc("b", "Beta.", "f1"), doc("b", "Beta.", "f1"),
    ]  # fmt: skip
    stats = RunStats()
    pipeline.store_items(store, items, stats, batch=4)
    assert (stats.documents_read, stats.documents_new) == (5, 2)
    assert [error.origin for error in stats.errors] == ["f1:2", "f3"]
    assert 'the id "a" is already taken' in stats.errors[1].message
    with store.engine.connect() as conn:
        seen = conn.execute(select(sightings.c.doc_id, sightings.c.origin).order_by(sightings.c.id)).all()
    assert [tuple(row) for row in seen] == [("a", "f1"), ("a", "f2"), ("b", "f1")]
    pipeline.store_items(store, items, RunStats(), batch=3)  # the same input again adds nothing
    assert store.count_documents() == 2
    assert len(store.list_errors()) == 2


def _event(doc_id: str, start: int) -> Event:
    return Event(doc_id=doc_id, type="EXPEL", evidence=Evidence("expelled", start, start + 8), trigger="expel")


def test_save_extractions_replaces_events_and_pending_shrinks(store: Store) -> None:
    assert store.add_documents([doc(name, f"Text {name}.") for name in "abc"]) == [True] * 3
    assert [d.doc_id for d in store.iter_pending("x1")] == ["a", "b", "c"]
    store.save_extractions([("a", [_event("a", 0)]), ("b", [_event("b", 0), _event("b", 9)])], "x1")
    store.save_extractions([("b", [_event("b", 20)])], "x1")
    assert sorted((e.doc_id, e.evidence.start) for e in store.iter_events("all")) == [("a", 0), ("b", 20)]
    assert [d.doc_id for d in store.iter_pending("x1")] == ["c"]
    assert store.count_pending("x1") == 1 and store.count_pending("x2") == 3
    with pytest.raises(StoreError, match="zzz: no such document"):
        store.save_extractions([("c", []), ("zzz", [])], "x1")
    assert store.count_pending("x1") == 1  # the failed batch stored nothing


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only() -> None:
    terminal = _Terminal()
    with progress_display(stream=terminal) as progress:
        progress.start("extracting", 3)
        progress.advance(3)
    assert "extracting" in terminal.getvalue() and "3/3" in terminal.getvalue()
    for quiet, stream in ((True, _Terminal()), (False, io.StringIO())):
        with progress_display(quiet=quiet, stream=stream) as progress:
            progress.start("extracting", 3)
            progress.advance(3)
        assert stream.getvalue() == ""


@pytest.mark.model
@pytest.mark.slow
def test_two_workers_and_small_batches_store_what_one_process_stores(tmp_path: Path) -> None:
    lines = SAMPLE.read_text("utf-8").splitlines()[:12]
    articles = tmp_path / "articles.jsonl"
    articles.write_text("\n".join(lines) + "\n", "utf-8")
    assert all(json.loads(line)["text"] for line in lines)
    one = pipeline.run([str(articles)], str(tmp_path / "one.db"))
    two = pipeline.run([str(articles)], str(tmp_path / "two.db"), workers=2, batch=5)
    assert one.events > 10 and (one.events, one.incidents) == (two.events, two.incidents)
    assert db_records(str(tmp_path / "one.db")) == db_records(str(tmp_path / "two.db"))


@pytest.mark.model
def test_extraction_in_memory_zones_forgets_the_token_strings_of_the_documents(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = [json.loads(line)["text"] for line in SAMPLE.read_text("utf-8").splitlines()[:4]]

    def docs(blank: int) -> list[Document]:  # each story after a paragraph that the prefilter blanks
        return [Document(f"z{n}", "Sunny. " * (blank + 7 * n) + "\n\n" + texts[n % 4]) for n in range(12)]

    # Blank lengths no earlier test of the session's shared pipeline is likely to have made (random): the
    # strings must be new to the vocabulary for the first assertion to mean anything.
    blank = random.Random().randrange(400, 1_400)
    before = len(nlp.vocab.strings)
    zoned = [(d.doc_id, [e.event_id for e in events]) for d, events in pipeline.extract_in_zones(docs(blank), size=5)]
    assert len(nlp.vocab.strings) == before
    plain = [(d.doc_id, [e.event_id for e in events]) for d, events in pipeline.extract(docs(blank))]
    assert zoned == plain and sum(len(ids) for _, ids in plain) > 5
    # Without zones the blanks' whitespace tokens stay; not asserted, as an earlier test may have made them.
