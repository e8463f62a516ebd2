"""The HTML reader: main text without boilerplate, metadata, bad pages."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from plotwatch.ingest import html, read_inputs
from plotwatch.ingest.html_text import fallback_text
from plotwatch.models import Document, IngestError

DATA = Path(__file__).parent / "data" / "ingest"


def _one(path: Path) -> Document | IngestError:
    (item,) = read_inputs([str(path)])
    return item


def test_article_text_comes_without_boilerplate() -> None:
    doc = _one(DATA / "article.html")
    assert isinstance(doc, Document)
    assert "The Dutch government on Thursday expelled two diplomats" in doc.text
    assert "review the accreditation of diplomats" in doc.text
    for boilerplate in ("Subscribe now", "Most read", "Copyright", "Cookie", "tracking", "font-family"):
        assert boilerplate not in doc.text


def test_article_paragraphs_are_separated_by_blank_lines() -> None:
    doc = _one(DATA / "article.html")
    assert isinstance(doc, Document)
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[1].startswith("The Dutch government") and "\n" not in paragraphs[1]


def test_article_metadata() -> None:
    doc = _one(DATA / "article.html")
    assert isinstance(doc, Document)
    assert doc.doc_id == "article" and doc.reader == "html"
    assert doc.title == "Netherlands expels two diplomats over foiled plot"
    assert doc.published == "2024-03-14"
    assert doc.language == "en"
    assert doc.origin == str(DATA / "article.html")


def test_broken_html_is_read() -> None:
    doc = _one(DATA / "broken.html")
    assert isinstance(doc, Document)
    assert doc.title == "Court hears kidnapping case"
    assert "tried to kidnap a blogger" in doc.text
    assert "\n\nProsecutors said the men acted" in doc.text


def test_binary_file_named_html_is_an_error() -> None:
    error = _one(DATA / "binary.html")
    assert isinstance(error, IngestError)
    assert error.origin == str(DATA / "binary.html") and "binary" in error.message


def test_page_without_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "scripts.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body></body></html>", encoding="utf-8")
    error = _one(path)
    assert isinstance(error, IngestError) and "no article text" in error.message


def test_meta_charset_is_used(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1252"><title>Caf\xe9 raid</title></head>'
    page += (
        "<body><article><p>Police raided a caf\xe9 \u2013 and arrested two men.</p></article></body></html>"
    )
    path = tmp_path / "cp1252.htm"
    path.write_bytes(page.encode("cp1252"))
    doc = _one(path)
    assert isinstance(doc, Document)
    assert doc.title == "Café raid" and doc.text == "Police raided a café – and arrested two men."


def test_lxml_fallback_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "_trafilatura", lambda tree: None)
    page = html.extract((DATA / "article.html").read_text(encoding="utf-8"))
    assert page.title == "Envoy expelled over plot | Example News"  # from <title>
    assert "The Dutch government on Thursday" in page.text
    assert "Subscribe now" not in page.text and "Copyright" not in page.text
    assert page.language == "en"


def test_fallback_text_keeps_blocks_apart() -> None:
    tree = lxml.html.fromstring(
        "<html><body><nav>Menu</nav><h1>Title</h1><p>One <b>bold</b>\n word.</p>"
        "<div>Two<br>lines</div><script>x()</script></body></html>"
    )
    assert fallback_text(tree) == "Title\n\nOne bold word.\n\nTwo\n\nlines"


@pytest.mark.parametrize("markup", ["", "   ", "<", "<html><body><div>" + "<b>" * 3000, "\x00\x01"])
def test_extract_never_raises(markup: str) -> None:
    assert isinstance(html.extract(markup), html.Page)
