"""Writers racing on one PostgreSQL database: each opens (and migrates) it, stores the same
documents and events and rewrites the incidents at the same moments. Without the store's advisory
locks this fails (a duplicate schema, unique violations on events, deadlocks).
"""

from __future__ import annotations

import threading

import pytest

from plotwatch.models import Document, Event, Evidence, Incident
from plotwatch.store import open_store
from tests.conftest import PG_URL, fresh_postgres

pytestmark = pytest.mark.skipif(not PG_URL, reason="set PLOTWATCH_TEST_POSTGRES to a scratch PostgreSQL database")

WRITERS = 5
SENTENCE = "Britain expelled diplomats."
DOCUMENTS = [Document(f"d{number}", f"Report {number:02}. {SENTENCE}") for number in range(12)]


def events(doc: Document) -> list[Event]:
    start = doc.text.index(SENTENCE)
    evidence = Evidence(SENTENCE, start, start + len(SENTENCE))
    return [Event(doc_id=doc.doc_id, type="EXPEL", evidence=evidence, trigger=f"t{k}") for k in range(3)]


def write_everything(db: str, barrier: threading.Barrier) -> None:
    barrier.wait()
    with open_store(db) as store:
        for doc in DOCUMENTS:
            store.add_document(doc)
        barrier.wait()
        for _ in range(2):
            for doc in DOCUMENTS:
                store.save_extraction(doc.doc_id, "test-1", events(doc))
            stored = list(store.iter_events("all"))
            store.replace_incidents([Incident("inc-" + event.event_id, "EXPEL", [event]) for event in stored])


def test_concurrent_writers_store_everything_once() -> None:
    db = fresh_postgres()
    barrier = threading.Barrier(WRITERS, timeout=120)
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            write_everything(db, barrier)
        except BaseException as exc:  # reported below, with the others
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    with open_store(db) as store:
        assert store.count_documents() == len(DOCUMENTS)
        assert store.count_events() == 3 * len(DOCUMENTS)
        assert store.count_incidents() == 3 * len(DOCUMENTS)
        assert all(event.incident_id for event in store.iter_events("all"))
