"""The readers for CSV, RSS/Atom, WARC and compressed inputs, on the good corpus and hand-made files."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from plotwatch.ingest import CsvOptions, IngestOptions, read_inputs
from plotwatch.ingest.options import parse_columns
from plotwatch.ingest.registry import reader_for, stem
from plotwatch.models import Document, IngestError

SOURCES = Path(__file__).parent / "data" / "sources"
BROKEN = Path(__file__).parent / "data" / "broken"


def _docs(path: Path | str, options: IngestOptions | None = None) -> list[Document]:
    items = list(read_inputs([str(path)], options=options))
    assert all(isinstance(item, Document) for item in items), items
    return [item for item in items if isinstance(item, Document)]


def test_every_good_source_reads_without_errors() -> None:
    expected = {}
    for line in (SOURCES / "EXPECTED").read_text("utf-8").splitlines():
        if not line.startswith("#"):
            name, docs, _what = line.split("\t")
            expected[name] = int(docs)
    assert {name: len(_docs(SOURCES / name)) for name in expected} == expected


@pytest.mark.parametrize(
    ("name", "reader", "file_stem"),
    [("a.csv", "csv", "a"), ("a.TSV", "csv", "a"), ("x.rss", "feed", "x"), ("x.atom", "feed", "x"),
     ("x.xml", "feed", "x"), ("c.warc", "warc", "c"), ("c.warc.gz", "warc", "c"), ("p.html.gz", "html", "p"),
     ("l.jsonl.gz", "jsonl", "l"), ("links.urls", "url", "links"), ("data.tar.gz", None, "data.tar"),
     ("x.gz", None, "x")],
)  # fmt: skip
def test_suffixes_pick_readers(name: str, reader: str | None, file_stem: str) -> None:
    assert reader_for(name) == reader
    assert stem(name) == file_stem


# CSV -------------------------------------------------------------------------------------------------------


def test_csv_columns_are_found_by_their_usual_names() -> None:
    first = _docs(SOURCES / "wire.csv")[0]
    assert first.doc_id == "wire-1" and first.title == "Wire 1" and first.published == "2024-03-01"
    assert first.url == "https://wire.example/1" and first.source == "Wire" and first.reader == "csv"
    assert first.origin == f"{SOURCES / 'wire.csv'}:2"


def test_tsv_dates_in_email_form_and_ids_from_the_text() -> None:
    first, second = _docs(SOURCES / "monitor.tsv")
    assert first.published == "2024-03-05" and first.source == "Monitor"
    assert len(first.doc_id) == 64 and first.doc_id != second.doc_id  # no id column: content hashes
    assert second.origin == f"{SOURCES / 'monitor.tsv'}:5"  # the first row's text spans lines 2 to 4


def test_csv_column_mapping_option(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Ref;Kop;Tekst;Datum\nn1;Uitzetting;De ambassadeur werd ontboden.;2024-02-01\n", "utf-8")
    options = IngestOptions(csv=CsvOptions(columns=parse_columns(["id=Ref", "title=Kop", "text=Tekst",
                                                                   "published=Datum"])))  # fmt: skip
    (doc,) = _docs(path, options)
    assert (doc.doc_id, doc.title, doc.text, doc.published) == ("n1", "Uitzetting", "De ambassadeur werd ontboden.",
                                                                "2024-02-01")  # fmt: skip


def test_a_mapped_column_that_is_missing_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("id,text\n1,Some text.\n", "utf-8")
    options = IngestOptions(csv=CsvOptions(columns={"text": "body"}))
    (error,) = read_inputs([str(path)], options=options)
    assert isinstance(error, IngestError) and 'no column "body"' in error.message and "id, text" in error.message


def test_csv_html_column_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "pages.csv"
    path.write_text('id,html\np1,"<html><head><title>T</title></head><body><p>The envoy left.</p></body></html>"\n',
                    "utf-8")  # fmt: skip
    (doc,) = _docs(path)
    assert doc.text == "The envoy left." and doc.title == "T"


def test_csv_delimiter_option(tmp_path: Path) -> None:
    path = tmp_path / "pipes.csv"
    path.write_text("id|text\np1|The envoy, it was said, left.\n", "utf-8")
    (doc,) = _docs(path, IngestOptions(csv=CsvOptions(delimiter="|")))
    assert doc.text == "The envoy, it was said, left."


@pytest.mark.parametrize("bad", ["text", "text=", "colour=red", "=body"])
def test_bad_column_mappings_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        parse_columns([bad])


# Feeds -----------------------------------------------------------------------------------------------------


def test_rss_items_become_documents_with_feed_metadata() -> None:
    first, second = _docs(SOURCES / "world.rss")
    assert first.title == "Item 11" and first.url == "https://news.example/item/11"
    assert first.published == "2024-03-05" and first.source == "Example Wire" and first.reader == "feed"
    assert "\n\n" in first.text and "<p>" not in first.text  # the HTML description, as paragraphs
    assert first.origin == f"{SOURCES / 'world.rss'}#item1" and second.origin.endswith("#item2")
    assert len(first.doc_id) == 64  # content hash: the same article from two feeds is one document


def test_atom_entries() -> None:
    first, _ = _docs(SOURCES / "europe.atom")
    assert first.title == "Entry 21" and first.url == "https://news.example/entry/21"
    assert first.published == "2024-03-05" and first.source == "Example Atom"


def test_feed_entries_without_dates_are_kept_undated() -> None:
    docs = _docs(BROKEN / "missing-dates.atom")
    assert [doc.published for doc in docs] == [None, None]


# WARC ------------------------------------------------------------------------------------------------------


def test_warc_reads_html_responses_only_with_capture_dates() -> None:
    first, second = _docs(SOURCES / "crawl.warc.gz")
    assert first.reader == "warc" and first.http_status == 200
    assert first.fetched_at == "2024-03-10T08:00:00Z" and second.fetched_at == "2024-03-13T08:00:00Z"
    assert first.url is not None and first.url.startswith("https://news.example/warc/")
    assert first.origin == f"{SOURCES / 'crawl.warc.gz'}#record1" and second.origin.endswith("#record4")
    assert first.raw is not None and first.raw.startswith(b"<!DOCTYPE html>")


def test_an_uncompressed_warc_reads_the_same(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    with gzip.open(SOURCES / "crawl.warc.gz", "rb") as packed:  # multi-member gzip: one member per record
        plain.write_bytes(packed.read())
    assert [doc.text for doc in _docs(plain)] == [doc.text for doc in _docs(SOURCES / "crawl.warc.gz")]


# Compressed inputs -----------------------------------------------------------------------------------------


def test_zip_members_are_read_by_their_own_readers() -> None:
    docs = _docs(SOURCES / "bundle.zip")
    assert [doc.origin for doc in docs] == [
        f"{SOURCES / 'bundle.zip'}!bundle/more.jsonl:1",
        f"{SOURCES / 'bundle.zip'}!bundle/note.txt",
        f"{SOURCES / 'bundle.zip'}!bundle/page.html",
    ]  # readme.md is not read
    assert [doc.doc_id for doc in docs] == ["bundle-1", "note", "page"]


def test_gzipped_files_are_read_through_and_named_without_gz() -> None:
    (doc,) = _docs(SOURCES / "saved-page.html.gz")
    assert doc.doc_id == "saved-page" and doc.reader == "html" and doc.title == "Saved"


def test_gzip_is_recognised_by_its_bytes_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(gzip.compress(b"The consul was expelled."))
    (doc,) = _docs(path)
    assert doc.text == "The consul was expelled."


def test_a_gzipped_member_inside_a_zip(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("day/one.jsonl.gz", gzip.compress(b'{"id": "z1", "text": "Envoy summoned."}\n'))
    path = tmp_path / "days.zip"
    path.write_bytes(buffer.getvalue())
    (doc,) = _docs(path)
    assert doc.doc_id == "z1" and doc.origin == f"{path}!day/one.jsonl.gz:1"


def test_the_unpacked_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"id": "n", "text": "Envoy summoned."}\n' * 10_000))
    items = list(read_inputs([str(path)], options=IngestOptions(max_decompressed=100_000)))
    *docs, error = items
    assert all(isinstance(doc, Document) for doc in docs) and 0 < len(docs) < 10_000  # what came first is kept
    assert isinstance(error, IngestError) and "unpacks to more than 100,000 bytes" in error.message


def test_a_folder_picks_up_compressed_and_archived_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(b"First."))
    (tmp_path / "b.tar.gz").write_bytes(b"not read")
    with zipfile.ZipFile(tmp_path / "c.zip", "w") as archive:
        archive.writestr("inner.txt", "Second.")
    assert [doc.text for doc in _docs(tmp_path)] == ["First.", "Second."]


def test_standard_input_may_be_a_page_or_a_feed() -> None:
    page = b"<!DOCTYPE html><html><head><title>Piped</title></head><body><p>The envoy left Oslo.</p></body></html>"
    (doc,) = read_inputs(["-"], stdin=io.BytesIO(page))
    assert isinstance(doc, Document) and doc.reader == "html" and doc.title == "Piped"
    (item, _) = read_inputs(["-"], stdin=io.BytesIO((SOURCES / "world.rss").read_bytes()))
    assert isinstance(item, Document) and item.reader == "feed" and item.origin == "<stdin>#item1"


def test_cli_refuses_a_bad_column_mapping(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from plotwatch.cli import app
    from plotwatch.errors import InputError

    result = CliRunner().invoke(app, ["run", str(SOURCES / "wire.csv"), "--db", str(tmp_path / "x.db"),
                                      "--csv-column", "body"])  # fmt: skip
    assert isinstance(result.exception, InputError) and "FIELD=COLUMN" in str(result.exception)
    assert CliRunner().invoke(app, ["watch", "--help"]).exit_code == 0


def test_a_url_with_control_characters_is_one_clear_error(tmp_path: Path) -> None:
    urls = tmp_path / "list.urls"
    urls.write_bytes(b"https://news.exa\x00mple/a\nnot a url\n")
    items = list(read_inputs([str(urls)]))
    assert all(isinstance(item, IngestError) for item in items) and len(items) == 2
    assert "control characters" in items[0].message and items[0].origin.endswith("list.urls:1")
