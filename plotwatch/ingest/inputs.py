"""From the paths the user gave to the inputs to read: files, folders, archives, URLs, stdin."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from plotwatch.ingest import urls
from plotwatch.ingest.archives import is_zip_name, open_file
from plotwatch.ingest.limits import raw_limit
from plotwatch.ingest.registry import UNPACKS_ITSELF, known_suffixes, reader_for, stem
from plotwatch.ingest.source import STDIN_ORIGIN
from plotwatch.ingest.stdin import sniff
from plotwatch.models import IngestError

STDIN_PATH = "-"
ZIP = "zip"
"""The pseudo-reader of zip archives: their members are inputs of their own."""

Opener = Callable[[], AbstractContextManager[IO[bytes]]]


@dataclass(frozen=True)
class Input:
    """One input to read, not yet opened."""

    origin: str
    reader: str
    open: Opener
    stem: str | None = None


def expand(
    paths: Sequence[str], stdin: IO[bytes] | None, max_chars: int, max_unpacked: int
) -> Iterator[Input | IngestError]:
    """The inputs behind ``paths``, in order; a path that cannot be read is an error."""
    stdin_read = False
    for path in paths:
        if path == STDIN_PATH:
            yield _stdin(stdin, max_chars) if not stdin_read else _stdin_again()
            stdin_read = True
        elif urls.is_url(path):
            yield _url(path)
        elif os.path.isdir(path):
            yield from _folder(path, max_unpacked)
        else:
            yield _file(path, max_unpacked)


def _file(path: str, max_unpacked: int) -> Input | IngestError:
    if not os.path.exists(path):
        return IngestError(path, "no such file or folder; check the path")
    found = _input(path, max_unpacked)
    if found is None:
        suffix = Path(path).suffix or "no suffix"
        return IngestError(path, f"unknown file type ({suffix}); plotwatch reads {known_suffixes()} files")
    return found


def _input(path: str, max_unpacked: int) -> Input | None:
    """The input for a file by its name, or None when no reader reads such files."""
    name = os.path.basename(path)
    if is_zip_name(name):
        return Input(origin=path, reader=ZIP, open=_opener(path, max_unpacked, gunzip=False))
    reader = reader_for(name)
    if reader is None:
        return None
    gunzip = reader not in UNPACKS_ITSELF
    return Input(origin=path, reader=reader, open=_opener(path, max_unpacked, gunzip=gunzip), stem=stem(name))


def _folder(folder: str, max_unpacked: int) -> Iterator[Input | IngestError]:
    found = False
    for path in walk(folder):
        item = _input(path, max_unpacked)
        if item is not None:
            found = True
            yield item
    if not found:
        yield IngestError(folder, f"the folder holds no {known_suffixes()} files; check the path")


def _opener(path: str, max_unpacked: int, *, gunzip: bool) -> Opener:
    return lambda: open_file(path, max_unpacked, gunzip=gunzip)


def _url(url: str) -> Input:
    """A URL on the command line: a URL list of one."""
    return Input(origin=url, reader=urls.NAME, open=lambda: contextlib.nullcontext(io.BytesIO(url.encode())))


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
