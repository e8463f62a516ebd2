"""Links on the package's own gold set: response → plot, legal case steps, recall episodes.

``plotwatch/data/sample/links.jsonl`` is a hand-labelled list of the links
between the sample's gold incidents. The floors are pinned like the quality
gate's: raise them when linking improves; lowering one is a reviewed change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plotwatch import pipeline
from plotwatch.api import sample_path
from plotwatch.evaluate import load_jsonl
from plotwatch.merge.evaluate import LinkScore, incident_map, score_links
from plotwatch.merge.links import link_incidents
from plotwatch.models import Event, Evidence, Incident
from plotwatch.store import open_store

SAMPLE = Path(sample_path()).parent
FLOORS = {"precision": 0.85, "recall_found": 0.7}


def test_gold_links_name_gold_incidents() -> None:
    incidents = {line["incident"] for line in load_jsonl(SAMPLE / "gold.jsonl")}
    for line in load_jsonl(SAMPLE / "links.jsonl"):
        assert line["kind"] in ("response_to", "case_step", "recall_episode")
        assert line["from"] in incidents and line["to"] in incidents


def incident(incident_id: str, type_: str, doc: str, start: int, text: str, date: str | None = None) -> Incident:
    event = Event(doc_id=doc, type=type_, evidence=Evidence(text, start, start + len(text)), date=date,
                  country="DNK", incident_id=incident_id)  # fmt: skip
    return Incident(incident_id, type_, [event])


def test_a_response_reported_in_the_plots_sentence_answers_it() -> None:
    sentence = "Denmark recalled its ambassador after an Iranian plot to kill an activist."
    links, _ = link_incidents([
        incident("recall", "RECALL", "a", 0, sentence, "2018-10-30"),
        incident("plot", "KILL", "a", 0, sentence, "2018-09"),
        incident("other", "ATTACK", "b", 0, "A bomb exploded in 2015.", "2015"),
    ])  # fmt: skip
    assert [(link.kind, link.source_id, link.target_id, link.rule) for link in links] == [
        ("response_to", "recall", "plot", "same_sentence")
    ]


def test_a_recall_and_the_return_make_an_episode_with_its_duration() -> None:
    links, cases = link_incidents([
        incident("recall", "RECALL", "a", 0, "Denmark recalled its ambassador.", "2018-10-30"),
        incident("back", "RESTORE", "b", 0, "The ambassador returned to Tehran.", "2019-01-15"),
    ])  # fmt: skip
    assert [(case.kind, case.row()["duration_days"]) for case in cases] == [("recall", 77)]
    assert [(link.kind, link.source_id, link.target_id) for link in links] == [("recall_episode", "back", "recall")]


@pytest.fixture(scope="module")
def link_score(tmp_path_factory: pytest.TempPathFactory) -> LinkScore:
    db = tmp_path_factory.mktemp("links") / "sample.db"
    pipeline.run([str(SAMPLE / "articles.jsonl")], str(db))
    with open_store(str(db)) as store:
        predictions = list(store.iter_event_records())
        links = store.list_links()
    mapping = incident_map(load_jsonl(SAMPLE / "gold.jsonl"), predictions)
    return score_links(load_jsonl(SAMPLE / "links.jsonl"), mapping, links)


@pytest.mark.model
def test_sample_links_above_floors(link_score: LinkScore) -> None:
    report = json.dumps(link_score.__dict__, default=str)
    assert link_score.precision >= FLOORS["precision"], report
    assert link_score.recall_found >= FLOORS["recall_found"], report
