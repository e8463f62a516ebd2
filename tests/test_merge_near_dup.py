"""Near-duplicate documents: wire copies republished with small edits are linked to the first copy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plotwatch import pipeline
from plotwatch.merge.near_dup import Signed, find_copies, signature, similarity
from plotwatch.merge.sources import corroboration, parse_registry
from plotwatch.store import open_store

WIRE = (
    "Sweden expels two Iranian diplomats over plot against exiles\n\n"
    "STOCKHOLM, 14 March 2019 - Sweden on Thursday ordered two Iranian diplomats to leave the country within "
    "a week, saying the security service had uncovered a plan to watch and attack members of an exiled "
    "Iranian opposition group living near Gothenburg.\n\n"
    "The foreign ministry said the two men, both accredited to the embassy in Stockholm, had been declared "
    "persona non grata after police detained a third man who had photographed the homes of two activists. "
    "Iran's embassy called the accusations baseless and said it would respond.\n\n"
    "The expulsions are the first by a Nordic country since Denmark recalled its ambassador from Tehran last "
    "year over a similar plot."
)
EDITED = (
    WIRE.replace("Sweden expels", "UPDATE 1-Sweden expels")
    .replace("baseless", "groundless")
    .replace("over a similar plot.", "over a similar plot against an activist.")
    + "\n\nReporting by our correspondent; editing by the news desk."
)
PARAPHRASE = (
    "Two Iranian envoys told to leave Sweden\n\n"
    "The Swedish government has declared a pair of diplomats from Iran's mission unwelcome after its "
    "intelligence agency said Tehran's operatives had planned violence against dissidents in western Sweden. "
    "Officials gave the men seven days to go. Tehran rejected the claims."
)
REGISTRY = parse_registry(json.dumps({"sources": [
    {"name": "Nordic Wire", "domains": ["nordicwire.example"], "owner": "Nordic Wire Group"},
    {"name": "Baltic Daily", "domains": ["balticdaily.example"], "owner": "Nordic Wire Group"},
    {"name": "Harbour Times", "domains": ["harbourtimes.example"], "owner": "Harbour Media",
     "state_affiliated": True, "state": "XXX"},
]}), "test")  # fmt: skip


def test_an_edited_republication_is_a_copy_and_a_paraphrase_is_not() -> None:
    assert similarity(signature(WIRE), signature(EDITED)) >= 0.5
    found = find_copies([], [("wire", WIRE), ("edited", EDITED), ("paraphrase", PARAPHRASE)])
    assert [(item.doc_id, item.copy_of) for item in found] == [
        ("wire", None), ("edited", "wire"), ("paraphrase", None),
    ]  # fmt: skip


def test_a_copy_of_a_copy_points_at_the_first_copy() -> None:
    known = [Signed("wire", signature(WIRE)), Signed("edited", signature(EDITED), copy_of="wire")]
    again = EDITED.replace("groundless", "unfounded")
    assert find_copies(known, [("again", again)])[0].copy_of == "wire"


def test_signatures_are_stable_across_runs() -> None:
    assert signature(WIRE) == signature(WIRE)
    assert len(signature(WIRE)) == 128


def test_copies_count_once_and_owners_count_once() -> None:
    facts = {
        "wire": {"source": "Nordic Wire", "url": None, "copy_of": None},
        "edited": {"source": None, "url": "https://www.harbourtimes.example/world/1", "copy_of": "wire"},
        "sister": {"source": "Baltic Daily", "url": None, "copy_of": None},
        "other": {"source": "Unlisted Gazette", "url": None, "copy_of": None},
    }
    result = corroboration(["wire", "edited", "sister", "other"], facts, REGISTRY)
    assert result["n_documents"] == 4 and result["n_copies"] == 1
    assert result["n_sources"] == 4  # the copy adds an outlet
    assert result["n_independent"] == 2  # Nordic Wire Group (wire, its copy, its sister outlet) and the gazette
    assert result["state_affiliated"] == 1


@pytest.mark.model
def test_pipeline_links_copies_and_they_join_the_originals_incidents(tmp_path: Path) -> None:
    docs = [
        {"id": "w1", "text": WIRE, "published": "2019-03-14", "source": "Nordic Wire"},
        {"id": "w2", "text": EDITED, "published": "2019-03-15", "source": "Harbour Times"},
        {"id": "w3", "text": EDITED.replace("groundless", "unfounded"), "published": "2019-03-15",
         "source": "Baltic Daily"},
        {"id": "p1", "text": PARAPHRASE, "published": "2019-03-16", "source": "Unlisted Gazette"},
    ]  # fmt: skip
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps(doc) + "\n" for doc in docs), "utf-8")
    pipeline.run([str(path)], str(tmp_path / "wire.db"))
    with open_store(str(tmp_path / "wire.db")) as store:
        assert {(row["doc_id"], row["copy_of"]) for row in store.document_copies()} == {("w2", "w1"), ("w3", "w1")}
        events = list(store.iter_events(scope="all"))
        original = {(e.type, e.incident_id) for e in events if e.doc_id == "w1"}
        assert original, "the wire story has events"
        for copy in ("w2", "w3"):
            copied = {(e.type, e.incident_id) for e in events if e.doc_id == copy}
            assert copied <= original, f"{copy}'s events join the incidents of the first copy"
        in_copy = {e.incident_id for e in events if e.doc_id == "w2"}
        shared = in_copy & {e.incident_id for e in events if e.doc_id == "w1"}
        for incident_id in shared:
            assert incident_id is not None
            sources = store.get_corroboration(incident_id)
            assert sources is not None and sources["n_copies"] == 2 and sources["n_sources"] == 3
            assert sources["n_independent"] == 1, "a wire story and its copies are one independent source"
