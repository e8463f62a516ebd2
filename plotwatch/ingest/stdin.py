"""Standard input ("-"): JSON Lines when it looks like them, else one plain-text document."""

from __future__ import annotations

import codecs
import io
from typing import IO, TYPE_CHECKING

from plotwatch.ingest import jsonl, text

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer


def sniff(stream: IO[bytes], limit: int) -> tuple[str, IO[bytes]]:
    """The reader for ``stream`` and a stream that still starts at its first byte.

    Reads up to the first non-blank line: JSON Lines start with ``{``.
    """
    head: list[bytes] = []
    line = b""
    while not line.strip():
        line = stream.readline(limit)
        if not line:
            break
        head.append(line)
    first = line.removeprefix(codecs.BOM_UTF8).lstrip()
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
