"""Compressed inputs (.gz, .zip) read as if they were unpacked, within a size cap.

A gzip file is recognised by its first bytes whatever its name; a zip file's
members are read one after another with the reader their names call for. No
input is ever unpacked past ``IngestOptions.max_decompressed`` bytes: reading
raises ``TooLarge`` there, which the batch reports (zip bombs).
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Protocol

from plotwatch.ingest.limits import too_big_unpacked

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 16


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


class ReadProblem(Exception):
    """An input that cannot be read; the message is the one line the user sees."""


class TooLarge(ReadProblem):
    """An input unpacks to more bytes than allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(too_big_unpacked(limit))


class Capped(io.RawIOBase):
    """A readable stream that raises ``TooLarge`` once more than ``limit`` bytes came out of it."""

    def __init__(self, inner: Readable, limit: int) -> None:
        super().__init__()
        self._inner = inner
        self._limit = limit
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        data = self._inner.read(min(len(view), self._limit - self._count + 1))
        self._count += len(data)
        if self._count > self._limit:
            raise TooLarge(self._limit)
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def capped(inner: Readable, limit: int) -> io.BufferedReader:
    """``inner`` buffered (fast readline), raising ``TooLarge`` past ``limit`` bytes."""
    return io.BufferedReader(Capped(inner, limit), buffer_size=_CHUNK)


def strip_compression(name: str) -> str:
    """A file name without a trailing ``.gz``: "a.html.gz" → "a.html"."""
    return name[:-3] if name.lower().endswith(".gz") and len(name) > 3 else name


def is_zip_name(name: str) -> bool:
    return name.lower().endswith(".zip") and len(name) > 4


@contextmanager
def open_file(path: str, limit: int, *, gunzip: bool = True) -> Iterator[IO[bytes]]:
    """``path`` opened for reading; gzip data (by its magic bytes) comes out unpacked, capped."""
    with open(path, "rb") as raw:
        if gunzip and raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            with capped(gzip.GzipFile(fileobj=raw, mode="rb"), limit) as stream:
                yield stream
        else:
            raw.seek(0)
            yield raw


@contextmanager
def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> Iterator[IO[bytes]]:
    """One zip member, unpacked and capped; a gzip member is unpacked too."""
    if info.file_size > limit:  # the header may lie; Capped checks what really comes out
        raise TooLarge(limit)
    try:
        member = archive.open(info)
    except RuntimeError as exc:  # encrypted
        raise ReadProblem("the member is encrypted; unpack the archive with its password and give the files") from exc
    except NotImplementedError as exc:
        raise ReadProblem(f"the member uses an unsupported compression ({exc}); re-zip it with deflate") from exc
    with capped(member, limit) as stream:
        if stream.peek(2)[:2] == GZIP_MAGIC:
            with capped(gzip.GzipFile(fileobj=stream, mode="rb"), limit) as inner:
                yield inner
        else:
            yield stream


def zip_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's files in name order, without folders and hidden files."""
    members = [info for info in archive.infolist() if not info.is_dir()]
    visible = [info for info in members if not any(part.startswith(".") for part in info.filename.split("/"))]
    return sorted(visible, key=lambda info: info.filename)
