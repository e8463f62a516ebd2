"""The store: extractions, events and incidents (on a real database file).

Set PLOTWATCH_TEST_POSTGRES to a scratch PostgreSQL URL (its public schema is
dropped) to run the same tests on PostgreSQL too; .ci/run does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from plotwatch.errors import StoreError
from plotwatch.models import Actor, Document, Event, Evidence, Incident, Perpetrator, Place
from plotwatch.store import Store, open_store
from plotwatch.store.incidents import make_label

TEXTS = {
    "a1": "Dutch authorities expelled two Iranian diplomats. They were suspected of plotting a killing.",
    "a2": "The Netherlands expelled two members of Iran's embassy, the AIVD said.",
    "b1": "A Danish court convicted a Norwegian-Iranian man of plotting to kill a dissident.",
}
PUBLISHED = {"a1": "2018-07-03", "a2": "2018-07-02", "b1": "2019-06-28"}


@pytest.fixture
def store(backend_db: str) -> Iterator[Store]:
    """The three documents of TEXTS in a new database on each backend (see conftest.py)."""
    with open_store(backend_db) as opened:
        for doc_id, text in TEXTS.items():
            url = f"https://example.org/{doc_id}"
            opened.add_document(Document(doc_id, text, url=url, published=PUBLISHED[doc_id]))
        yield opened


def event(doc_id: str, type_: str, trigger: str, **fields: Any) -> Event:
    """An event whose evidence is the first sentence containing ``trigger``."""
    text = TEXTS[doc_id]
    start = text.index(trigger)
    start = text.rfind(". ", 0, start) + 2 if ". " in text[:start] else 0
    end = text.find(".", start) + 1
    evidence = Evidence(text[start:end], start, end)
    return Event(doc_id=doc_id, type=type_, evidence=evidence, trigger=trigger, extractor="test-1", **fields)


def expel(doc_id: str = "a1", **fields: Any) -> Event:
    defaults: dict[str, Any] = {
        "scope": "transnational",
        "date": "2018-06",
        "country": "NLD",
        "actor": Actor(id="NLD", name="Netherlands", state="NLD", kind="state", text="Dutch authorities"),
        "target": Actor(id="IRN", name="Iran", state="IRN", kind="diplomat", text="two Iranian diplomats"),
        "count": 2,
    }
    return event(doc_id, "EXPEL", "expelled", **{**defaults, **fields})


def full_event() -> Event:
    return expel(
        status="actual",
        hedged=True,
        date_end="2018-07",
        place=Place(name="The Hague", lat=52.08, lon=4.31, geonameid=2747373, country="NLD"),
        perpetrators=[Perpetrator("AIVD", "organization"), Perpetrator("Mr. X")],
        victims=["two diplomats"],
        physical_targets=["embassy"],
        weapons=["a handgun"],
        confidence=0.83,
        incident_id="draft-1",
    )


# Extractions


def test_events_come_back_as_they_went_in(store: Store) -> None:
    original = full_event()
    plain = event("a1", "KILL", "killing")
    store.save_extraction("a1", "test-1", [original, plain])
    assert sorted(store.iter_events("all"), key=lambda e: e.event_id) == sorted(
        [original, plain], key=lambda e: e.event_id
    )
    assert store.count_events() == 2


def test_save_extraction_replaces_the_documents_events(store: Store) -> None:
    store.save_extraction("a1", "test-1", [expel("a1"), event("a1", "KILL", "killing")])
    store.save_extraction("a2", "test-1", [expel("a2")])
    store.save_extraction("a1", "test-2", [expel("a1", count=3)])
    by_doc = sorted((e.doc_id, e.type, e.count) for e in store.iter_events("all"))
    assert by_doc == [("a1", "EXPEL", 3), ("a2", "EXPEL", 2)]


def test_save_extraction_records_the_extractor(store: Store) -> None:
    assert not store.is_extracted("a1", "test-1")
    store.save_extraction("a1", "test-1", [])
    assert store.is_extracted("a1", "test-1")
    assert not store.is_extracted("a2", "test-1")
    store.save_extraction("a1", "test-2", [expel()])
    assert store.is_extracted("a1", "test-2")
    assert not store.is_extracted("a1", "test-1")  # the stored events now come from test-2


def test_an_empty_extraction_clears_the_events(store: Store) -> None:
    store.save_extraction("a1", "test-1", [expel()])
    store.save_extraction("a1", "test-1", [])
    assert store.count_events() == 0


def test_a_failed_extraction_leaves_the_old_events(store: Store) -> None:
    store.save_extraction("a2", "test-1", [expel("a2")])
    store.save_extraction("a1", "test-1", [expel("a1")])
    clash = expel("a1", count=9)
    clash.event_id = expel("a2").event_id  # already stored for a2: the insert fails
    with pytest.raises(StoreError, match="a1"):
        store.save_extraction("a1", "test-2", [event("a1", "KILL", "killing"), clash])
    assert sorted((e.doc_id, e.count) for e in store.iter_events("all")) == [("a1", 2), ("a2", 2)]
    assert store.is_extracted("a1", "test-1") and not store.is_extracted("a1", "test-2")


def test_events_of_an_unknown_document_are_refused(store: Store) -> None:
    ghost = Event(doc_id="zz", type="KILL", evidence=Evidence("x", 0, 1))
    with pytest.raises(StoreError, match="zz"):
        store.save_extraction("zz", "test-1", [ghost])
    with pytest.raises(ValueError, match="belongs to document a1"):
        store.save_extraction("a2", "test-1", [expel("a1")])
    with pytest.raises(StoreError, match="twice"):
        store.save_extraction("a1", "test-1", [expel("a1"), expel("a1")])


def test_iter_events_by_scope(store: Store) -> None:
    evs = [
        expel("a1"),
        event("a1", "KILL", "killing", scope="unknown"),
        event("b1", "CONVICT", "convicted", scope="domestic"),
    ]
    for doc_id in ("a1", "b1"):
        store.save_extraction(doc_id, "test-1", [e for e in evs if e.doc_id == doc_id])
    assert {e.scope for e in store.iter_events()} == {"transnational", "unknown"}
    assert {e.scope for e in store.iter_events("transnational")} == {"transnational"}
    assert len(list(store.iter_events("all"))) == 3
    with pytest.raises(ValueError, match="scope"):
        list(store.iter_events("everything"))


def test_event_records_carry_the_documents_url_and_date(store: Store) -> None:
    store.save_extraction("a1", "test-1", [expel()])
    [record] = store.iter_event_records()
    assert record == expel().to_record(store.get_document("a1"))
    assert record["doc_url"] == "https://example.org/a1" and record["published"] == "2018-07-03"


# Incidents


def nld_incident(**fields: Any) -> Incident:
    members = [expel("a1"), expel("a2", date="2018-06-07", date_end="2018-06-12")]
    return Incident("nld-expel", "EXPEL", members, **fields)


def save_all(store: Store) -> None:
    store.save_extraction("a1", "test-1", [expel("a1"), event("a1", "KILL", "killing", country="NLD")])
    store.save_extraction("a2", "test-1", [expel("a2", date="2018-06-07", date_end="2018-06-12")])
    convict = event("b1", "CONVICT", "convicted", country="DNK", date="2019-06", actor=Actor(state="DNK"))
    store.save_extraction("b1", "test-1", [convict])


def test_replace_incidents_computes_the_columns(store: Store) -> None:
    save_all(store)
    store.replace_incidents([nld_incident(confidence=0.9)])
    [row] = store.list_incidents()
    overlay = ("event_ids", "doc_ids", "review", "sources", "links", "case_ids")  # merge-stage fields: test_review_*
    assert {key: value for key, value in row.items() if key not in overlay} == {
        "incident_id": "nld-expel",
        "type": "EXPEL",
        "country": "NLD",
        "date": "2018-06",
        "date_end": "2018-06-12",
        "actor_state": "NLD",
        "target_state": "IRN",
        "n_events": 2,
        "n_documents": 2,
        "confidence": 0.9,
        "first_reported": "2018-07-02",
        "last_reported": "2018-07-03",
        "label": "EXPEL in NLD, 2018-06 (IRN)",
    }
    assert row["doc_ids"] == ["a2", "a1"]  # earliest report first
    assert sorted(row["event_ids"]) == sorted(e.event_id for e in nld_incident().events)


def test_replace_incidents_links_the_events(store: Store) -> None:
    save_all(store)
    store.replace_incidents([nld_incident()])
    linked = {e.event_id: e.incident_id for e in store.iter_events("all")}
    assert linked[expel("a1").event_id] == linked[expel("a2").event_id] == "nld-expel"
    assert list(linked.values()).count(None) == 2


def test_replace_incidents_rewrites_everything(store: Store) -> None:
    save_all(store)
    store.replace_incidents([nld_incident()])
    only_a1 = Incident("a1-only", "EXPEL", [expel("a1")])
    store.replace_incidents([only_a1])
    assert [row["incident_id"] for row in store.list_incidents()] == ["a1-only"]
    assert store.get_incident("nld-expel") is None
    linked = {e.doc_id: e.incident_id for e in store.iter_events("all") if e.type == "EXPEL"}
    assert linked == {"a1": "a1-only", "a2": None}
    store.replace_incidents([])
    assert store.count_incidents() == 0
    assert all(e.incident_id is None for e in store.iter_events("all"))


def test_replace_incidents_refuses_unstored_events(store: Store) -> None:
    save_all(store)
    store.replace_incidents([nld_incident()])
    stray = Incident("stray", "KILL", [event("b1", "KILL", "kill")])
    with pytest.raises(StoreError, match="not stored"):
        store.replace_incidents([stray])
    assert [row["incident_id"] for row in store.list_incidents()] == ["nld-expel"]  # rolled back


def test_an_event_in_two_incidents_is_refused(store: Store) -> None:
    save_all(store)
    twice = [nld_incident(), Incident("other", "EXPEL", [expel("a1")])]
    with pytest.raises(StoreError, match="one incident"):
        store.replace_incidents(twice)


def test_get_incident_has_the_event_records(store: Store) -> None:
    save_all(store)
    store.replace_incidents([nld_incident()])
    incident = store.get_incident("nld-expel")
    assert incident is not None
    assert [e["doc_id"] for e in incident["events"]] == ["a2", "a1"]
    assert all(e["incident_id"] == "nld-expel" for e in incident["events"])
    assert incident["events"][1]["evidence"]["text"] == TEXTS["a1"].split(". ")[0] + "."
    assert store.get_incident("missing") is None


def three_incidents(store: Store) -> None:
    save_all(store)
    kill = [e for e in store.iter_events("all") if e.type == "KILL"]
    convict = [e for e in store.iter_events("all") if e.type == "CONVICT"]
    store.replace_incidents(
        [
            Incident("kill", "KILL", kill),
            nld_incident(),
            Incident("convict", "CONVICT", convict),
        ]
    )


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["nld-expel", "convict", "kill"]),
        ({"type": "EXPEL"}, ["nld-expel"]),
        ({"country": "NLD"}, ["nld-expel", "kill"]),
        ({"actor": "DNK"}, ["convict"]),
        ({"since": "2019"}, ["convict"]),
        ({"since": "2018-06-10"}, ["nld-expel", "convict"]),  # ends 2018-06-12; "kill" has no date
        ({"until": "2018-06"}, ["nld-expel"]),
        ({"until": "2018-05"}, []),
        ({"since": "2018", "until": "2018-12-31"}, ["nld-expel"]),
        ({"limit": 2}, ["nld-expel", "convict"]),
        ({"country": "NLD", "type": "KILL"}, ["kill"]),
    ],
)
def test_list_incidents_filters(store: Store, filters: dict[str, Any], expected: list[str]) -> None:
    three_incidents(store)
    assert [row["incident_id"] for row in store.list_incidents(**filters)] == expected


def test_iter_incident_records_matches_list_incidents(store: Store) -> None:
    three_incidents(store)
    assert list(store.iter_incident_records()) == store.list_incidents()


@pytest.mark.parametrize(
    ("row", "label"),
    [
        ({"type": "EXPEL", "country": "NLD", "date": "2018-06-07", "actor_state": "NLD",
          "target_state": "IRN"}, "EXPEL in NLD, 2018-06 (IRN)"),
        ({"type": "KILL", "country": "NLD", "date": "2015", "actor_state": "IRN", "target_state": None},
         "KILL in NLD, 2015 (IRN)"),
        ({"type": "SANCTION", "country": "EU", "date": None, "actor_state": "EU", "target_state": None},
         "SANCTION in EU"),
        ({"type": "SPY", "country": None, "date": None, "actor_state": None, "target_state": None}, "SPY"),
    ],
)  # fmt: skip
def test_labels(row: dict[str, Any], label: str) -> None:
    assert make_label(row) == label
