"""The broken-input corpus in one batch with good files: every bad file reported once, every good document stored.

``tests/data/broken/`` (see ``tests/data/make_corpus.py`` and ``broken/EXPECTED``) holds dirty and broken input
of every kind; ``tests/data/sources/`` good input of every kind. The big cases (a 50 MB page, HTML nested
100,000 deep) are written into a temporary folder here rather than committed.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from plotwatch import api, pipeline
from plotwatch.ingest import IngestOptions, read_inputs
from plotwatch.models import Document, IngestError

DATA = Path(__file__).parent / "data"
BROKEN = DATA / "broken"
SOURCES = DATA / "sources"
GOOD_EXTRA = [DATA / "ingest" / "good.jsonl", DATA / "ingest" / "article.html"]  # 3 + 1 documents
OPTIONS = IngestOptions(max_decompressed=8 * 1024 * 1024)  # the committed bombs unpack to 24 MB
_POSITION = re.compile(r"(?:[:#!][^/]*)$")  # ":12", "#record3", "#item2", "!member" after the file name


def manifest(folder: Path) -> dict[str, tuple[int, ...]]:
    rows = (line.split("\t") for line in (folder / "EXPECTED").read_text("utf-8").splitlines())
    return {row[0]: tuple(int(value) for value in row[1:-1]) for row in rows if not row[0].startswith("#")}


def file_of(origin: str) -> str:
    return _POSITION.sub("", origin)


@pytest.fixture(scope="module")
def big_inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A 50 MB page and a page nested 100,000 deep: each must be one clear error."""
    folder = tmp_path_factory.mktemp("big")
    big = folder / "fifty-megabytes.html"
    with big.open("wb") as handle:
        handle.write(b"<html><body><article>")
        chunk = b"<p>" + b"The envoy was expelled after the plot was foiled. " * 200 + b"</p>\n"
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
        handle.write(b"</article></body></html>")
    deep = folder / "nested-deep.html"
    deep.write_bytes(b"<html><body>" + b"<div>" * 100_000 + b"Deep text." + b"</div>" * 100_000 + b"</body></html>")
    return [big, deep]


def test_the_corpus_is_big_enough_and_declared() -> None:
    declared = manifest(BROKEN)
    on_disk = {path.name for path in BROKEN.iterdir() if path.name != "EXPECTED"}
    assert on_disk == set(declared)
    assert len(declared) >= 40
    assert all(errors <= 1 for _docs, errors in declared.values())  # a bad file is reported once


@pytest.mark.parametrize("name", sorted(manifest(BROKEN)))
def test_each_broken_file_gives_what_is_declared(name: str) -> None:
    docs, errors = manifest(BROKEN)[name]
    items = list(read_inputs([str(BROKEN / name)], options=OPTIONS))
    found = [item for item in items if isinstance(item, IngestError)]
    assert (sum(isinstance(item, Document) for item in items), len(found)) == (docs, errors), found
    for error in found:
        assert file_of(error.origin) == str(BROKEN / name)
        assert "this is a bug" not in error.message
        assert "; " in error.message  # what is wrong; what to do


@pytest.mark.model
def test_one_batch_reports_every_bad_file_once_and_stores_every_good_document(
    tmp_path: Path, big_inputs: list[Path]
) -> None:
    broken, good = manifest(BROKEN), manifest(SOURCES)
    db = str(tmp_path / "batch.db")
    paths = [str(BROKEN), str(SOURCES), *map(str, GOOD_EXTRA), *map(str, big_inputs)]
    stats = pipeline.run(paths, db, options=OPTIONS)

    bad_files = {str(BROKEN / name) for name, (_docs, errors) in broken.items() if errors}
    bad_files |= {str(path) for path in big_inputs}
    with sqlite3.connect(db) as con:
        origins = [row[0] for row in con.execute("SELECT origin FROM ingest_errors")]
        stored = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        sighted = con.execute("SELECT COUNT(DISTINCT content_hash) FROM sightings").fetchone()[0]
    assert Counter(map(file_of, origins)) == dict.fromkeys(bad_files, 1)
    expected_docs = sum(docs for docs, _ in broken.values()) + sum(docs for (docs,) in good.values()) + 3 + 1
    assert stats.documents_read == expected_docs
    assert stored == sighted == expected_docs  # every text is different: nothing merged, nothing lost

    listed = api.errors_command(db).splitlines()
    assert len(listed) == len(bad_files)
    assert any("fifty-megabytes.html: the file is over" in line for line in listed)
    assert any("nested-deep.html: the page's elements nest more than 256 levels" in line for line in listed)


def test_a_local_file_named_by_an_external_entity_is_never_read() -> None:
    (doc,) = read_inputs([str(BROKEN / "external-entity.rss")])
    assert isinstance(doc, Document)
    assert "root:" not in doc.text and "/bin/" not in doc.text


def test_hostile_markup_leaves_no_script_in_the_text() -> None:
    (doc,) = read_inputs([str(BROKEN / "hostile-markup.html")])
    assert isinstance(doc, Document)
    assert "alert" not in doc.text and "steal" not in doc.text
    assert "closure of the consulate" in doc.text
