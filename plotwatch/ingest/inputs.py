"""From the paths the user gave to the inputs to read: files, folders, stdin."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from plotwatch.ingest.limits import raw_limit
from plotwatch.ingest.registry import known_suffixes, reader_for
from plotwatch.ingest.source import STDIN_ORIGIN
from plotwatch.ingest.stdin import sniff
from plotwatch.models import IngestError

STDIN_PATH = "-"


@dataclass(frozen=True)
class Input:
    """One input to read, not yet opened."""

    origin: str
    reader: str
    open: Callable[[], AbstractContextManager[IO[bytes]]]
    stem: str | None = None


def expand(paths: Sequence[str], stdin: IO[bytes] | None, max_chars: int) -> Iterator[Input | IngestError]:
    """The inputs behind ``paths``, in order; a path that cannot be read is an error."""
    stdin_read = False
    for path in paths:
        if path == STDIN_PATH:
            yield _stdin(stdin, max_chars) if not stdin_read else _stdin_again()
            stdin_read = True
        elif os.path.isdir(path):
            yield from _folder(path)
        else:
            yield _file(path)


def _file(path: str) -> Input | IngestError:
    if not os.path.exists(path):
        return IngestError(path, "no such file or folder; check the path")
    reader = reader_for(os.path.basename(path))
    if reader is None:
        suffix = Path(path).suffix or "no suffix"
        return IngestError(path, f"unknown file type ({suffix}); plotwatch reads {known_suffixes()} files")
    return Input(origin=path, reader=reader, open=lambda: open(path, "rb"), stem=Path(path).stem)


def _folder(folder: str) -> Iterator[Input | IngestError]:
    found = False
    for path in walk(folder):
        reader = reader_for(os.path.basename(path))
        if reader is not None:
            found = True
            yield Input(origin=path, reader=reader, open=_opener(path), stem=Path(path).stem)
    if not found:
        yield IngestError(folder, f"the folder holds no {known_suffixes()} files; check the path")


def _opener(path: str) -> Callable[[], AbstractContextManager[IO[bytes]]]:
    return lambda: open(path, "rb")


def walk(folder: str) -> list[str]:
    """Every file under ``folder``, sorted by path; hidden files and folders left out."""
    files: list[tuple[str, ...]] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        relative = Path(root).relative_to(folder).parts
        files.extend((*relative, name) for name in names if not name.startswith("."))
    return [os.path.join(folder, *parts) for parts in sorted(files)]


def _stdin(stdin: IO[bytes] | None, max_chars: int) -> Input:
    stream = stdin if stdin is not None else sys.stdin.buffer
    reader, rejoined = sniff(stream, raw_limit(max_chars))
    return Input(origin=STDIN_ORIGIN, reader=reader, open=lambda: contextlib.nullcontext(rejoined))


def _stdin_again() -> IngestError:
    return IngestError(STDIN_ORIGIN, 'standard input ("-") was given twice; give it once')
