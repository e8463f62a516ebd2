"""Exports: JSON Lines and CSV of events, incidents and documents, read back and validated."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plotwatch.export import DOCUMENT_COLUMNS, export
from plotwatch.export.validate import flat_columns, load_schema, validate_record
from plotwatch.models import Actor, Document, Event, Evidence, Incident, Perpetrator, Place
from plotwatch.store import Store, open_store

TEXT = (
    "Dutch authorities expelled two Iranian diplomats, the ministry said on Thursday. "
    'They were suspected of plotting, "with a handgun", to kill an activist in The Hague.\n'
    "Separately, police arrested a burglar."
)


def span(text: str, sentence_start: str) -> Evidence:
    start = text.index(sentence_start)
    end = text.find(".", start) + 1
    return Evidence(text[start:end], start, end)


def events() -> list[Event]:
    expel = Event(
        doc_id="a1", type="EXPEL", evidence=span(TEXT, "Dutch"), scope="transnational", date="2018-06",
        country="NLD", actor=Actor("NLD", "Netherlands", "NLD", "state", "Dutch authorities"),
        target=Actor("IRN", "Iran", "IRN", "diplomat", "two Iranian diplomats"), count=2,
        confidence=0.9, extractor="test-1", trigger="expelled",
    )  # fmt: skip
    plot = Event(
        doc_id="a1", type="KILL", evidence=span(TEXT, "They"), status="planned", hedged=True,
        country="NLD", place=Place("The Hague", 52.08, 4.31, 2747373, "NLD"),
        actor=Actor(state="IRN", kind="state"), victims=["an activist"], weapons=["a handgun"],
        perpetrators=[Perpetrator("two Iranian diplomats", "person"), Perpetrator("MOIS", "organization")],
        physical_targets=["a café, \"Le Coin\""], extractor="test-1", trigger="kill",
    )  # fmt: skip
    burglary = Event(doc_id="a1", type="ARREST", evidence=span(TEXT, "Separately"), scope="domestic",
                     country="NLD", extractor="test-1", trigger="arrested")  # fmt: skip
    return [expel, plot, burglary]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "plotwatch.db")) as opened:
        doc = Document("a1", TEXT, url="https://example.org/a1", title="Expulsions", published="2018-07-03",
                       language="en", source="Example", origin="in.jsonl:1", reader="jsonl")  # fmt: skip
        opened.add_document(doc)
        opened.add_document(Document("b1", "An unrelated article.", published="2018-07-04"))
        evs = events()
        opened.save_extraction("a1", "test-1", evs)
        opened.replace_incidents([Incident("nld", "EXPEL", evs[:1], 0.8), Incident("plot", "KILL", evs[1:2])])
        yield opened


def run(store: Store, what: str, fmt: str, scope: str = "default") -> tuple[int, str]:
    out = io.StringIO()
    n = export(store, what, fmt, out, scope=scope)
    return n, out.getvalue()


def read_jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def field_schema(schema: dict[str, Any], column: str) -> dict[str, Any]:
    node = schema
    for part in column.split("."):
        node = node["properties"][part]
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def cell_value(cell: str, node: dict[str, Any]) -> Any:
    """A CSV cell back to JSON, by the field's schema type."""
    types = node.get("type", "string")
    types = types if isinstance(types, list) else [types]
    if cell == "" and "null" in types:
        return None
    converters: dict[str, Any] = {
        "integer": int, "number": float, "boolean": lambda v: {"true": True, "false": False}[v],
        "array": json.loads, "string": str,
    }  # fmt: skip
    kind = next((t for t in types if t != "null"), "string")
    return converters[kind](cell)


def read_csv(text: str, kind: str) -> list[dict[str, Any]]:
    """CSV rows back to nested records (the inverse of the export's flattening)."""
    schema = load_schema(kind)
    records = []
    for row in csv.DictReader(io.StringIO(text)):
        record: dict[str, Any] = {}
        for column, cell in row.items():
            *parents, leaf = column.split(".")
            node = record
            for parent in parents:
                node = node.setdefault(parent, {})
            node[leaf] = cell_value(cell, field_schema(schema, column))
        records.append(record)
    return records


# Events


def test_events_jsonl_round_trips_and_validates(store: Store) -> None:
    n, text = run(store, "events", "jsonl")
    records = read_jsonl(text)
    assert n == len(records) == 2
    assert records == list(store.iter_event_records())
    for record in records:
        validate_record(record, "event")
    assert list(records[0])[:5] == ["event_id", "incident_id", "doc_id", "doc_url", "published"]


