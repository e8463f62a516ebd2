"""Fetching for real, from a server on 127.0.0.1 that the tests start: nothing leaves the machine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from plotwatch.ingest import FetchOptions, IngestOptions, read_inputs
from plotwatch.ingest.fetch import Fetcher, FetchError, parse_content_type, retry_after_seconds
from plotwatch.ingest.options import USER_AGENT
from plotwatch.models import Document, IngestError
from tests.ingest_server import Reply, Request, Server, gzipped, html_page, serving

FAST = FetchOptions(connect_timeout=2, read_timeout=0.5, total_timeout=1.0, retries=2, backoff=0.01,
                    max_retry_after=5, per_host_interval=0)  # fmt: skip
ARTICLE = html_page("Envoy expelled", "The Netherlands expelled two diplomats on Thursday.\n\n"
                    "Prosecutors said a plot to kill a dissident had been foiled in January.")  # fmt: skip
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as running:
        running.route("/article", Reply(200, ARTICLE, HTML))
        yield running


class Sleeps:
    """A sleep that records how long it was asked to wait, and does not wait."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fetcher(options: FetchOptions = FAST, sleep: Sleeps | None = None) -> Fetcher:
    return Fetcher(options, sleep=sleep or Sleeps())


def read(url: str, options: FetchOptions = FAST) -> list[Document | IngestError]:
    return list(read_inputs([url], options=IngestOptions(fetch=options)))


def test_a_page_url_becomes_a_document_with_provenance(server: Server) -> None:
    (doc,) = read(server.url("/article"))
    assert isinstance(doc, Document)
    assert doc.title == "Envoy expelled" and doc.published == "2024-03-05"
    assert doc.url == server.url("/article") and doc.origin == server.url("/article")
    assert doc.http_status == 200 and doc.fetched_at is not None and doc.fetched_at.endswith("+00:00")
    assert doc.raw == ARTICLE and doc.raw_size == len(ARTICLE)
    assert "expelled two diplomats" in doc.text


def test_requests_say_who_we_are_and_robots_txt_is_asked_first(server: Server) -> None:
    read(server.url("/article"))
    assert server.paths() == ["/robots.txt", "/article"]
    assert all(request.headers["user-agent"] == USER_AGENT for request in server.requests)
    assert USER_AGENT.startswith("plotwatch/")


def test_robots_txt_disallow_is_respected(server: Server) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}))
    server.route("/private/page", Reply(200, ARTICLE, HTML))
    (error,) = read(server.url("/private/page"))
    assert isinstance(error, IngestError) and "robots.txt" in error.message
    assert "/private/page" not in server.paths()


def test_robots_txt_rules_for_plotwatch_by_name(server: Server) -> None:
    rules = b"User-agent: plotwatch\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    server.route("/robots.txt", Reply(200, rules, {"Content-Type": "text/plain"}))
    (error,) = read(server.url("/article"))
    assert isinstance(error, IngestError) and "robots.txt" in error.message


def test_robots_txt_that_fails_with_5xx_disallows_everything(server: Server) -> None:
    server.route("/robots.txt", Reply(503, b"down"))
    (error,) = read(server.url("/article"))
    assert isinstance(error, IngestError) and "robots.txt" in error.message
    assert "/article" not in server.paths()


def test_404_is_one_clear_error_and_not_retried(server: Server) -> None:
    (error,) = read(server.url("/gone"))
    assert isinstance(error, IngestError)
    assert error.origin == server.url("/gone") and "HTTP 404 Not Found" in error.message and "; " in error.message
    assert server.paths().count("/gone") == 1


def test_500_is_retried_with_backoff_then_reported(server: Server) -> None:
    server.route("/broken", Reply(500, b"oops"))
    sleeps = Sleeps()
    with fetcher(sleep=sleeps) as client, pytest.raises(FetchError, match=r"HTTP 500 .* after 3 tries") as caught:
        client.get(server.url("/broken"))
    assert caught.value.retryable
    assert server.paths().count("/broken") == 3
    assert sleeps.calls == [0.01, 0.02]  # exponential backoff


def test_a_server_error_that_passes_is_recovered(server: Server) -> None:
    answers = iter([Reply(502, b""), Reply(503, b""), Reply(200, ARTICLE, HTML)])
    server.route("/flaky", lambda _request: next(answers))
    with fetcher() as client:
        assert client.get(server.url("/flaky")).status == 200


def test_429_waits_as_long_as_retry_after_says(server: Server) -> None:
    answers = iter([Reply(429, b"", {"Retry-After": "2"}), Reply(200, ARTICLE, HTML)])
    server.route("/busy", lambda _request: next(answers))
    sleeps = Sleeps()
    with fetcher(sleep=sleeps) as client:
        assert client.get(server.url("/busy")).status == 200
    assert sleeps.calls == [2.0]


