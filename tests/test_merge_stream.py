"""merge_store reads the store one block at a time and gives what clustering every event at once gives
(hand-built events, no model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import RowMapping

from plotwatch.merge import block_key, mentions_of
from plotwatch.merge.mentions import DocInfo
from plotwatch.merge.near_dup import CopyIndex, _Rows
from plotwatch.merge.sources import corroboration, load_registry
from plotwatch.merge.stage import BlockQuery, Clustered, _block_queries, cluster_blocks, member_rows, merge_store
from plotwatch.models import Actor, Document, Event, Evidence, Incident
from plotwatch.store import Store, merging, open_store
from plotwatch.store.rows import row_to_event

WIRE = (
    "Sweden expels two Iranian diplomats over plot against exiles. STOCKHOLM, 14 March 2019 - Sweden on "
    "Thursday ordered two Iranian diplomats to leave the country within a week, saying the security service "
    "had uncovered a plan to watch and attack members of an exiled Iranian opposition group living near "
    "Gothenburg. The foreign ministry said the two men had been declared persona non grata after police "
    "detained a third man who had photographed the homes of two activists."
)
TEXTS = {  # doc_id: (text, published, source); "copy" is a near-copy of "orig", which reports no event itself
    "orig": (WIRE, "2019-03-14", "wire"),
    "x": ("Sweden expelled two Iranian diplomats on 14 March 2019, the wire agency reported.", "2019-03-14", "wire"),
    "copy": (WIRE.replace("within a week", "within seven days") + " Reporting by our desk.", "2019-03-15", "paper"),
    "kill": ("Gunmen shot an exiled activist dead in Gothenburg on 2 May 2019. Police said it was an attack.",
             "2019-05-03", "daily"),
    "spy": ("A man was convicted of spying on exiles for Iran. He had watched their homes.", None, "daily"),
    "vague": ("Two men were arrested. Another man was arrested later.", None, None),
}  # fmt: skip
IRAN = Actor(state="IRN")


def event(doc: str, type_: str, sentence: str, **fields: Any) -> Event:
    start = TEXTS[doc][0].index(sentence)
    return Event(doc_id=doc, type=type_, evidence=Evidence(sentence, start, start + len(sentence)), **fields)


def events() -> dict[str, list[Event]]:
    return {
        "orig": [],
        "x": [event("x", "EXPEL", TEXTS["x"][0], country="SWE", date="2019-03-14", target=IRAN, count=2)],
        "copy": [event("copy", "EXPEL", "Sweden on Thursday ordered two Iranian diplomats to leave the country",
                       country="SWE", date="2019-03-14", target=IRAN, count=2)],
        "kill": [event("kill", "KILL", "Gunmen shot an exiled activist dead in Gothenburg on 2 May 2019.",
                       country="SWE", date="2019-05-02", actor=IRAN),
                 event("kill", "ATTACK", "Police said it was an attack.", country="SWE", actor=IRAN)],
        "spy": [event("spy", "SPY", "A man was convicted of spying on exiles for Iran.", country="SWE", actor=IRAN),
                event("spy", "SURVEIL", "He had watched their homes.", country="SWE", actor=IRAN)],
        "vague": [event("vague", "ARREST", "Two men were arrested.", country=None),
                  event("vague", "ARREST", "Another man was arrested later.", country="")],
    }  # fmt: skip


def add_documents(store: Store, doc_ids: list[str]) -> None:
    for doc_id in doc_ids:
        text, published, source = TEXTS[doc_id]
        store.add_document(Document(doc_id=doc_id, text=text, published=published, source=source))
        store.save_extraction(doc_id, "test-1", events()[doc_id])


@pytest.fixture
def store(backend_db: str) -> Iterator[Store]:
    with open_store(backend_db) as opened:
        yield opened


def at_once(store: Store, previous: list[dict[str, Any]], full: bool) -> Clustered:
    """What merge_store clustered before it streamed: every event and every document's facts at once."""
    with store.engine.connect() as conn:
        docs = {row["doc_id"]: DocInfo(row["published"], row["seq"], row["copy_of"], row["source"])
                for row in merging.doc_facts(conn)}  # fmt: skip
    fresh = [Event(**{**e.__dict__, "incident_id": None}) for e in store.iter_events(scope="all")]
    return cluster_blocks(mentions_of(fresh, docs), previous, full)


def summary(incidents: list[Incident]) -> list[tuple[str, str, float, list[str]]]:
    """Id, type, confidence and events of each incident (merge_store's come sorted by document: ``apply_decisions``)."""
    return [(i.incident_id, i.type, i.confidence, sorted(e.event_id for e in i.events)) for i in incidents]


