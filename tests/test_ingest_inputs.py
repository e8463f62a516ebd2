"""read_inputs: paths, folders, standard input, and order of results."""

from __future__ import annotations

import io
from pathlib import Path

from plotwatch.ingest import read_inputs
from plotwatch.models import Document, IngestError

DATA = Path(__file__).parent / "data" / "ingest"
TREE = DATA / "tree"


def _origins(items: list[Document | IngestError]) -> list[str | None]:
    return [item.origin for item in items]


def test_folder_is_walked_recursively_in_sorted_order() -> None:
    items = list(read_inputs([str(TREE)]))
    assert all(isinstance(item, Document) for item in items)
    assert _origins(items) == [
        f"{TREE}/a.txt",
        f"{TREE}/sub/b.html",
        f"{TREE}/sub/c.jsonl:1",
        f"{TREE}/sub/c.jsonl:2",
        f"{TREE}/z.txt",
    ]  # notes.md (unknown suffix) and .hidden.txt are left out
    assert [item.reader for item in items if isinstance(item, Document)] == [
        "text",
        "html",
        "jsonl",
        "jsonl",
        "text",
    ]


def test_results_keep_input_order_and_bad_inputs_do_not_stop_the_batch(tmp_path: Path) -> None:
    unknown = tmp_path / "report.pdf"
    unknown.write_bytes(b"%PDF-1.4")
    missing = tmp_path / "missing.txt"
    paths = [str(DATA / "empty.txt"), str(missing), str(unknown), str(DATA / "bom.txt")]
    items = list(read_inputs(paths))
    assert _origins(items) == paths
    assert [type(item) for item in items] == [IngestError, IngestError, IngestError, Document]
    assert isinstance(items[1], IngestError) and "no such file" in items[1].message
    assert isinstance(items[2], IngestError) and ".pdf" in items[2].message and ".jsonl" in items[2].message


def test_whole_fixture_batch_reads_every_good_document() -> None:
    names = ["good.jsonl", "mixed.jsonl", "latin1.txt", "bom.txt", "article.html", "broken.html"]
    names += ["empty.txt", "binary.html"]
    items = list(read_inputs([str(DATA / name) for name in names]))
    docs = [item for item in items if isinstance(item, Document)]
    errors = [item for item in items if isinstance(item, IngestError)]
    assert len(docs) == 3 + 3 + 4
    assert len(errors) == 7 + 2


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("nothing to read", encoding="utf-8")
    (error,) = read_inputs([str(tmp_path)])
    assert isinstance(error, IngestError) and error.origin == str(tmp_path)


def test_suffixes_match_in_any_case(tmp_path: Path) -> None:
    path = tmp_path / "LOUD.TXT"
    path.write_text("Loud news.", encoding="utf-8")
    (doc,) = read_inputs([str(path)])
    assert isinstance(doc, Document) and doc.doc_id == "LOUD"


def test_stdin_jsonl() -> None:
    data = b'\n{"id": "s1", "text": "First."}\nnot json\n{"id": "s2", "text": "Second."}\n'
    items = list(read_inputs(["-"], stdin=io.BytesIO(data)))
    assert _origins(items) == ["<stdin>:2", "<stdin>:3", "<stdin>:4"]
    assert [type(item) for item in items] == [Document, IngestError, Document]
    assert isinstance(items[2], Document) and items[2].doc_id == "s2" and items[2].reader == "jsonl"


def test_stdin_plain_text() -> None:
    data = "\ufeffSanctions announced\r\n\r\nThe EU froze the assets of two officials.\n".encode()
    (doc,) = read_inputs(["-"], stdin=io.BytesIO(data))
    assert isinstance(doc, Document)
    assert doc.origin == "<stdin>" and doc.reader == "text"
    assert doc.title == "Sanctions announced"
    assert doc.text == "Sanctions announced\n\nThe EU froze the assets of two officials."
    assert doc.doc_id == doc.content_hash


def test_stdin_between_files_and_given_twice() -> None:
    stdin = io.BytesIO(b"Text from a pipe.")
    items = list(read_inputs([str(TREE / "a.txt"), "-", "-", str(TREE / "z.txt")], stdin=stdin))
    assert _origins(items) == [f"{TREE}/a.txt", "<stdin>", "<stdin>", f"{TREE}/z.txt"]
    assert isinstance(items[1], Document) and items[1].text == "Text from a pipe."
    assert isinstance(items[2], IngestError) and "twice" in items[2].message


def test_empty_stdin_is_an_error() -> None:
    (error,) = read_inputs(["-"], stdin=io.BytesIO(b""))
    assert isinstance(error, IngestError) and error.origin == "<stdin>"