def test_429_with_a_retry_after_too_long_is_reported_at_once(server: Server) -> None:
    server.route("/later", Reply(429, b"", {"Retry-After": "3600"}))
    (error,) = read(server.url("/later"))
    assert isinstance(error, IngestError) and "wait 3600 s" in error.message and "try again later" in error.message
    assert server.paths().count("/later") == 1


def test_redirects_are_followed_and_the_final_url_kept(server: Server) -> None:
    server.route("/old", Reply(301, b"", {"Location": "/middle"}))
    server.route("/middle", Reply(302, b"", {"Location": server.url("/article")}))
    (doc,) = read(server.url("/old"))
    assert isinstance(doc, Document) and doc.url == server.url("/article")
    assert doc.origin == server.url("/old")


def test_a_redirect_loop_is_cut(server: Server) -> None:
    server.route("/loop", Reply(302, b"", {"Location": "/loop"}))
    (error,) = read(server.url("/loop"))
    assert isinstance(error, IngestError) and "redirects" in error.message


def test_a_redirect_into_a_disallowed_path_is_not_followed(server: Server) -> None:
    server.route("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n"))
    server.route("/jump", Reply(302, b"", {"Location": "/private/page"}))
    (error,) = read(server.url("/jump"))
    assert isinstance(error, IngestError) and "robots.txt" in error.message
    assert "/private/page" not in server.paths()


def test_gzip_content_encoding_is_decoded(server: Server) -> None:
    server.route("/zipped", Reply(200, gzipped(ARTICLE), {**HTML, "Content-Encoding": "gzip"}))
    (doc,) = read(server.url("/zipped"))
    assert isinstance(doc, Document) and "expelled two diplomats" in doc.text


def test_a_gzip_bomb_stops_at_the_size_cap(server: Server) -> None:
    bomb = gzipped(b"<p>" + b"a" * 20_000_000)
    server.route("/bomb", Reply(200, bomb, {**HTML, "Content-Encoding": "gzip"}))
    (error,) = read(server.url("/bomb"), FetchOptions(**{**FAST.__dict__, "max_bytes": 1_000_000}))
    assert isinstance(error, IngestError) and "over 1,000,000 bytes" in error.message


def test_a_declared_size_over_the_cap_is_refused_unread(server: Server) -> None:
    server.route("/huge", Reply(200, b"x" * 2_000_000, HTML))
    (error,) = read(server.url("/huge"), FetchOptions(**{**FAST.__dict__, "max_bytes": 1_000_000}))
    assert isinstance(error, IngestError) and "over 1,000,000 bytes" in error.message


def test_a_server_that_does_not_answer_times_out(server: Server) -> None:
    server.route("/hang", Reply(200, ARTICLE, HTML, delay=1.5))
    options = FetchOptions(**{**FAST.__dict__, "retries": 0, "read_timeout": 0.3})
    (error,) = read(server.url("/hang"), options)
    assert isinstance(error, IngestError) and "timed out" in error.message


def test_a_slow_drip_is_cut_at_the_total_timeout(server: Server) -> None:
    server.route("/drip", Reply(200, ARTICLE, HTML, drip=0.05))  # 1 byte every 50 ms: minutes for the page
    options = FetchOptions(**{**FAST.__dict__, "retries": 0, "total_timeout": 0.5})
    (error,) = read(server.url("/drip"), options)
    assert isinstance(error, IngestError) and "timed out" in error.message and "0.5 s" in error.message


def test_a_refused_connection_is_reported() -> None:
    with serving() as stopped:
        url = stopped.url("/article")
    (error,) = read(url, FetchOptions(**{**FAST.__dict__, "retries": 1}))
    assert isinstance(error, IngestError) and "could not connect" in error.message and "robots.txt" in error.message


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("image/png", b"\x89PNG\r\n\x1a\n" + bytes(40), "the server sent image/png"),
        ("application/pdf", b"%PDF-1.4", "the server sent application/pdf"),
        ("text/html", b"\x89PNG\r\n\x1a\n" + bytes(400), "binary or in an unknown encoding"),
    ],
)
def test_wrong_content_types_are_reported(server: Server, content_type: str, body: bytes, expected: str) -> None:
    server.route("/thing", Reply(200, body, {"Content-Type": content_type}))
    (error,) = read(server.url("/thing"))
    assert isinstance(error, IngestError) and expected in error.message


