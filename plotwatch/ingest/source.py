"""What every reader is given, and the one interface every reader has."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from plotwatch.ingest.limits import MAX_TEXT_CHARS, raw_limit
from plotwatch.ingest.options import IngestOptions
from plotwatch.models import Document, IngestError

if TYPE_CHECKING:
    from plotwatch.ingest.fetch import Fetcher

STDIN_ORIGIN = "<stdin>"


class Context:
    """What one ``read_inputs`` call shares: its options, and one fetcher once a URL comes up."""

    def __init__(self, options: IngestOptions | None = None, fetcher: Fetcher | None = None) -> None:
        self.options = options or IngestOptions()
        self._fetcher = fetcher
        self._own_fetcher = False

    def fetcher(self) -> Fetcher:
        """The batch's fetcher (rate limits and robots.txt are per batch), made on first use."""
        if self._fetcher is None:
            from plotwatch.ingest.fetch import Fetcher

            self._fetcher = Fetcher(self.options.fetch)
            self._own_fetcher = True
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None and self._own_fetcher:
            self._fetcher.close()
            self._fetcher = None


@dataclass(frozen=True)
class Source:
    """One opened input: a file, an archive member, standard input, or a URL's list."""

    origin: str  # the path as the user gave it, "<stdin>", "archive.zip!member" or a URL
    stream: IO[bytes]
    stem: str | None = None  # the file name without its suffixes; None when there is no file name
    max_chars: int = MAX_TEXT_CHARS
    context: Context = field(default_factory=Context)

    @property
    def options(self) -> IngestOptions:
        return self.context.options

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
"""A reader turns one source into documents and errors, and never raises on bad input."""
