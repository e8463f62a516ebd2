"""Write the ingest test corpora: tests/data/broken/ (dirty and broken input) and tests/data/sources/ (good input).

Run from the repository root: ``python tests/data/make_corpus.py``. The files are committed; this script is
how they were made, so that a reader can see what each one holds and remake them. Each broken file is declared
with what reading it must give: the documents it still yields and the errors it is reported with (one at most:
every bad file is reported once). ``broken/EXPECTED`` lists them for ``tests/test_ingest_broken.py``.

Big inputs (a 50 MB page, HTML nested 100,000 deep) are not here: the tests write them into a temporary folder.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
SOURCES = HERE / "sources"
GZIP_TIME = 0  # gzip headers carry a time: fixed, so that a re-run writes the same bytes

PLACES = ["Amsterdam", "Berlin", "Copenhagen", "Dublin", "Edinburgh", "Frankfurt", "Geneva", "Helsinki",
          "Istanbul", "Jakarta", "Kyiv", "Lisbon", "Madrid", "Nicosia", "Oslo", "Paris", "Quito", "Riga",
          "Stockholm", "Tallinn", "Utrecht", "Vienna", "Warsaw", "Yerevan", "Zagreb"]  # fmt: skip
_count = iter(range(10_000))


def story(words: str = "") -> str:
    """A short, unique news text (two paragraphs)."""
    n = next(_count)
    place = PLACES[n % len(PLACES)]
    return (
        f"Police in {place} arrested a man suspected of watching exiles for a foreign intelligence service "
        f"(case {n}).{(' ' + words) if words else ''}\n\n"
        f"Prosecutors said the man, {30 + n % 40}, had photographed the homes of two dissidents over several weeks."
    )


def page(text: str, title: str = "News", charset: str | None = "utf-8", extra_head: str = "") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{part}</p>" for part in text.split("\n\n"))
    return (f"<!DOCTYPE html><html lang=\"en\"><head>{meta}<title>{title}</title>{extra_head}</head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright Example News</footer></body></html>")  # fmt: skip


def jsonl(*records: dict[str, object]) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode("utf-8")


def gz(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=GZIP_TIME) as handle:
        handle.write(data)
    return buffer.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def encrypted_flag(data: bytes) -> bytes:
    """A zip whose members claim to be encrypted (bit 0 of the flags, in both headers)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := out.find(signature, start)) >= 0:
            flags = struct.unpack_from("<H", out, at + offset)[0]
            struct.pack_into("<H", out, at + offset, flags | 1)
            start = at + 4
    return bytes(out)