def test_an_untyped_html_body_is_sniffed(server: Server) -> None:
    server.route("/untyped", Reply(200, ARTICLE, {"Content-Type": "application/octet-stream"}))
    (doc,) = read(server.url("/untyped"))
    assert isinstance(doc, Document) and doc.title == "Envoy expelled"


def test_the_http_charset_is_used(server: Server) -> None:
    body = html_page("Genève", "Le ministère a convoqué l'ambassadeur à Genève.", "2024-01-02").replace(
        b'<meta charset="utf-8">', b""
    )
    latin = body.decode("utf-8").encode("latin-1")
    server.route("/latin", Reply(200, latin, {"Content-Type": "text/html; charset=ISO-8859-1"}))
    (doc,) = read(server.url("/latin"))
    assert isinstance(doc, Document) and "ministère a convoqué" in doc.text


def test_plain_text_urls_are_documents(server: Server) -> None:
    note = b"Court hearing\n\nThe trial opened in Berlin."
    server.route("/note.txt", Reply(200, note, {"Content-Type": "text/plain"}))
    (doc,) = read(server.url("/note.txt"))
    assert isinstance(doc, Document) and doc.title == "Court hearing" and doc.reader == "text"


def test_requests_to_one_host_are_spaced(server: Server) -> None:
    sleeps = Sleeps()
    options = FetchOptions(**{**FAST.__dict__, "per_host_interval": 5.0})
    with fetcher(options, sleeps) as client:
        client.get(server.url("/article"))
        client.get(server.url("/article"))
    assert len(sleeps.calls) == 2 and all(4.0 < pause <= 5.0 for pause in sleeps.calls)  # robots.txt, then 2nd get


def test_a_url_list_file_reads_each_url_and_reports_bad_lines(server: Server, tmp_path: Path) -> None:
    server.route("/second", Reply(200, html_page("Second", "A court in Paris convicted two men of spying."), HTML))
    listing = tmp_path / "links.urls"
    listing.write_text(f"# my links\n{server.url('/article')}\n\nnot a url\n{server.url('/second')}\n"
                       f"{server.url('/missing')}\n", encoding="utf-8")  # fmt: skip
    items = list(read_inputs([str(listing)], options=IngestOptions(fetch=FAST)))
    assert [type(item).__name__ for item in items] == ["Document", "IngestError", "Document", "IngestError"]
    assert items[1].origin == f"{listing}:4" and items[3].origin == server.url("/missing")


def test_a_feed_url_gives_its_items(server: Server) -> None:
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            b"<item><title>One</title><link>https://news.example/1</link><description>The envoy was summoned."
            b"</description></item></channel></rss>")  # fmt: skip
    server.route("/feed", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
    (doc,) = read(server.url("/feed"))
    assert isinstance(doc, Document) and doc.reader == "feed" and doc.source == "Wire"
    assert doc.url == "https://news.example/1" and doc.http_status == 200


def test_follow_links_fetches_each_items_page(server: Server) -> None:
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            + f"<item><title>Item title</title><link>{server.url('/article')}</link>"
              "<pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate><description>Short.</description></item>"
              f"<item><title>Gone</title><link>{server.url('/gone')}</link></item>".encode()
            + b"</channel></rss>")  # fmt: skip
    server.route("/feed", Reply(200, feed, {"Content-Type": "application/rss+xml"}))
    items = list(read_inputs([server.url("/feed")], options=IngestOptions(fetch=FAST, follow_links=True)))
    doc, error = items
    assert isinstance(doc, Document) and "expelled two diplomats" in doc.text  # the page, not the summary
    assert doc.reader == "feed" and doc.source == "Wire" and doc.published == "2024-03-04"  # the feed's date wins
    assert isinstance(error, IngestError) and error.origin == server.url("/gone") and "404" in error.message


def test_only_http_and_https_are_fetched() -> None:
    with fetcher() as client, pytest.raises(FetchError, match="not an http"):
        client.get("file:///etc/passwd")


def test_header_helpers() -> None:
    assert parse_content_type('text/html; Charset="ISO-8859-1"') == ("text/html", "ISO-8859-1")
    assert parse_content_type(None) == (None, None)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    assert retry_after_seconds("soon") is None


def test_the_server_records_what_it_was_sent(server: Server) -> None:
    server.route("/echo", lambda request: Reply(200, request.headers.get("user-agent", "").encode(), HTML))
    with fetcher() as client:
        response = client.get(server.url("/echo"), headers={"If-None-Match": '"v1"'})
    assert response.body.decode() == USER_AGENT
    assert server.requests[-1] == Request("/echo", {**server.requests[-1].headers, "if-none-match": '"v1"'})
