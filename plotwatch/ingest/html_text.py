"""Plain text from an HTML tree with lxml alone: the fallback when trafilatura finds nothing."""

from __future__ import annotations

import copy
import re
from typing import Any

from plotwatch.ingest.normalize import paragraphs

_WHITESPACE = re.compile(r"\s+")
# lxml refuses to set text with these (a page's "&#1;" parses into one); they are never article text.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Never article text: scripts, styles and the page's navigation furniture.
_DROP = ("head", "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg")
# Elements that end a line: each becomes its own paragraph.
_BLOCKS = (
    "p", "div", "br", "hr", "li", "dd", "dt", "tr", "td", "th", "pre", "blockquote", "figcaption",
    "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "main", "header", "table", "ul", "ol",
)  # fmt: skip


def fallback_text(tree: Any) -> str:
    """The visible text of ``tree`` (an lxml.html element), one paragraph per block."""
    tree = copy.deepcopy(tree)
    for element in list(tree.iter(*_DROP)):
        if element.getparent() is not None:
            element.drop_tree()
    _mark_blocks(tree)
    lines = (" ".join(line.split()) for line in tree.text_content().split("\n"))
    return paragraphs("\n".join(lines))


def _mark_blocks(tree: Any) -> None:
    """Make source line breaks spaces (as HTML does) and end a line at each block."""
    for element in tree.iter():
        element.text = _spaces(element.text)
        element.tail = _spaces(element.tail)
    for element in tree.iter(*_BLOCKS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")


def _spaces(text: str | None) -> str | None:
    return None if text is None else _WHITESPACE.sub(" ", _XML_UNSAFE.sub("", text))
