"""The JSONL reader: the input contract, and one error per bad line."""

from __future__ import annotations

import json
from pathlib import Path

from plotwatch.ingest import MAX_TEXT_CHARS, read_inputs
from plotwatch.models import Document, IngestError, content_hash

DATA = Path(__file__).parent / "data" / "ingest"
GOOD = str(DATA / "good.jsonl")
MIXED = str(DATA / "mixed.jsonl")


def _read(path: str | Path, max_chars: int = MAX_TEXT_CHARS) -> list[Document | IngestError]:
    return list(read_inputs([str(path)], max_chars=max_chars))


def _jsonl(tmp_path: Path, *records: object) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def test_good_file_gives_three_documents_with_their_fields() -> None:
    first, second, third = _read(GOOD)
    assert first == Document(
        doc_id="nl-2024-001",
        text="The Dutch government expelled two diplomats on Thursday.\n\n"
        "Prosecutors said an intelligence service had planned to kill a dissident.",
        url="https://news.example/nl-expels",
        title="Netherlands expels two diplomats",
        published="2024-03-14",  # the time part is cut
        language="en",
        source="Example News",
        origin=f"{GOOD}:1",
        reader="jsonl",
    )
    assert isinstance(second, Document) and isinstance(third, Document)
    assert (second.doc_id, third.doc_id) == ("de-2023-017", "uk-2022-003")
    assert third.origin == f"{GOOD}:3" and third.title is None and third.published is None


def test_html_field_goes_through_the_html_extraction() -> None:
    doc = _read(GOOD)[1]
    assert isinstance(doc, Document)
    assert "<p>" not in doc.text
    assert doc.text.startswith("A court in Berlin convicted a man")
    assert "\n\nThe judges said" in doc.text
    assert doc.title == "Berlin court convicts spy"  # from the page's <title>
    assert doc.published == "2023-11-02" and doc.source == "Example Wire"


def test_every_bad_line_is_one_error_naming_file_and_line() -> None:
    items = _read(MIXED)
    errors = {item.origin: item.message for item in items if isinstance(item, IngestError)}
    assert sorted(errors, key=lambda origin: int(origin.rsplit(":", 1)[1])) == [
        f"{MIXED}:{line}" for line in (2, 3, 5, 6, 7, 9, 10)
    ]
    assert "not valid JSON" in errors[f"{MIXED}:2"]
    assert '"text"' in errors[f"{MIXED}:3"]
    assert "has no text" in errors[f"{MIXED}:5"]
    assert "UTF-8" in errors[f"{MIXED}:6"]
    assert "array" in errors[f"{MIXED}:7"]
    assert "YYYY-MM-DD" in errors[f"{MIXED}:9"] and "14/03/2024" in errors[f"{MIXED}:9"]
    assert '"title"' in errors[f"{MIXED}:10"]
    assert all("\n" not in message for message in errors.values())


def test_good_lines_around_bad_ones_are_still_read() -> None:
    docs = [item for item in _read(MIXED) if isinstance(item, Document)]
    assert [(doc.doc_id, doc.origin) for doc in docs] == [
        ("ok-1", f"{MIXED}:1"),
        ("ok-2", f"{MIXED}:4"),
        ("ok-3", f"{MIXED}:11"),
    ]
    assert docs[2].text == "Norway’s security service said it had foiled a plot."


def test_missing_id_uses_the_content_hash(tmp_path: Path) -> None:
    (doc,) = _read(_jsonl(tmp_path, {"text": "Two  men were\narrested."}))
    assert isinstance(doc, Document)
    assert doc.doc_id == content_hash("Two men were arrested.")


def test_extra_and_null_fields_are_ignored(tmp_path: Path) -> None:
    record = {"id": "a", "text": "Text.", "url": None, "tags": [1, 2], "score": 0.5}
    (doc,) = _read(_jsonl(tmp_path, record))
    assert isinstance(doc, Document) and doc.url is None and doc.text == "Text."


def test_text_is_normalised(tmp_path: Path) -> None:
    record = {
        "id": "n",
        "text": "Cafe\u0301 attack\r\nin Pari\x00s\x07\ufeff\ud800.",
        "title": " A \n title ",
    }
    (doc,) = _read(_jsonl(tmp_path, record))
    assert isinstance(doc, Document)
    assert doc.text == "Café attack\nin Paris."
    assert doc.title == "A title"


def test_a_non_string_id_is_an_error(tmp_path: Path) -> None:
    (error,) = _read(_jsonl(tmp_path, {"id": 17, "text": "Text."}))
    assert isinstance(error, IngestError)
    assert error.origin.endswith("docs.jsonl:1") and '"id"' in error.message


def test_text_over_the_cap_is_an_error_and_the_next_line_is_read(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, {"id": "long", "text": "x" * 60}, {"id": "short", "text": "ok"})
    error, doc = _read(path, max_chars=50)
    assert isinstance(error, IngestError) and "50-character cap" in error.message
    assert "max_chars" in error.message
    assert isinstance(doc, Document) and doc.doc_id == "short"


def test_a_line_over_the_byte_cap_is_skipped_unread(tmp_path: Path) -> None:
    path = _jsonl(tmp_path, {"id": "huge", "text": "x" * 5000}, {"id": "after", "text": "ok"})
    error, doc = _read(path, max_chars=50)
    assert isinstance(error, IngestError)
    assert error.origin == f"{path}:1" and "400 bytes" in error.message
    assert isinstance(doc, Document) and doc.origin == f"{path}:2"


def test_unreadable_json_values_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_bytes(b'{"id": "n", "text": "t", "n": ' + b"1" * 5000 + b"}\n" + b"[" * 100_000 + b"\n")
    items = _read(path)
    assert [type(item) for item in items] == [IngestError, IngestError]
    assert [item.origin for item in items] == [f"{path}:1", f"{path}:2"]
