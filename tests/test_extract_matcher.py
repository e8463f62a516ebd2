"""The trigger component's fast matching equals spaCy's Matcher run over whole documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from plotwatch.extract.components import TriggerMatcher, _pos_ok, shortest_per_start

pytestmark = pytest.mark.model
DATA = Path(__file__).parent.parent / "plotwatch" / "data"


def texts() -> list[str]:
    found = []
    for folder in ("sample", "sample_fr"):
        for line in (DATA / folder / "articles.jsonl").read_text("utf-8").splitlines()[:12]:
            text = json.loads(line)["text"]
            found += [text, text.upper(), text.lower()]
    # Two triggers match the same words here ("give ... to leave", "lodge ... protest"): the order decides.
    found.append("Sweden gave the diplomats 24 hours to leave and lodged a formal protest; it also lodged a protest.")
    return found


def kept_spans(matcher: TriggerMatcher, doc: Doc, matches: list[tuple[int, int, int]]) -> list[tuple[Any, ...]]:
    spans = []
    for match_id, start, end in matches:
        trigger = matcher.triggers[doc.vocab.strings[match_id]]
        span = Span(doc, start, end, label=trigger.type, span_id=trigger.key)
        if _pos_ok(span, trigger.pos):
            spans.append(span)
    return [(s.start, s.end, s.label_, s.id_) for s in filter_spans(shortest_per_start(spans))]


def by_start(matches: list[tuple[int, int, int]]) -> dict[int, list[tuple[int, int, int]]]:
    found: dict[int, list[tuple[int, int, int]]] = {}
    for match in matches:
        found.setdefault(match[1], []).append(match)
    return found


def test_per_token_matching_keeps_the_matches_and_their_order_per_start(nlp: Language) -> None:
    component = nlp.get_pipe("plotwatch_triggers")
    assert isinstance(component, TriggerMatcher)
    total = 0
    with nlp.select_pipes(disable=["plotwatch_triggers"]):
        for doc in nlp.pipe(texts()):
            whole, fast = component.matcher(doc), component._matches(doc)
            assert by_start(fast) == by_start(whole), doc.text[:60]
            assert kept_spans(component, doc, fast) == kept_spans(component, doc, whole), doc.text[:60]
            total += len(whole)
    assert total > 100
