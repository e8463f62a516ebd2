"""Full-text search on PostgreSQL (GIN-indexed tsvectors) finds what SQLite's FTS5 index finds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from plotwatch.models import Document, Event, Evidence, Incident, Place
from plotwatch.store import Store, open_store
from plotwatch.store.fulltext import DOCUMENT_VECTOR, EVENT_VECTOR
from plotwatch.web.search import CLOSE, OPEN, search
from tests.conftest import BACKENDS, PG_URL, fresh_postgres

STORIES = {
    "d1": ("Sweden expels Iranian diplomats", "Sweden expelled two Iranian diplomats over a plot against exiles."),
    "d2": ("Court news", "A court in Leeds convicted a man of burglary on Tuesday."),
    "d3": ("Kidnap plot foiled", "Police in Examplestadt foiled a plot to kidnap a journalist, officials said."),
}


def _event(doc_id: str, type_: str, sentence: str, place: str) -> Event:
    return Event(doc_id=doc_id, type=type_, evidence=Evidence(sentence, 0, len(sentence)), place=Place(name=place))


def _fill(store: Store) -> None:
    for doc_id, (title, body) in STORIES.items():
        assert store.add_document(Document(doc_id=doc_id, title=title, text=body))
    expel = _event("d1", "EXPEL", STORIES["d1"][1], "Stockholm")
    kidnap = _event("d3", "KIDNAP", STORIES["d3"][1], "Examplestadt")
    store.save_extraction("d1", "test", [expel])
    store.save_extraction("d3", "test", [kidnap])
    store.replace_incidents([Incident("inc-expel", "EXPEL", [expel]), Incident("inc-kidnap", "KIDNAP", [kidnap])])


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "search.db") if request.param == "sqlite" else fresh_postgres()
    with open_store(db) as opened:
        _fill(opened)
        yield opened


def keys(found: dict[str, list[tuple[str, str, str]]]) -> dict[str, list[str]]:
    return {kind: sorted(key for key, _, _ in hits) for kind, hits in found.items()}


def test_all_words_are_required_and_operators_are_plain_words(store: Store) -> None:
    assert keys(search(store.engine, "Iranian diplomats")) == {"incident": ["inc-expel"], "document": ["d1"]}
    assert keys(search(store.engine, "plot")) == {"incident": ["inc-expel", "inc-kidnap"], "document": ["d1", "d3"]}
    assert keys(search(store.engine, "examplestadt")) == {"incident": ["inc-kidnap"], "document": ["d3"]}
    assert keys(search(store.engine, "burglary")) == {"incident": [], "document": ["d2"]}
    assert keys(search(store.engine, "Iranian burglary")) == {"incident": [], "document": []}
    assert keys(search(store.engine, '"unbalanced OR ( & !')) == {"incident": [], "document": []}


def test_a_title_word_ranks_first_and_snippets_mark_the_words(store: Store) -> None:
    assert [key for key, _, _ in search(store.engine, "plot")["document"]] == ["d3", "d1"]  # "plot" in d3's title
    title_hit = search(store.engine, "kidnap")["document"][0]
    assert title_hit[:2] == ("d3", "Kidnap plot foiled")
    assert f"{OPEN}kidnap{CLOSE}" in title_hit[2]


@pytest.mark.skipif(not PG_URL, reason="set PLOTWATCH_TEST_POSTGRES")
def test_postgres_queries_use_the_gin_indexes() -> None:
    with open_store(fresh_postgres()) as store:
        _fill(store)
        with store.engine.connect() as conn:
            conn.execute(text("SET enable_seqscan = off"))  # three rows: the planner would rather scan them
            for table, vector, index in (("documents", DOCUMENT_VECTOR, "ix_documents_search"),
                                         ("events", EVENT_VECTOR, "ix_events_search")):  # fmt: skip
                plan = conn.execute(
                    text(f"EXPLAIN SELECT 1 FROM {table} WHERE {vector} @@ plainto_tsquery('simple', 'plot')")
                ).scalars()
                assert index in "\n".join(plan), f"{table}: the query does not use {index}"
