"""Property-based tests: whatever bytes a file holds, under whatever name, reading never crashes a batch.

Each reader gets arbitrary bytes, bytes that start like its format (so parsing goes deep), and good files cut
or corrupted at random places. Every result must be a Document or an IngestError that is not a "bug" error,
and a good file read in the same batch is still read. No example reaches the network: the batch's fetcher
answers every URL from memory.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plotwatch.ingest import IngestOptions, read_inputs
from plotwatch.ingest.fetch import Fetcher
from plotwatch.ingest.source import Context
from plotwatch.models import Document, IngestError

SOURCES = Path(__file__).parent / "data" / "sources"
SUFFIXES = [".txt", ".html", ".jsonl", ".csv", ".tsv", ".rss", ".atom", ".xml", ".warc", ".warc.gz", ".html.gz",
            ".jsonl.gz", ".zip", ".urls"]  # fmt: skip
PREFIXES = [
    b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\x1f\x8b\x08\x00\x00\x00\x00\x00", b"PK\x03\x04\x14\x00",
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: 60\r\n\r\n"
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
    b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>t</title><description>',
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">',
    b"<!DOCTYPE html><html><head><meta charset='", b"<html><body><article><p>",
    b'{"id": "p", "text": "', b"id,title,text\n", b"text\tpublished\n", b"http://127.0.0.1:9/",
]  # fmt: skip
GOOD = sorted(path for path in SOURCES.iterdir() if path.name != "EXPECTED")
GOOD_TEXT = b"A court in Vienna convicted a man of spying on exiles."
BUG = "this is a bug"
EXAMPLES = int(os.environ.get("PLOTWATCH_PROPERTY_EXAMPLES", "40"))  # raise it for a long hunt
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def offline_context() -> Context:
    """Fetches answer 404 from memory: nothing leaves the process."""
    transport = httpx.MockTransport(lambda request: httpx.Response(404, text="no network in tests"))
    options = IngestOptions(max_decompressed=2_000_000, max_chars=200_000)
    return Context(options, Fetcher(options.fetch, transport=transport, sleep=lambda _s: None))


def read_batch(files: list[tuple[str, bytes]]) -> list[Document | IngestError]:
    """Write the files (and one good text) into a folder and read it as one batch."""
    with tempfile.TemporaryDirectory(prefix="plotwatch-prop-") as folder:
        for number, (suffix, data) in enumerate(files):
            Path(folder, f"f{number}{suffix}").write_bytes(data)
        Path(folder, "zz-good.txt").write_bytes(GOOD_TEXT)
        context = offline_context()
        try:
            items = list(read_inputs([folder], options=context.options, context=context))
        finally:
            context.fetcher().close()
        return [_relative(item, folder) for item in items]


def _relative(item: Document | IngestError, folder: str) -> Document | IngestError:
    assert item.origin is not None
    assert item.origin.startswith(folder + os.sep) or item.origin.startswith("http"), item.origin
    return item


def check(items: list[Document | IngestError]) -> None:
    for item in items:
        assert isinstance(item, Document | IngestError)
        if isinstance(item, IngestError):
            assert BUG not in item.message, item
            assert item.message and "\n" not in item.message
        else:
            assert item.text.strip() and item.doc_id
    last = items[-1]
    assert isinstance(last, Document) and last.text == GOOD_TEXT.decode()  # the batch went on to the end


@PROPERTY
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=4096))
def test_arbitrary_bytes_never_crash_a_batch(suffix: str, data: bytes) -> None:
    check(read_batch([(suffix, data)]))


@PROPERTY
@given(suffix=st.sampled_from(SUFFIXES), prefix=st.sampled_from(PREFIXES), data=st.binary(max_size=2048))
def test_bytes_that_start_like_a_format_never_crash_a_batch(suffix: str, prefix: bytes, data: bytes) -> None:
    check(read_batch([(suffix, prefix + data)]))


@PROPERTY
@given(good=st.sampled_from(GOOD), cut=st.floats(0, 1), junk=st.binary(max_size=64), at=st.floats(0, 1))
def test_good_files_cut_or_corrupted_anywhere_never_crash_a_batch(good: Path, cut: float, junk: bytes,
                                                                  at: float) -> None:  # fmt: skip
    data = good.read_bytes()
    data = data[: int(len(data) * cut)]
    where = int(len(data) * at)
    damaged = data[:where] + junk + data[where + len(junk):]
    suffix = "".join(good.suffixes)
    check(read_batch([(suffix, damaged)]))


@PROPERTY
@given(files=st.lists(st.tuples(st.sampled_from(SUFFIXES), st.binary(max_size=512)), min_size=2, max_size=6))
def test_many_bad_files_in_one_batch(files: list[tuple[str, bytes]]) -> None:
    check(read_batch(files))


@PROPERTY
@given(text=st.text(max_size=300))
def test_any_text_in_any_encoding_is_read_or_reported(text: str) -> None:
    for encoding in ("utf-8", "utf-16", "latin-1", "cp1252"):
        data = text.encode(encoding, errors="replace")
        check(read_batch([(".txt", data), (".html", b"<p>" + data + b"</p>")]))
