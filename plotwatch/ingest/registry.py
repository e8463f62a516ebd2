"""Which reader reads which input: one reader module per kind of file."""

from __future__ import annotations

from plotwatch.ingest import feeds, html, jsonl, tabular, text, urls, warc
from plotwatch.ingest.archives import strip_compression
from plotwatch.ingest.source import Reader

_MODULES = (jsonl, text, html, tabular, feeds, warc, urls)

READERS: dict[str, Reader] = {module.NAME: module.read for module in _MODULES}
"""Reader name (also ``Document.reader``) → reader."""

SUFFIXES: dict[str, str] = {suffix: module.NAME for module in _MODULES for suffix in module.SUFFIXES}
"""File suffix, lower case with its dot → reader name (".warc.gz" is a suffix of its own)."""

UNPACKS_ITSELF = frozenset({warc.NAME})
"""Readers given the file as it is on disk, gzip and all (WARC files are gzipped record by record)."""


def reader_for(name: str) -> str | None:
    """The reader name for a file name, by its suffix (any case, ".gz" looked through); None if unknown."""
    lower = name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return SUFFIXES[suffix]
    inner = strip_compression(lower)
    return reader_for(inner) if inner != lower else None


def stem(name: str) -> str:
    """The file name without its reader's suffix and ".gz": "a.html.gz" → "a", "crawl.warc.gz" → "crawl"."""
    lower = name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lower.endswith(suffix) and len(lower) > len(suffix):
            return name[: -len(suffix)]
    inner = strip_compression(name)
    return stem(inner) if inner != name else name


def known_suffixes() -> str:
    """The suffixes we read, for messages: ".atom, .csv, ... (also .gz of those, and .zip)"."""
    plain = ", ".join(sorted(suffix for suffix in SUFFIXES if not suffix.endswith(".gz")))
    return f"{plain} (each also gzipped, .gz) and .zip"