def test_events_jsonl_are_the_model_records(store: Store) -> None:
    _, text = run(store, "events", "jsonl", scope="all")
    doc = store.get_document("a1")
    expected = {e.event_id: e.to_record(doc) for e in store.iter_events("all")}
    assert {r["event_id"]: r for r in read_jsonl(text)} == expected


def test_events_csv_round_trips_and_validates(store: Store) -> None:
    n, text = run(store, "events", "csv", scope="all")
    header = text.splitlines()[0].split(",")
    assert header == flat_columns("event")
    assert {"place.name", "actor.state", "target.kind", "evidence.start"} <= set(header)
    records = read_csv(text, "event")
    assert n == len(records) == 3
    for record in records:
        validate_record(record, "event")
    assert records == read_jsonl(run(store, "events", "jsonl", scope="all")[1])


def test_events_csv_cells(store: Store) -> None:
    _, text = run(store, "events", "csv", scope="transnational")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["actor.state"] == "NLD" and row["target.kind"] == "diplomat"
    assert row["hedged"] == "false" and row["place.name"] == ""
    assert json.loads(row["victims"]) == [] and row["incident_id"] == "nld"


@pytest.mark.parametrize(("scope", "count"), [("default", 2), ("transnational", 1), ("all", 3)])
def test_events_scope(store: Store, scope: str, count: int) -> None:
    assert run(store, "events", "jsonl", scope=scope)[0] == count
    assert run(store, "events", "csv", scope=scope)[0] == count


# Incidents


def test_incidents_jsonl_round_trips_and_validates(store: Store) -> None:
    n, text = run(store, "incidents", "jsonl")
    records = read_jsonl(text)
    assert n == 2
    assert records == store.list_incidents()
    for record in records:
        validate_record(record, "incident")
    nld = next(r for r in records if r["incident_id"] == "nld")
    assert nld["event_ids"] == [events()[0].event_id] and nld["doc_ids"] == ["a1"]
    assert nld["label"] == "EXPEL in NLD, 2018-06 (IRN)"


def test_incidents_csv_round_trips_and_validates(store: Store) -> None:
    n, text = run(store, "incidents", "csv")
    assert text.splitlines()[0].split(",") == flat_columns("incident")
    records = read_csv(text, "incident")
    assert n == len(records) == 2
    for record in records:
        validate_record(record, "incident")
    assert records == store.list_incidents()


def test_incident_events_validate(store: Store) -> None:
    for row in store.list_incidents():
        incident = store.get_incident(row["incident_id"])
        assert incident is not None
        for record in incident.pop("events"):
            validate_record(record, "event")
        validate_record(incident, "incident")


# Documents


def test_documents_jsonl_has_the_text(store: Store) -> None:
    n, text = run(store, "documents", "jsonl")
    records = read_jsonl(text)
    assert n == 2
    first = records[0]
    assert first["text"] == TEXT and first["length"] == len(TEXT)
    assert first["content_hash"] == Document("a1", TEXT).content_hash
    assert list(first) == [*DOCUMENT_COLUMNS, "text"]


def test_documents_csv_has_no_text(store: Store) -> None:
    n, text = run(store, "documents", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert n == len(rows) == 2
    assert list(rows[0]) == list(DOCUMENT_COLUMNS)
    assert rows[0]["doc_id"] == "a1" and rows[0]["url"] == "https://example.org/a1"
    assert rows[1]["url"] == "" and rows[1]["length"] == str(len("An unrelated article."))


# Usage errors and empty stores


@pytest.mark.parametrize(
    ("what", "fmt", "scope", "message"),
    [("people", "jsonl", "all", "cannot export"), ("events", "xml", "all", "format"),
     ("events", "csv", "domestic-only", "scope")],
)  # fmt: skip
def test_bad_arguments(store: Store, what: str, fmt: str, scope: str, message: str) -> None:
    out = io.StringIO()
    with pytest.raises(ValueError, match=message):
        export(store, what, fmt, out, scope=scope)
    assert out.getvalue() == ""


@pytest.mark.parametrize("what", ["events", "incidents", "documents"])
def test_an_empty_store_exports_a_header_only(tmp_path: Path, what: str) -> None:
    with open_store(str(tmp_path / "empty.db")) as empty:
        assert run(empty, what, "jsonl") == (0, "")
        n, text = run(empty, what, "csv")
    assert n == 0 and text.count("\n") == 1