def warc(records: list[tuple[str, str, str, bytes]], *, compress: bool = True) -> bytes:
    """(uri, status line, content type, body) responses as a WARC file."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for number, (uri, status, content_type, body) in enumerate(records):
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": f"2024-03-{10 + number:02d}T08:00:00Z",
                        "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>"}  # fmt: skip
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                           warc_headers_dict=warc_headers)  # fmt: skip
        writer.write_record(record)
    return buffer.getvalue()


def rss(items: str, *, title: str = "Example Wire") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://news.example/</link><description>World news</description>{items}"
            "</channel></rss>\n").encode()  # fmt: skip


def item(text: str, n: int, *, date: str | None = "Tue, 05 Mar 2024 10:00:00 GMT") -> str:
    when = f"<pubDate>{date}</pubDate>" if date else ""
    body = "".join(f"&lt;p&gt;{part}&lt;/p&gt;" for part in text.split("\n\n"))
    return (f"<item><title>Item {n}</title><link>https://news.example/item/{n}</link>"
            f"<guid>https://news.example/item/{n}</guid>{when}<description>{body}</description></item>")  # fmt: skip


def atom(entries: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Example Atom</title><id>urn:example:feed</id><updated>2024-03-05T10:00:00Z</updated>"
            f"{entries}</feed>\n").encode()  # fmt: skip


def entry(text: str, n: int, *, updated: str | None = "2024-03-05T10:00:00Z") -> str:
    when = f"<updated>{updated}</updated>" if updated else ""
    return (f"<entry><title>Entry {n}</title><id>urn:example:entry:{n}</id>"
            f'<link href="https://news.example/entry/{n}"/>{when}'
            f'<content type="text">{text}</content></entry>')  # fmt: skip


# name -> (documents, errors, what it is, how to make it)
Maker = Callable[[], bytes]
BROKEN_FILES: dict[str, tuple[int, int, str, Maker]] = {}
GOOD_FILES: dict[str, tuple[int, str, Maker]] = {}


def broken(name: str, docs: int, errors: int, what: str) -> Callable[[Maker], Maker]:
    def register(make: Maker) -> Maker:
        BROKEN_FILES[name] = (docs, errors, what, make)
        return make

    return register


def good(name: str, docs: int, what: str) -> Callable[[Maker], Maker]:
    def register(make: Maker) -> Maker:
        GOOD_FILES[name] = (docs, what, make)
        return make

    return register


# Bytes and encodings ---------------------------------------------------------------------------------------

broken("empty.txt", 0, 1, "zero bytes")(lambda: b"")
broken("empty-page.html", 0, 1, "zero bytes named .html")(lambda: b"")
broken("blank.txt", 0, 1, "only spaces and line breaks")(lambda: b"   \n\n\t  \r\n  \n")
broken("png-named.html", 0, 1, "a PNG image named .html")(
    lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    + bytes(range(32)) * 8
)
broken("random-bytes.txt", 0, 1, "random binary bytes named .txt")(
    lambda: bytes((i * 73 + 11) % 256 for i in range(2048))
)
broken("elf-named.jsonl", 0, 1, "an executable's bytes (no line break) named .jsonl")(
    lambda: b"\x7fELF\x02\x01\x01\x00" + bytes((i * 31) % 256 for i in range(600)).replace(b"\n", b"\x00")
)
broken("utf16-bom.txt", 1, 0, "UTF-16 with a byte-order mark: read")(
    lambda: codecs.BOM_UTF16_LE + story().encode("utf-16-le")
)
broken("utf8-bom.html", 1, 0, "UTF-8 page with a byte-order mark: read")(
    lambda: codecs.BOM_UTF8 + page(story(), "BOM page").encode("utf-8")
)
broken("latin1-undeclared.html", 1, 0, "Latin-1 page that declares no charset: detected")(
    lambda: page(story("Le ministère a convoqué l'ambassadeur à Genève."), "Genève", charset=None).encode("latin-1")
)
broken("cp1252-declared.html", 1, 0, "Windows-1252 page with typographic quotes, declared: read")(
    lambda: page(story("The minister called it \u201can unacceptable act\u201d \u2013 and summoned the envoy."),
                 "Quotes", charset="windows-1252").encode("cp1252")
)
broken("wrong-charset.html", 1, 0, "declares UTF-8 but is Latin-1: detected")(
    lambda: page(story("Die Bundesanwaltschaft erhob Anklage gegen den Mann aus Düsseldorf, hieß es."),
                 "Düsseldorf", charset="utf-8").encode("latin-1")
)
broken("mixed-encodings.jsonl", 1, 1, "one UTF-8 line, one Latin-1 line")(
    lambda: jsonl({"id": "mixed-ok", "text": story("Zürich, café.")})
    + json.dumps({"id": "mixed-bad", "text": "Zürich café"}, ensure_ascii=False).encode("latin-1") + b"\n"
)
broken("nul-bytes.txt", 1, 0, "text with a few NUL bytes: read, NULs dropped")(
    lambda: story("The\x00 court\x00 adjourned.").encode("utf-8")
)
broken("crlf-bom.jsonl", 2, 0, "byte-order mark and CRLF line ends: read")(
    lambda: codecs.BOM_UTF8 + jsonl({"id": "crlf-1", "text": story()}, {"id": "crlf-2", "text": story()}).replace(
        b"\n", b"\r\n")
)

# HTML ------------------------------------------------------------------------------------------------------

broken("script-only.html", 0, 1, "scripts and styles, no text")(
    lambda: b"<html><head><script>var a = 'not news';</script><style>p{}</style></head><body>"
    b"<script>document.write('x')</script></body></html>"
)
broken("frameset.html", 0, 1, "a frameset with no text of its own")(
    lambda: b"<html><frameset cols='50%,50%'><frame src='a.html'><frame src='b.html'></frameset></html>"
)
broken("meta-refresh.html", 0, 1, "only a redirect")(
    lambda: b"<html><head><meta http-equiv='refresh' content='0; url=https://news.example/'></head></html>"
)
broken("hostile-markup.html", 1, 0, "unclosed tags, script in attributes, broken comments and entities: text read")(
    lambda: (
        "<html><head><title>Hostile</title><script>alert('x')</script></head><body onload='steal()'>"
        "<div><p>" + story("Officials confirmed the expulsion &amp; the closure of the consulate &#xFFFFFFF; &bogus;.")
        .replace("\n\n", "<p>") + "<img src=x onerror='alert(1)'><svg><script>alert(2)</script></svg>"
        "<a href='javascript:alert(3)'>more</a><!-- unterminated comment <b>bold"
    ).encode("utf-8")
)
broken("unclosed-tags.html", 1, 0, "no closing tags at all: text read")(
    lambda: ("<html><body><article><h1>Unclosed<p>" + story().replace("\n\n", "<p>")).encode("utf-8")
)
broken("deep-nesting.html", 0, 1, "text under 3,000 nested divs, past what the parser allows (the test makes deeper)")(
    lambda: ("<html><body>" + "<div>" * 3000 + story().replace("\n\n", "<br>") + "</div>" * 3000
             + "</body></html>").encode("utf-8")
)

# JSON Lines ------------------------------------------------------------------------------------------------

broken("bad-json-line.jsonl", 2, 1, "a line that is not JSON between two good ones")(
    lambda: jsonl({"id": "bj-1", "text": story()}) + b'{"id": "bj-2", "text": unquoted}\n'
    + jsonl({"id": "bj-3", "text": story()})
)
broken("array-line.jsonl", 1, 1, "a line holding an array")(
    lambda: jsonl({"id": "al-1", "text": story()}) + b'["al-2", "text"]\n'
)
broken("missing-text.jsonl", 1, 1, "a record without text or html")(
    lambda: jsonl({"id": "mt-1", "text": story()}, {"id": "mt-2", "title": "No body"})
)
broken("bad-date.jsonl", 1, 1, "a record whose date is not a date")(
    lambda: jsonl({"id": "bd-1", "text": story()}, {"id": "bd-2", "text": story(), "published": "yesterday"})
)
broken("truncated.jsonl", 1, 1, "the last line is cut off mid-object")(
    lambda: jsonl({"id": "tr-1", "text": story()}) + b'{"id": "tr-2", "text": "The court heard'
)
broken("deep-json.jsonl", 1, 1, "a line nested 20,000 arrays deep")(
    lambda: jsonl({"id": "dj-1", "text": story()}) + b"[" * 20_000 + b"]" * 20_000 + b"\n"
)
broken("wrong-types.jsonl", 1, 1, "a record whose text is a number")(
    lambda: jsonl({"id": "wt-1", "text": story()}, {"id": "wt-2", "text": 42})
)

# CSV -------------------------------------------------------------------------------------------------------


def _csv(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


broken("no-text-column.csv", 0, 1, "no column holds the text")(
    lambda: _csv([["id", "headline", "link"], ["nt-1", "Envoy expelled", "https://news.example/1"]])
)
broken("short-row.csv", 2, 1, "one row has fewer fields than the header")(
    lambda: _csv([["id", "title", "body"], ["sr-1", "One", story()], ["sr-2", story()], ["sr-3", "Three", story()]])
)
broken("unterminated-quote.csv", 1, 1, "a quote that never closes swallows the rest")(
    lambda: _csv([["id", "text"], ["uq-1", story()]]) + b'uq-2,"The court said\nuq-3,more text\n'
)
broken("bad-date.csv", 1, 1, "a row whose date is not a date")(
    lambda: _csv([["id", "date", "text"], ["bc-1", "2024-03-05", story()], ["bc-2", "soon", story()]])
)
broken("empty.csv", 0, 1, "zero bytes")(lambda: b"")
broken("header-only.csv", 0, 1, "a header and no rows")(lambda: b"id,title,text\n")
broken("semicolon-latin1.csv", 2, 0, "semicolons and Latin-1, as spreadsheets save them: read")(
    lambda: _csv([["id", "title", "body"], ["sl-1", "Expulsion", story("Le ministère a réagi.")],
                  ["sl-2", "Procès", story("Le procès s'ouvre à Paris.")]], delimiter=";", encoding="latin-1")
)

# Feeds -----------------------------------------------------------------------------------------------------

broken("invalid-xml.rss", 2, 1, "an unescaped & makes it not well-formed; items read leniently")(
    lambda: rss(item(story(), 1) + item(story(), 2)).replace(b"<title>Example Wire", b"<title>Example & Wire")
)
broken("missing-dates.atom", 2, 0, "entries without dates: read, undated")(
    lambda: atom(entry(story(), 1, updated=None) + entry(story(), 2, updated=None)).replace(
        b"<updated>2024-03-05T10:00:00Z</updated>", b"")
)
broken("sitemap.xml", 0, 1, "an XML sitemap, not a feed")(
    lambda: b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>https://news.example/a</loc></url></urlset>"
)
broken("page-named.rss", 0, 1, "an HTML page named .rss")(lambda: page(story(), "Not a feed").encode("utf-8"))
broken("no-items.rss", 0, 1, "a valid feed with no items")(lambda: rss(""))
broken("links-only.rss", 0, 1, "items with links but no text (needs --follow-links)")(
    lambda: rss("<item><title>A</title><link>https://news.example/a</link></item>"
                "<item><title>B</title><link>https://news.example/b</link></item>")
)
broken("truncated.atom", 1, 1, "cut off in the middle of the second entry: the first read")(
    lambda: atom(entry(story(), 1) + entry(story(), 2))[:-160]
)
broken("billion-laughs.xml", 0, 1, "an entity-expansion bomb: refused")(
    lambda: b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'.encode()
               for i in range(1, 10))
    + b"]><rss version=\"2.0\"><channel><title>&lol9;</title><item><description>&lol9;</description></item>"
    b"</channel></rss>"
)
broken("external-entity.rss", 1, 0, "an external entity naming a local file: item read, the file never")(
    lambda: b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    + rss(item(story() + " &xxe;", 1)).split(b"?>", 1)[1]
)

# WARC ------------------------------------------------------------------------------------------------------


def _pages(n: int) -> list[tuple[str, str, str, bytes]]:
    return [(f"https://news.example/warc/{next(_count)}", "200 OK", "text/html; charset=utf-8",
             page(story(), f"Archived {i}").encode("utf-8")) for i in range(n)]  # fmt: skip


_TRUNCATED_GZ = warc(_pages(3))
broken("truncated.warc.gz", 2, 1, "cut off inside the third record")(lambda: _TRUNCATED_GZ[: len(_TRUNCATED_GZ) - 200])
_TRUNCATED = warc(_pages(2), compress=False)
broken("truncated.warc", 1, 1, "cut off inside the second record's headers")(
    lambda: _TRUNCATED[: _TRUNCATED.index(b"WARC/1.", 10) + 60]
)
broken("not-a-warc.warc", 0, 1, "text named .warc")(lambda: b"This is not an archive.\n")
broken("no-pages.warc.gz", 0, 1, "an image and a redirect, no HTML page")(
    lambda: warc([("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
                  ("https://news.example/old", "301 Moved Permanently", "text/html", b"<a href=/new>moved</a>")])
)
broken("whole-gzip.warc.gz", 2, 0, "gzipped as one piece instead of record by record: read")(
    lambda: gz(warc(_pages(2), compress=False))
)
broken("empty.warc", 0, 1, "zero bytes")(lambda: b"")

# Compressed ------------------------------------------------------------------------------------------------

broken("truncated.html.gz", 0, 1, "a gzipped page cut in half")(
    lambda: (lambda data: data[: len(data) // 2])(gz(page(story() * 20, "Cut").encode("utf-8")))
)
broken("not-really.txt.gz", 1, 0, "plain text named .gz: read as it is")(lambda: story().encode("utf-8"))
broken("corrupt.zip", 0, 1, "bytes that are no zip archive")(lambda: b"PK\x03\x04" + bytes(range(200)))
broken("zip-bomb.zip", 0, 1, "a member that unpacks to 24 MB (the test caps unpacking at 8 MB)")(
    lambda: zipped({"bomb.txt": b"plot " * (24 * 1024 * 1024 // 5)})
)
broken("gzip-bomb.txt.gz", 0, 1, "24 MB of text in 24 KB of gzip (the test caps unpacking at 8 MB)")(
    lambda: gz(b"plot " * (24 * 1024 * 1024 // 5))
)
broken("nested.zip", 1, 1, "a zip inside a zip, beside a good page")(
    lambda: zipped({"inner.zip": zipped({"deep.txt": story().encode()}), "nested-page.html": page(story()).encode()})
)
broken("encrypted.zip", 0, 1, "a member that is encrypted")(
    lambda: encrypted_flag(zipped({"secret.txt": story().encode()}))
)
broken("nothing-to-read.zip", 0, 1, "only a PDF and a PNG inside")(
    lambda: zipped({"report.pdf": b"%PDF-1.4\n", "logo.png": b"\x89PNG\r\n\x1a\n"})
)

# URL lists (no URL here is ever fetched) -------------------------------------------------------------------

broken("not-urls.urls", 0, 1, "a line that is no http(s) URL")(
    lambda: b"# saved links\n\nftp://files.example/report.txt\n"
)

# Good input of every kind ----------------------------------------------------------------------------------



def _wire() -> bytes:
    rows = [[f"wire-{i}", f"2024-03-0{i}", f"Wire {i}", story(), f"https://wire.example/{i}", "Wire"]
            for i in (1, 2, 3)]
    return _csv([["id", "date", "headline", "body", "link", "outlet"], *rows])


def _monitor() -> bytes:
    rows = [[f"Monitor {i}", story(), "Tue, 05 Mar 2024 10:00:00 GMT", "Monitor"] for i in (1, 2)]
    return _csv([["title", "text", "published", "source"], *rows], delimiter="\t")


good("wire.csv", 3, "CSV with id, date, headline, body, link, outlet columns")(_wire)
good("monitor.tsv", 2, "TSV export of a media-monitoring service")(_monitor)
good("world.rss", 2, "RSS 2.0 with HTML descriptions")(lambda: rss(item(story(), 11) + item(story(), 12)))
good("europe.atom", 2, "Atom 1.0")(lambda: atom(entry(story(), 21) + entry(story(), 22)))
good("crawl.warc.gz", 2, "two pages, an image and a redirect")(
    lambda: warc([*_pages(1), ("https://news.example/img.jpg", "200 OK", "image/jpeg", b"\xff\xd8\xff" + bytes(30)),
                  ("https://news.example/r", "302 Found", "text/html", b""), *_pages(1)])
)
good("saved-page.html.gz", 1, "a gzipped page")(lambda: gz(page(story(), "Saved").encode("utf-8")))
good("bundle.zip", 3, "a page, a text and a JSON Lines file in a zip")(
    lambda: zipped({"bundle/page.html": page(story(), "Bundled").encode(), "bundle/note.txt": story().encode(),
                    "bundle/more.jsonl": jsonl({"id": "bundle-1", "text": story()}), "bundle/readme.md": b"# skip"})
)


def main() -> None:
    for folder in (BROKEN, SOURCES):
        folder.mkdir(exist_ok=True)
    lines = ["# file\tdocuments\terrors\twhat it is (written by tests/data/make_corpus.py)"]
    for name, (docs, errors, what, make) in BROKEN_FILES.items():
        (BROKEN / name).write_bytes(make())
        lines.append(f"{name}\t{docs}\t{errors}\t{what}")
    (BROKEN / "EXPECTED").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = ["# file\tdocuments\twhat it is (written by tests/data/make_corpus.py)"]
    for name, (docs, what, make) in GOOD_FILES.items():
        (SOURCES / name).write_bytes(make())
        lines.append(f"{name}\t{docs}\t{what}")
    (SOURCES / "EXPECTED").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(BROKEN_FILES)} broken files in {BROKEN}, {len(GOOD_FILES)} good files in {SOURCES}")


if __name__ == "__main__":
    main()
