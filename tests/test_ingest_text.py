"""The plain-text reader: encodings, byte-order marks, titles, empty files."""

from __future__ import annotations

from pathlib import Path

from plotwatch.ingest import MAX_TEXT_CHARS, read_inputs
from plotwatch.models import Document, IngestError

DATA = Path(__file__).parent / "data" / "ingest"


def _one(path: Path, max_chars: int = MAX_TEXT_CHARS) -> Document | IngestError:
    (item,) = read_inputs([str(path)], max_chars=max_chars)
    return item


def test_latin1_file_is_decoded() -> None:
    doc = _one(DATA / "latin1.txt")
    assert isinstance(doc, Document)
    assert doc.doc_id == "latin1" and doc.reader == "text"
    assert doc.title == "Zürich police arrest suspect in plot against journalist"
    assert "José Müller" in doc.text and "Genève" in doc.text
    assert doc.text.startswith(doc.title + "\n\nPolice in Zürich")


def test_utf8_bom_and_crlf_are_removed() -> None:
    doc = _one(DATA / "bom.txt")
    assert isinstance(doc, Document)
    assert doc.title == "Sweden summons ambassador"
    assert doc.text.startswith("Sweden summons ambassador\n\nSweden summoned")
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert doc.origin == str(DATA / "bom.txt")


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Kidnapping in Istanbul\n\nA journalist was seized.".encode("utf-16"))
    doc = _one(path)
    assert isinstance(doc, Document) and doc.title == "Kidnapping in Istanbul"


def test_title_is_the_first_non_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("\n\n   \n  Headline here  \nBody.\n", encoding="utf-8")
    doc = _one(path)
    assert isinstance(doc, Document)
    assert doc.title == "Headline here" and doc.text == "Headline here  \nBody."


def test_empty_file_is_an_error() -> None:
    error = _one(DATA / "empty.txt")
    assert isinstance(error, IngestError)
    assert error.origin == str(DATA / "empty.txt") and "empty" in error.message


def test_whitespace_only_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\xef\xbb\xbf \r\n\t\n")
    assert isinstance(_one(path), IngestError)


def test_text_over_the_cap_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("word " * 20, encoding="utf-8")
    error = _one(path, max_chars=50)
    assert isinstance(error, IngestError)
    assert "99 characters" in error.message and "50-character cap" in error.message


def test_file_over_the_byte_cap_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("word " * 100, encoding="utf-8")
    error = _one(path, max_chars=50)
    assert isinstance(error, IngestError) and "over 400 bytes" in error.message
