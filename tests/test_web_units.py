"""Small pieces of the web app: filters, highlighting, URLs, the timeline layout, search queries."""

from __future__ import annotations

import pytest

from plotwatch.web.actions import safe_next
from plotwatch.web.data import safe_href
from plotwatch.web.filters import FilterError, Filters, parse_filters, parse_page
from plotwatch.web.highlight import excerpt, highlight_all, locate
from plotwatch.web.search import CLOSE, OPEN, fts_query, segments
from plotwatch.web.security import Keys, same_origin
from plotwatch.web.timeline import layout, month_range


def test_filters_parse_normalise_and_round_trip() -> None:
    query = {"type": "kill", "actor": "irn", "since": "2018", "min_sources": "2", "page": "3", "x": "y"}
    filters = parse_filters(query)
    assert filters == Filters(type="KILL", actor="IRN", since="2018", min_sources=2)
    assert parse_filters(dict(pair.split("=") for pair in filters.query().split("&"))) == filters
    assert filters.query(type=None) == "actor=IRN&since=2018&min_sources=2"


@pytest.mark.parametrize(
    "query",
    [{"type": "BOMB"}, {"actor": "Iran"}, {"since": "2018-6"}, {"min_confidence": "2"}, {"min_sources": "x"},
     {"review": "maybe"}, {"sort": "random"}, {"agency": "a b"}],
)  # fmt: skip
def test_bad_filters_are_refused_with_the_parameter_named(query: dict[str, str]) -> None:
    with pytest.raises(FilterError, match=next(iter(query))):
        parse_filters(query)


def test_empty_filter_values_are_ignored_and_pages_checked() -> None:
    assert parse_filters({"type": "", "country": "  "}) == Filters()
    assert parse_page({}) == 1
    with pytest.raises(FilterError):
        parse_page({"page": "0"})


def test_locate_prefers_offsets_then_searches() -> None:
    text = "One. Two sentences. Two sentences."
    assert locate(text, "Two sentences.", 20, 34) == (20, 34)
    assert locate(text, "Two sentences.", 0, 3) == (5, 19)
    assert locate(text, "missing", 0, 7) is None


def test_excerpt_marks_the_evidence_within_its_paragraph() -> None:
    text = "Title\n\nFirst paragraph.\n\nBefore. The evidence sentence. After.\n\nLast."
    start = text.index("The evidence")
    parts = excerpt(text, start, start + len("The evidence sentence."), key="ev-1")
    assert [(p.text, p.mark) for p in parts] == [
        ("…", False), ("Before. ", False), ("The evidence sentence.", True), (" After.", False), ("…", False)
    ]  # fmt: skip
    assert parts[2].key == "ev-1"


def test_excerpt_of_a_long_paragraph_is_cut_at_words() -> None:
    text = "word " * 200 + "EVIDENCE." + " tail" * 200
    start = text.index("EVIDENCE")
    parts = excerpt(text, start, start + 9)
    assert parts[0].text == "…" and parts[-1].text == "…"
    assert parts[1].text.startswith("word") and len(parts[1].text) <= 330


def test_highlight_all_joins_overlaps_and_keeps_all_text() -> None:
    text = "abcdefghij"
    parts = highlight_all(text, [(2, 5, "a"), (4, 7, "b"), (8, 9, "c")])
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.mark) for p in parts if p.mark] == [("cde", True), ("fg", True), ("i", True)]


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://news.example/a?b=c", True), ("http://x.example", True), ("javascript:alert(1)", False),
     ("JAVASCRIPT:alert(1)", False), (" javascript:alert(1)", False), ("data:text/html,x", False),
     ("//evil.example/x", False), ("/relative", False), ("https://ok.example/\" onmouseover=\"x", False),
     ("java\tscript:alert(1)", False), (None, False), ("", False)],
)  # fmt: skip
def test_only_http_urls_become_links(url: str | None, expected: bool) -> None:
    assert (safe_href(url) is not None) is expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/incidents?type=KILL", "/incidents?type=KILL"), ("//evil.example", "/"), ("https://evil.example", "/"),
     ("/\\evil.example", "/"), ("javascript:alert(1)", "/"), ("", "/")],
)  # fmt: skip
def test_login_redirects_only_to_local_paths(target: str, expected: str) -> None:
    assert safe_next(target) == expected


def test_month_range_and_timeline_layout() -> None:
    assert month_range("2019-11", "2020-02") == ["2019-11", "2019-12", "2020-01", "2020-02"]
    chart = layout([("2019-11", "KILL", 2), ("2019-11", "EXPEL", 1), ("2020-02", "KILL", 1), ("2019", "SPY", 5)])
    assert chart is not None
    assert chart["peak"] == 3 and chart["first"] == "2019-11" and chart["last"] == "2020-02"
    assert [(bar["month"], bar["type"], bar["n"]) for bar in chart["bars"]] == [
        ("2019-11", "KILL", 2), ("2019-11", "EXPEL", 1), ("2020-02", "KILL", 1)
    ]  # fmt: skip
    stacked = [bar for bar in chart["bars"] if bar["month"] == "2019-11"]
    assert stacked[0]["y"] == pytest.approx(stacked[1]["y"] + stacked[1]["h"])
    assert layout([]) is None


def test_fts_query_quotes_words_and_drops_operators() -> None:
    assert fts_query('embassy NEAR(bomb) "x" OR -y*') == '"embassy" "NEAR" "bomb" "x" "OR" "y"'
    assert fts_query("   ") == ""


def test_snippet_segments_never_contain_markers() -> None:
    parts = segments(f"a {OPEN}hit{CLOSE} b <script>")
    assert parts == [
        {"text": "a ", "mark": False, "key": None}, {"text": "hit", "mark": True, "key": None},
        {"text": " b <script>", "mark": False, "key": None},
    ]  # fmt: skip


def test_csrf_tokens_are_bound_to_their_basis_and_cookies_signed() -> None:
    keys = Keys("secret")
    token = keys.csrf_token("session-1")
    assert keys.csrf_ok("session-1", token)
    assert not keys.csrf_ok("session-2", token)
    assert not keys.csrf_ok("session-1", "")
    assert keys.unsign(keys.sign("abc")) == "abc"
    assert keys.unsign("abc.forged") is None
    assert Keys("other").unsign(keys.sign("abc")) is None


def test_same_origin() -> None:
    assert same_origin(None, "localhost:8000")
    assert same_origin("http://localhost:8000", "localhost:8000")
    assert not same_origin("https://evil.example", "localhost:8000")
