"""Which reader reads which input: one reader module per kind of file."""

from __future__ import annotations

from plotwatch.ingest import html, jsonl, text
from plotwatch.ingest.source import Reader

READERS: dict[str, Reader] = {
    jsonl.NAME: jsonl.read,
    text.NAME: text.read,
    html.NAME: html.read,
}
"""Reader name (also ``Document.reader``) → reader."""

SUFFIXES: dict[str, str] = {
    suffix: module.NAME for module in (jsonl, text, html) for suffix in module.SUFFIXES
}
"""File suffix, lower case with its dot → reader name."""


def reader_for(name: str) -> str | None:
    """The reader name for a file name, by its suffix (any case); None if unknown."""
    dot = name.rfind(".")
    return SUFFIXES.get(name[dot:].lower()) if dot > 0 else None


def known_suffixes() -> str:
    """The suffixes we read, for messages: ".htm, .html, .jsonl, .txt"."""
    return ", ".join(sorted(SUFFIXES))
