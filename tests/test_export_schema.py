"""The JSON Schemas of the export records: valid, in step with models.py, and strict."""

from __future__ import annotations

import copy
from typing import Any, get_args

import jsonschema
import pytest

from plotwatch.export.validate import KINDS, flat_columns, load_schema, validate_record
from plotwatch.models import EVENT_TYPES, Actor, Document, Event, Evidence, Place, Scope, Status

TEXT = "Dutch authorities expelled two Iranian diplomats."


def record() -> dict[str, Any]:
    doc = Document("a1", TEXT, url="https://example.org/a1", published="2018-07-03")
    event = Event(
        doc_id="a1", type="EXPEL", evidence=Evidence(TEXT, 0, len(TEXT)), scope="transnational",
        date="2018-06", country="NLD", place=Place("The Hague", 52.08, 4.31, 2747373, "NLD"),
        actor=Actor("NLD", "Netherlands", "NLD", "state", "Dutch authorities"),
        target=Actor("IRN", "Iran", "IRN", "diplomat", "two Iranian diplomats"), count=2,
        confidence=0.9, extractor="test-1", trigger="expelled", incident_id="nld-2018",
    )  # fmt: skip
    return event.to_record(doc)


def incident() -> dict[str, Any]:
    return {
        "incident_id": "nld-2018", "type": "EXPEL", "country": "NLD", "date": "2018-06",
        "date_end": "2018-06-12", "actor_state": "NLD", "target_state": "IRN", "n_events": 2,
        "n_documents": 2, "confidence": 0.8, "first_reported": "2018-07-02",
        "last_reported": "2018-07-03", "label": "EXPEL in NLD, 2018-06 (IRN)",
        "event_ids": ["ev-1", "ev-2"], "doc_ids": ["a1", "a2"], "review": "unreviewed",
        "sources": {"n_documents": 2, "n_copies": 0, "n_sources": 2, "n_independent": 2, "state_affiliated": 0,
                    "sources": []},
        "links": [], "case_ids": [],
    }  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_the_schemas_are_valid_draft_2020_12(kind: str) -> None:
    schema = load_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_event_schema_follows_the_model() -> None:
    schema = load_schema("event")
    properties = schema["properties"]
    assert set(schema["required"]) == set(properties) == set(record())
    assert properties["type"]["enum"] == list(EVENT_TYPES)
    assert properties["status"]["enum"] == list(get_args(Status))
    assert properties["scope"]["enum"] == list(get_args(Scope))
    assert load_schema("incident")["properties"]["type"]["enum"] == list(EVENT_TYPES)


def test_the_csv_columns_come_from_the_schema() -> None:
    columns = flat_columns("event")
    assert columns[:5] == ["event_id", "incident_id", "doc_id", "doc_url", "published"]
    assert "place.geonameid" in columns and "target.text" in columns and "evidence.end" in columns
    assert "place" not in columns and "trigger" not in columns


def test_a_model_record_is_valid() -> None:
    validate_record(record(), "event")
    bare = Event(doc_id="a1", type="SPY", evidence=Evidence(TEXT, 0, len(TEXT))).to_record(None)
    validate_record(bare, "event")
    validate_record(incident(), "incident")


def changed(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    result = copy.deepcopy(base)
    *parents, leaf = path.split(".")
    node = result
    for parent in parents:
        node = node[parent]
    if value is KeyError:
        del node[leaf]
    else:
        node[leaf] = value
    return result


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("type", "MURDER"), ("status", "alleged"), ("scope", "global"), ("hedged", "yes"),
        ("date", "2018-6"), ("date", "06/2018"), ("date_end", "2018-06-1"), ("published", "July 2018"),
        ("country", "NL"), ("country", "nld"), ("country", "NLDX"), ("actor.state", "Iran"),
        ("count", -1), ("count", 2.5), ("confidence", 1.5), ("confidence", -0.1),
        ("place.lat", 91), ("place.country", "NLD"), ("actor.role", "x"),
        ("perpetrators", [{"text": "MOIS", "kind": "agency"}]), ("perpetrators", ["MOIS"]),
        ("victims", [None]), ("weapons", "a gun"),
        ("evidence", KeyError), ("evidence.start", KeyError), ("evidence.text", None),
        ("extractor", None), ("trigger", "expelled"), ("event_id", KeyError), ("doc_url", KeyError),
    ],
)  # fmt: skip
def test_a_broken_event_record_is_refused(path: str, value: Any) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate_record(changed(record(), path, value), "event")


@pytest.mark.parametrize(("path", "value"), [("country", "EU"), ("actor.state", "EU"), ("date", "2018"),
                                             ("date", None), ("count", 0), ("place.lat", None)])  # fmt: skip
def test_edge_values_are_accepted(path: str, value: Any) -> None:
    validate_record(changed(record(), path, value), "event")


@pytest.mark.parametrize(
    ("path", "value"),
    [("type", "PLOT"), ("n_events", -1), ("event_ids", "ev-1"), ("event_ids", ["ev-1", "ev-1"]),
     ("label", None), ("events", []), ("first_reported", "yesterday"), ("target_state", "ir")],
)  # fmt: skip
def test_a_broken_incident_record_is_refused(path: str, value: Any) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate_record(changed(incident(), path, value), "incident")


def test_an_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="record kind"):
        validate_record({}, "document")
