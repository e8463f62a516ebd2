"""What every reader is given, and the one interface every reader has."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from plotwatch.ingest.limits import MAX_TEXT_CHARS, raw_limit
from plotwatch.models import Document, IngestError

STDIN_ORIGIN = "<stdin>"


@dataclass(frozen=True)
class Source:
    """One opened input: a file, or standard input."""

    origin: str  # the path as the user gave it, or "<stdin>"
    stream: IO[bytes]
    stem: str | None = None  # the file name without its suffix; None for stdin
    max_chars: int = MAX_TEXT_CHARS

    def at(self, line: int) -> str:
        return f"{self.origin}:{line}"

    def read_all(self) -> bytes | None:
        """The whole input, or None when it is over the size cap."""
        limit = raw_limit(self.max_chars)
        data = self.stream.read(limit + 1)
        return None if len(data) > limit else data

    def lines(self) -> Iterator[tuple[int, bytes | None]]:
        """(line number from 1, line) pairs; the line is None when over the cap."""
        limit = raw_limit(self.max_chars)
        number = 0
        while line := self.stream.readline(limit + 1):
            number += 1
            if len(line) > limit and not line.endswith(b"\n"):
                self._skip_line(limit)
                yield number, None
            else:
                yield number, line

    def _skip_line(self, chunk: int) -> None:
        while part := self.stream.readline(chunk):
            if part.endswith(b"\n"):
                return


Reader = Callable[[Source], Iterator[Document | IngestError]]
"""A reader turns one source into documents and errors, and never raises."""