def stored_members(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return sorted(merging.read_members(conn), key=lambda row: row["event_id"])


def members(clustered: Clustered) -> list[dict[str, Any]]:
    return sorted(member_rows(clustered.incidents), key=lambda row: row["event_id"])


def test_each_block_is_read_alone_largest_first(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    add_documents(store, ["orig", "x", "kill", "spy", "vague"])  # one EXPEL, two of each other block
    read: list[list[RowMapping]] = []
    block_events = merging.block_events

    def recorded(*args: Any) -> Iterator[RowMapping]:
        read.append(list(block_events(*args)))
        return iter(read[-1])

    monkeypatch.setattr(merging, "block_events", recorded)
    merge_store(store)
    keys = [{block_key(mention) for mention in mentions_of(map(row_to_event, rows))} for rows in read]
    assert all(len(found) == 1 for found in keys)
    order = [(-len(rows), found.pop()) for rows, found in zip(read, keys, strict=True)]
    assert order == [(-2, ("ARREST", "")), (-2, ("SPYING", "SWE")), (-2, ("VIOLENCE", "SWE")), (-1, ("EXPEL", "SWE"))]
    assert sum(map(len, read)) == store.count_events()


def test_streamed_merge_equals_clustering_every_event_at_once(store: Store) -> None:
    add_documents(store, ["orig", "x", "kill", "vague"])
    first = merge_store(store)
    expected = at_once(store, [], full=True)
    assert summary(first.incidents) == summary(expected.incidents)
    assert stored_members(store) == members(expected)
    assert (first.reclustered_blocks, first.kept_blocks) == (expected.reclustered_blocks, expected.kept_blocks)
    previous = stored_members(store)
    add_documents(store, ["copy", "spy"])  # one block changes, one is new, two are kept
    second = merge_store(store)
    expected = at_once(store, previous, full=False)
    assert summary(second.incidents) == summary(expected.incidents)
    assert stored_members(store) == members(expected)
    assert (second.reclustered_blocks, second.kept_blocks) == (2, 2) == (
        expected.reclustered_blocks, expected.kept_blocks
    )  # fmt: skip


def test_corroboration_reads_the_original_of_a_copy_that_is_in_no_incident(store: Store) -> None:
    add_documents(store, ["orig", "x", "copy"])
    outcome = merge_store(store)
    assert outcome.copies == 1
    (expel,) = [incident for incident in outcome.incidents if incident.type == "EXPEL"]
    assert expel.documents == {"x", "copy"}
    with store.engine.connect() as conn:
        facts = {row["doc_id"]: row for row in merging.doc_facts(conn)}
        stored = merging.corroboration_of(conn, expel.incident_id)
    expected = corroboration(["x", "copy"], facts, load_registry())
    assert stored == {"incident_id": expel.incident_id, **expected}
    assert (expected["n_sources"], expected["n_independent"]) == (2, 1)  # the copy counts as its original's owner


def test_doc_facts_of_some_documents_in_chunks(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    add_documents(store, list(TEXTS))
    monkeypatch.setattr(merging, "CHUNK", 2)
    with store.engine.connect() as conn:
        every = merging.doc_facts(conn)
        some = merging.doc_facts(conn, ["vague", "x", "copy", "kill", "spy", "nowhere", "x"])
    assert sorted(some, key=lambda row: row["seq"]) == [row for row in every if row["doc_id"] != "orig"]
    assert [row["doc_id"] for row in every] == list(TEXTS)


def test_unsigned_documents_are_told_without_listing_them(store: Store) -> None:
    add_documents(store, ["orig", "x"])
    with store.engine.connect() as conn:
        assert merging.has_unsigned(conn) and merging.count_indexed(conn) == 2
    merge_store(store)
    with store.engine.connect() as conn:
        assert not merging.has_unsigned(conn) and merging.count_indexed(conn) == 2


def test_block_queries_group_types_and_unknown_countries() -> None:
    kinds = [("KILL", "SWE", 2), ("ARREST", None, 1), ("ATTACK", "SWE", 4), ("ARREST", "", 3), ("ARREST", "SWE", 5)]
    assert _block_queries(kinds) == [
        BlockQuery({"ARREST"}, {None, ""}, 4), BlockQuery({"ARREST"}, {"SWE"}, 5),
        BlockQuery({"ATTACK", "KILL"}, {"SWE"}, 6),
    ]  # fmt: skip


def test_signature_rows_keep_their_values_when_they_outgrow_the_capacity() -> None:
    rows = _Rows(capacity=3)
    values = np.arange(10 * 128, dtype=np.uint32).reshape(10, 128)
    for row in values:
        rows.append(row)
    assert len(rows.data) == 12 and np.array_equal(rows.view(), values)


@pytest.mark.parametrize("capacity", [1, 2, 100])
def test_the_capacity_of_a_copy_index_does_not_change_the_copies(capacity: int) -> None:
    texts = [(doc_id, text) for doc_id, (text, _, _) in TEXTS.items()]
    found = []
    for index in (CopyIndex(), CopyIndex(capacity=capacity)):
        index.add_known("first", [7] * 128, None)
        for doc_id, text in texts:
            index.add_new(doc_id, text)
        found.append([(doc_id, values.tolist(), copy_of, estimate) for doc_id, values, copy_of, estimate in
                      index.resolve()])  # fmt: skip
    assert found[0] == found[1]
    assert [(doc_id, copy_of) for doc_id, _, copy_of, _ in found[1] if copy_of] == [("copy", "orig")]


def test_streaming_does_not_load_every_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(str(tmp_path / "lean.db")) as store:
        add_documents(store, list(TEXTS))
        for n in range(50):  # documents without events: their facts are never read by the merge
            store.add_document(Document(doc_id=f"quiet-{n}", text=f"Nothing happened on day {n}."))
        asked: list[int | None] = []
        doc_facts = merging.doc_facts

        def counted(conn: Any, doc_ids: Any = None) -> list[dict[str, Any]]:
            found = doc_facts(conn, doc_ids)
            asked.append(None if doc_ids is None else len(found))
            return found

        monkeypatch.setattr(merging, "doc_facts", counted)
        merge_store(store)
    assert None not in asked and sum(n or 0 for n in asked) == 6  # the five documents with events, and "orig"
