"""Watch mode (conditional GET, only new items, state across restarts) and what ingest records in the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from plotwatch import api
from plotwatch.errors import InputError
from plotwatch.ingest import FetchOptions, IngestOptions, read_inputs
from plotwatch.ingest.ledger import FeedLedger, raw_original, sightings, sightings_of
from plotwatch.ingest.source import Context
from plotwatch.ingest.watch import every, parse_every, poll, read_feed_list
from plotwatch.models import Document, IngestError, RunStats
from plotwatch.pipeline import store_items
from plotwatch.store import Store, open_store
from tests.ingest_server import Reply, Request, Server, html_page, serving

FAST = FetchOptions(read_timeout=1, total_timeout=2, retries=1, backoff=0.01, per_host_interval=0)


def rss(*items: tuple[str, str]) -> bytes:
    """(guid, description) items."""
    body = "".join(f"<item><title>{guid}</title><guid>{guid}</guid><link>https://news.example/{guid}</link>"
                   f"<description>{text}</description></item>" for guid, text in items)  # fmt: skip
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{body}</channel></rss>'.encode()


class Feed:
    """A feed route that answers 304 to the ETag it last sent."""

    def __init__(self, *items: tuple[str, str]) -> None:
        self.items = list(items)
        self.version = 1

    def publish(self, *items: tuple[str, str]) -> None:
        self.items.extend(items)
        self.version += 1

    def __call__(self, request: Request) -> Reply:
        etag = f'"v{self.version}"'
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, rss(*self.items), {"Content-Type": "application/rss+xml", "ETag": etag,
                                             "Last-Modified": "Tue, 05 Mar 2024 10:00:00 GMT"})  # fmt: skip


@pytest.fixture
def server() -> Iterator[Server]:
    with serving() as running:
        yield running


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "watch.db")


def poll_once(db: str, urls: list[str], options: IngestOptions | None = None) -> tuple[RunStats, list[str]]:
    """One poll into ``db`` with a fresh store and fetcher, as after a restart."""
    stats = RunStats()
    context = Context(options or IngestOptions(fetch=FAST))
    with open_store(db) as store:
        store_items(store, poll(urls, FeedLedger(store.engine), context), stats)
        texts = [doc.text for doc in store.iter_documents()]
    context.close()
    return stats, texts


def test_only_new_items_are_read_and_unchanged_feeds_are_not_downloaded(server: Server, db: str) -> None:
    feed = Feed(("a", "The envoy was expelled."), ("b", "The consulate was closed."))
    server.route("/feed", feed)
    stats, texts = poll_once(db, [server.url("/feed")])
    assert stats.documents_new == 2 and texts == ["The envoy was expelled.", "The consulate was closed."]

    stats, _ = poll_once(db, [server.url("/feed")])  # a restart: state comes from the database
    assert stats.documents_read == 0
    assert server.requests[-1].headers["if-none-match"] == '"v1"'
    assert server.requests[-1].headers["if-modified-since"] == "Tue, 05 Mar 2024 10:00:00 GMT"

    feed.publish(("c", "Sanctions were announced."))
    stats, texts = poll_once(db, [server.url("/feed")])
    assert stats.documents_read == 1 and texts[-1] == "Sanctions were announced."


def test_an_item_whose_page_fails_for_now_is_tried_again(server: Server, db: str) -> None:
    pages = iter([Reply(503, b""), Reply(503, b""), Reply(200, html_page("Later", "The trial opened in Paris."),
                                                           {"Content-Type": "text/html"})])  # fmt: skip
    server.route("/page", lambda _request: next(pages))
    items = f"<item><guid>p</guid><title>P</title><link>{server.url('/page')}</link></item>"
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'.encode()
    server.route("/feed", Reply(200, body, {"Content-Type": "application/rss+xml", "ETag": '"same"'}))
    options = IngestOptions(fetch=FAST, follow_links=True)

    stats, _ = poll_once(db, [server.url("/feed")], options)
    assert stats.documents_read == 0 and "503" in stats.errors[0].message
    stats, texts = poll_once(db, [server.url("/feed")], options)
    assert "if-none-match" not in server.requests[-2].headers  # the feed was fetched whole again
    assert stats.documents_new == 1 and texts == ["Later\n\nThe trial opened in Paris."]


def test_a_failing_feed_is_an_error_and_the_others_go_on(server: Server, db: str) -> None:
    server.route("/good", Feed(("g", "The ambassador was recalled.")))
    stats, texts = poll_once(db, [server.url("/missing"), server.url("/good")])
    assert [error.origin for error in stats.errors] == [server.url("/missing")]
    assert texts == ["The ambassador was recalled."]


@pytest.mark.model
def test_watch_command_rounds_store_extract_and_report(server: Server, db: str, tmp_path: Path) -> None:
    feed = Feed(("a", "The Netherlands expelled two Iranian diplomats on Thursday."))
    server.route("/feed", feed)
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# feeds\n{server.url('/feed')}\nnonsense\n", "utf-8")
    lines: list[str] = []
    context = Context(IngestOptions(fetch=FAST))
    published = iter([("b", "Germany summoned the Iranian ambassador.")])

    def echo(line: str) -> None:
        lines.append(line)
        if "round 1" in line:
            feed.publish(*published)

    rounds = api.watch_command(str(listing), db, "1s", echo=echo, rounds=2, context=context)
    assert rounds == 2
    summaries = [line for line in lines if " round " in line]
    assert "1 feeds, 1 new documents" in summaries[0] and "1 errors" in summaries[0]  # the bad line, once
    assert "1 new documents" in summaries[1] and "0 errors" in summaries[1]
    with open_store(db) as store:
        assert store.count_documents() == 2 and store.count_events() >= 1


def test_watch_refuses_a_list_without_feeds(db: str, tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# nothing yet\n", "utf-8")
    with pytest.raises(InputError, match="no URLs"):
        api.watch_command(str(listing), db, "15m", once=True)
    with pytest.raises(InputError, match="not a duration"):
        api.watch_command(str(listing), db, "often", once=True)


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("30", 30),
                                               ("1.5m", 90)])  # fmt: skip
def test_intervals(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "15 minutes", "m", "0s", "-5m"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration|under"):
        parse_every(text)


def test_rounds_keep_their_pace() -> None:
    now = [0.0]
    slept: list[float] = []

    def work(_number: int) -> None:
        now[0] += 2.0  # a round takes 2 s

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    assert every(10.0, work, rounds=3, sleep=sleep, clock=lambda: now[0]) == 3
    assert slept == [8.0, 8.0]


def test_feed_list_lines(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("https://a.example/rss\n# note\n\nfeed.example/rss\nhttps://a.example/rss\n", "utf-8")
    urls, errors = read_feed_list(str(listing))
    assert urls == ["https://a.example/rss"]
    assert [error.origin for error in errors] == [f"{listing}:4"]
    assert read_feed_list(str(tmp_path / "none.txt"))[1][0].message.startswith("cannot read the feed list")


# What ingest records: sightings, originals, id clashes -------------------------------------------------------


def _store(store: Store, paths: list[str]) -> RunStats:
    stats = RunStats()
    store_items(store, read_inputs(paths), stats)
    return stats


def test_the_same_article_from_two_feeds_is_one_document_with_two_sightings(tmp_path: Path, db: str) -> None:
    for name, title in (("one.rss", "Wire One"), ("two.rss", "Wire Two")):
        (tmp_path / name).write_bytes(rss(("x-" + name, "The same wire story about a foiled plot.")).replace(
            b"<title>Wire</title>", f"<title>{title}</title>".encode()))
    with open_store(db) as store:
        stats = _store(store, [str(tmp_path / "one.rss"), str(tmp_path / "two.rss")])
        _store(store, [str(tmp_path / "one.rss")])  # a re-run adds no sighting
        assert (stats.documents_read, stats.documents_new) == (2, 1)
        (doc,) = store.iter_documents()
        seen = sightings_of(store.engine, doc.content_hash)
        with store.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(sightings)).scalar()
    assert [row["origin"] for row in seen] == [f"{tmp_path / 'one.rss'}#item1", f"{tmp_path / 'two.rss'}#item1"]
    assert total == 2 and seen[0]["reader"] == "feed" and seen[0]["raw_size"]


def test_originals_are_kept_by_hash_up_to_the_cap(tmp_path: Path, db: str) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(html_page("Kept", "The embassy was closed."))
    (doc,) = read_inputs([str(page)])
    assert isinstance(doc, Document) and doc.raw_sha256
    with open_store(db) as store:
        _store(store, [str(page)])
        assert raw_original(store.engine, doc.raw_sha256) == page.read_bytes()
    (big,) = read_inputs([str(page)], options=IngestOptions(max_raw_kept=10))
    assert isinstance(big, Document) and big.raw is None and big.raw_size == len(page.read_bytes())


def test_an_id_taken_by_another_text_is_reported_not_dropped(tmp_path: Path, db: str) -> None:
    for folder, text in (("a", "The first story."), ("b", "A different story.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(text, "utf-8")
    with open_store(db) as store:
        stats = _store(store, [str(tmp_path / "a"), str(tmp_path / "b")])
    (error,) = stats.errors
    assert isinstance(error, IngestError) and error.origin == str(tmp_path / "b" / "story.txt")
    assert 'the id "story" is already taken' in error.message and str(tmp_path / "a" / "story.txt") in error.message
