"""Standard input ("-"): JSON Lines, a feed or an HTML page when it looks like one, else one plain-text document."""

from __future__ import annotations

import codecs
import io
from typing import IO, TYPE_CHECKING

from plotwatch.ingest import feeds, html, jsonl, text

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_SNIFF = 1024


def sniff(stream: IO[bytes], limit: int) -> tuple[str, IO[bytes]]:
    """The reader for ``stream`` and a stream that still starts at its first byte.

    Reads up to the first non-blank line: JSON Lines start with ``{``; markup
    starting with ``<`` is a feed when its first kilobyte says so, else a page.
    """
    head: list[bytes] = []
    line = b""
    while not line.strip():
        line = stream.readline(limit)
        if not line:
            break
        head.append(line)
    first = line.removeprefix(codecs.BOM_UTF8).lstrip()
    if first.startswith(b"<"):
        head.append(stream.read(_SNIFF))
        name = feeds.NAME if feeds.looks_like_feed(b"".join(head)[-_SNIFF * 2 :]) else html.NAME
    else:
        name = jsonl.NAME if first.startswith(b"{") else text.NAME
    return name, io.BufferedReader(_Rejoined(b"".join(head), stream))


class _Rejoined(io.RawIOBase):
    """The bytes already read, then the rest of the stream (which stays open)."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            size = min(len(view), len(self._head))
            view[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)
