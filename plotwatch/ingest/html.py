"""Reader for HTML pages (.html, .htm): the article's main text and its metadata.

trafilatura finds the main text (precision not favoured, comments left out),
the title and the publication date (through htmldate, from the page's
metadata only: a date guessed from the article body would be an event date,
not a publication date). The language comes from ``<html lang>``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from plotwatch.ingest.decode import NOT_TEXT, decode_bytes
from plotwatch.ingest.documents import Metadata, build_document
from plotwatch.ingest.html_text import fallback_text
from plotwatch.ingest.limits import too_many_bytes
from plotwatch.ingest.normalize import iso_date, language_code, normalize_line, paragraphs
from plotwatch.ingest.source import Source
from plotwatch.models import Document, IngestError

NAME = "html"
SUFFIXES = (".html", ".htm")
NO_ARTICLE = "no article text found in the page; check that it is an article page, not an index or a script"

TOO_DEEP = (
    "the page's elements nest more than 256 levels deep, past what the HTML parser reads; "
    "an article page never does: check the file, or save the article's text as .txt"
)

_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEAD_BYTES = 4096
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Page:
    """What was found in one HTML page."""

    text: str
    title: str | None = None
    published: str | None = None
    language: str | None = None


def read(source: Source) -> Iterator[Document | IngestError]:
    """The page as one document, its id from the file name."""
    yield _read(source)


def _read(source: Source) -> Document | IngestError:
    data = source.read_all()
    if data is None:
        return IngestError(source.origin, too_many_bytes("the file", source.max_chars))
    options = source.options
    return page_document(
        data, Metadata(doc_id=source.stem), origin=source.origin, max_chars=source.max_chars,
        max_raw_kept=options.max_raw_kept,
    )  # fmt: skip


def page_document(
    data: bytes,
    meta: Metadata,
    *,
    origin: str,
    max_chars: int,
    max_raw_kept: int,
    charset: str | None = None,
) -> Document | IngestError:
    """The page in ``data`` as a document; fields set in ``meta`` win over what the page says.

    ``charset`` is one the transport named (an HTTP Content-Type); without it
    the page's own ``<meta charset>`` is tried, then detection.
    """
    markup = decode_bytes(data, charset or declared_charset(data))
    if markup is None:
        return IngestError(origin, NOT_TEXT)
    if not markup.strip():
        return IngestError(origin, "the page is empty; add the page's HTML or leave it out")
    page = extract(markup)
    if not page.text and too_deep(markup):
        return IngestError(origin, TOO_DEEP)
    meta = replace(
        meta,
        title=meta.title or page.title,
        published=meta.published or page.published,
        language=meta.language or page.language,
    )
    return build_document(
        page.text, meta, origin=origin, reader=NAME, max_chars=max_chars, empty=NO_ARTICLE, raw=data,
        max_raw_kept=max_raw_kept,
    )  # fmt: skip


def too_deep(markup: str) -> bool:
    """Whether the parser gave up on the page because its elements nest too deeply."""
    parser = lxml.html.HTMLParser()
    with contextlib.suppress(ValueError, etree.LxmlError):
        lxml.html.document_fromstring(markup, parser=parser)
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page or XML declaration names in its first bytes."""
    head = data[:_HEAD_BYTES]
    match = _CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def extract(markup: str) -> Page:
    """Main text, title, date and language of a page; never raises on bad HTML."""
    tree = _parse(markup)
    if tree is None:
        return Page(text="")
    found = _trafilatura(tree)
    text = paragraphs(found.text) if found is not None and found.text else ""
    title = found.title if found is not None else None
    date = found.date if found is not None else None
    return Page(
        text=text or fallback_text(tree),
        title=title or _title(tree),
        published=iso_date(date) if date else None,
        language=_language(tree),
    )


def _parse(markup: str) -> Any:
    """An lxml.html tree of the page, or None when nothing can be parsed."""
    try:
        tree = trafilatura.load_html(markup)
        if tree is None:  # trafilatura doubts it is HTML: let lxml have a go
            tree = lxml.html.document_fromstring(markup.encode("utf-8"), parser=_utf8_parser())
    except (ValueError, TypeError, etree.LxmlError):  # empty or hopeless markup
        return None
    return tree


def _utf8_parser() -> Any:
    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def _trafilatura(tree: Any) -> Any:
    """trafilatura's Document for the tree, or None when it found no main text."""
    try:
        return trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            favor_precision=False,
            include_comments=False,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception:  # arbitrary web markup trips third-party bugs: the lxml fallback takes over
        return None


def _title(tree: Any) -> str | None:
    titles = tree.getroottree().getroot().xpath("//title")
    text = normalize_line(titles[0].text_content()) if titles else ""
    return text or None


def _language(tree: Any) -> str | None:
    root = tree.getroottree().getroot()
    tag = root.get("lang") or root.get(_XML_LANG)
    return language_code(tag) if tag else None
