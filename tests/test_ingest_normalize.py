"""Text normalisation and byte decoding shared by the readers."""

from __future__ import annotations

import pytest

from plotwatch.ingest.decode import decode_bytes, looks_binary
from plotwatch.ingest.normalize import iso_date, language_code, normalize_text, paragraphs


def test_normalize_text() -> None:
    assert normalize_text("  e\u0301\r\na\rb\u2028c\x00\x1b\t\x7f\x9fd\n ") == "é\na\nb\nc\td"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-14", "2024-03-14"),
        ("2024-03-14T09:30:00Z", "2024-03-14"),
        ("2024-03-14 09:30", "2024-03-14"),
        ("2024-02-30", None),
        ("14/03/2024", None),
        ("2024-03-14junk", None),
        ("", None),
    ],
)
def test_iso_date(value: str, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_language_code() -> None:
    assert language_code("en-GB") == "en"
    assert language_code("FA_IR") == "fa"
    assert language_code("English") is None


def test_paragraphs() -> None:
    assert paragraphs(" one \n\n\ntwo\nthree ") == "one\n\ntwo\n\nthree"


def test_decode_bytes() -> None:
    assert decode_bytes("Zürich".encode()) == "Zürich"
    assert decode_bytes("Zürich".encode("utf-8-sig")) == "Zürich"
    assert decode_bytes(b"M\xfcnchen", declared="latin-1") == "München"
    assert decode_bytes(bytes(range(32)) * 10) is None
    assert decode_bytes(b"") == ""


def test_one_stray_nul_is_not_binary() -> None:
    assert not looks_binary(b"A long line of ordinary text with one stray\x00 byte in it.")
