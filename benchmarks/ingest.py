"""Ingest throughput: documents per second for HTML extraction and WARC reading.

    python benchmarks/ingest.py [--pages 300]

Pages are built from the bundled sample articles inside realistic page furniture (navigation, scripts,
related links, footer), each made unique. Three figures:

- html: ``html.page_document`` on pages in memory (trafilatura main text, htmldate, metadata);
- warc: ``read_inputs`` on a .warc.gz of the same pages plus as many image records (decompression,
  record parsing, filtering, HTML extraction: what `plotwatch run crawl.warc.gz` does before extraction);
- warc records: iterating the same archive's records without extracting text (warcio alone).

Not part of `make test`; numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plotwatch.ingest import read_inputs  # noqa: E402 (after the path is set)
from plotwatch.ingest.documents import Metadata  # noqa: E402
from plotwatch.ingest.html import page_document  # noqa: E402
from plotwatch.models import Document  # noqa: E402

SAMPLE = ROOT / "plotwatch" / "data" / "sample" / "articles.jsonl"
FURNITURE = """<header><nav><ul>{links}</ul></nav><div class="cookie">We use cookies. Accept?</div></header>
<script>window.dataLayer = [{{"page": "{n}"}}]; function track() {{ return {n}; }}</script>
<style>.article p {{ font-family: serif; line-height: 1.5; }}</style>"""
RELATED = "<aside><h3>Most read</h3><ul>{items}</ul></aside><footer>Copyright 2024 Example News. All rights.</footer>"


def pages(count: int) -> list[bytes]:
    articles = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines() if line.strip()]
    built = []
    for n in range(count):
        article = articles[n % len(articles)]
        body = "".join(f"<p>{part}</p>" for part in article["text"].split("\n\n"))
        links = "".join(f"<li><a href='/section/{i}'>Section {i}</a></li>" for i in range(12))
        items = "".join(f"<li><a href='/story/{n}-{i}'>Another story number {i}</a></li>" for i in range(8))
        built.append((
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{article.get('title', 'News')} | "
            f"Example News</title><meta property='article:published_time' content='2024-03-05T08:00:00Z'></head>"
            f"<body>{FURNITURE.format(links=links, n=n)}<main><article class='article'><h1>{article.get('title')}</h1>"
            f"{body}<p>Filed by desk {n}.</p></article></main>{RELATED.format(items=items)}</body></html>"
        ).encode())  # fmt: skip
    return built


def warc_file(folder: Path, built: list[bytes]) -> Path:
    path = folder / "crawl.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for n, body in enumerate(built):
            for uri, kind, payload in ((f"https://news.example/{n}", "text/html; charset=utf-8", body),
                                       (f"https://news.example/{n}.jpg", "image/jpeg", b"\xff\xd8" + bytes(4000))):
                headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
                record = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
                writer.write_record(record)  # fmt: skip
    return path


def rate(label: str, count: int, seconds: float, unit: str = "docs") -> None:
    print(f"{label:<14} {count:>6} {unit} in {seconds:6.2f} s = {count / seconds:8.1f} {unit}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    built = pages(args.pages)
    megabytes = sum(map(len, built)) / 1e6
    print(f"{args.pages} pages, {megabytes:.1f} MB of HTML, Python {sys.version.split()[0]}")

    started = time.perf_counter()
    docs = [page_document(page, Metadata(), origin="bench", max_chars=5_000_000, max_raw_kept=0) for page in built]
    rate("html", sum(isinstance(doc, Document) for doc in docs), time.perf_counter() - started)

    with tempfile.TemporaryDirectory(prefix="plotwatch-bench-") as folder:
        path = warc_file(Path(folder), built)
        started = time.perf_counter()
        read = sum(isinstance(item, Document) for item in read_inputs([str(path)]))
        rate("warc", read, time.perf_counter() - started)
        started = time.perf_counter()
        with path.open("rb") as handle:
            records = sum(1 for record in ArchiveIterator(handle) if record.content_stream().read() is not None)
        rate("warc records", records, time.perf_counter() - started, "records")


if __name__ == "__main__":
    main()
