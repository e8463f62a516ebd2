"""Review overlays survive re-runs and are applied by exports (hand-built events, no model)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plotwatch import review
from plotwatch.errors import InputError
from plotwatch.export import export, validate_record
from plotwatch.merge.stage import merge_store
from plotwatch.models import Actor, Document, Event, Evidence
from plotwatch.store import Store, open_store

TEXTS = {
    "a": "The Netherlands expelled two Iranian diplomats on 7 June 2018. The expulsion was kept quiet.",
    "b": "Dutch officials said two Iranian embassy staff had been expelled in June 2018.",
    "c": "Denmark recalled its ambassador from Tehran on 30 October 2018 after an Iranian plot to kill an activist.",
}


def event(doc: str, type_: str, sentence: str, **fields: Any) -> Event:
    start = TEXTS[doc].index(sentence)
    return Event(doc_id=doc, type=type_, evidence=Evidence(sentence, start, start + len(sentence)), **fields)


def events() -> dict[str, list[Event]]:
    iran = Actor(state="IRN")
    return {
        "a": [event("a", "EXPEL", "The Netherlands expelled two Iranian diplomats on 7 June 2018.", country="NLD",
                    date="2018-06-07", target=iran, count=2),
              event("a", "EXPEL", "The expulsion was kept quiet.", country="NLD")],
        "b": [event("b", "EXPEL", TEXTS["b"], country="NLD", date="2018-06", target=iran, count=2)],
        "c": [event("c", "RECALL", TEXTS["c"], country="DNK", date="2018-10-30", target=iran),
              event("c", "KILL", TEXTS["c"], country="DNK", status="planned", actor=iran)],
    }  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "review.db")) as opened:
        for doc_id, text in TEXTS.items():
            opened.add_document(Document(doc_id=doc_id, text=text, published="2018-11-01", source=f"outlet-{doc_id}"))
        for doc_id, found in events().items():
            opened.save_extraction(doc_id, "test-1", found)
        merge_store(opened)
        yield opened


def incident_of(store: Store, doc_id: str, type_: str) -> str:
    found = {e.incident_id for e in store.iter_events(scope="all") if e.doc_id == doc_id and e.type == type_}
    assert len(found) == 1
    return str(found.pop())


def exported(store: Store, what: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    export(store, what, "jsonl", out, scope="all")
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_machine_joins_the_reports_and_links_the_recall(store: Store) -> None:
    assert incident_of(store, "a", "EXPEL") == incident_of(store, "b", "EXPEL")
    links = store.list_links(kind="response_to")
    assert [(link["source_id"], link["target_id"]) for link in links] == [
        (incident_of(store, "c", "RECALL"), incident_of(store, "c", "KILL"))
    ]


def test_reject_confirm_and_edit_survive_a_full_rerun_and_exports_apply_them(store: Store) -> None:
    expel, kill = incident_of(store, "a", "EXPEL"), incident_of(store, "c", "KILL")
    review.edit(store, expel, {"date": "2018-06-07", "label": "Dutch expulsion of two Iranians"}, "ana", "letter")
    review.confirm(store, expel, "ana", "checked the minister's letter")
    review.reject(store, kill, "ben", "not a plot")
    merge_store(store, full=True)
    incidents = {record["incident_id"]: record for record in exported(store, "incidents")}
    assert kill not in incidents, "a rejected incident is not exported"
    assert incidents[expel]["review"] == "confirmed" and incidents[expel]["label"] == "Dutch expulsion of two Iranians"
    assert all(record["incident_id"] != kill for record in exported(store, "events"))
    for record in incidents.values():
        validate_record(record, "incident")
    assert incidents[expel]["sources"]["n_documents"] == 2 and incidents[expel]["sources"]["n_independent"] == 2


def test_split_and_merge_decisions_are_reapplied_after_a_rerun(store: Store) -> None:
    expel = incident_of(store, "a", "EXPEL")
    moved = next(e.event_id for e in store.iter_events(scope="all") if e.doc_id == "b")
    review.split(store, expel, [moved], "ana", "another expulsion")
    split_off = incident_of(store, "b", "EXPEL")
    assert split_off != expel
    merge_store(store, full=True)
    assert incident_of(store, "b", "EXPEL") == split_off and incident_of(store, "a", "EXPEL") == expel
    decision = review.merge(store, expel, split_off, "ben", "same expulsion after all")
    merge_store(store, full=True)
    assert incident_of(store, "b", "EXPEL") == expel
    assert store.resolve_incident_id(split_off) == expel
    review.revoke(store, decision, "ben", "changed my mind")
    assert incident_of(store, "b", "EXPEL") == split_off
    listed = review.list_reviews(store)["decisions"]
    assert [(row["action"], row["active"]) for row in listed] == [("split", True), ("merge", False)]


def test_bad_review_requests_say_what_to_do(store: Store) -> None:
    expel = incident_of(store, "a", "EXPEL")
    with pytest.raises(InputError, match="editable"):
        review.edit(store, expel, {"colour": "red"}, "ana")
    with pytest.raises(InputError, match="some, not all"):
        review.split(store, expel, ["ev-nope"], "ana")


def test_cases_and_links_exports_validate(store: Store) -> None:
    for record in exported(store, "links"):
        validate_record(record, "link")
    for record in exported(store, "cases"):
        validate_record(record, "case")
    assert exported(store, "links")
