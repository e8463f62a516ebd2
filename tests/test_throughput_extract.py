"""Documents the prefilter blanks whole are not parsed; the events and their order stay those of parsing all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plotwatch import extract as stage
from plotwatch.models import Document

SAMPLE = Path(__file__).parent.parent / "plotwatch" / "data" / "sample" / "articles.jsonl"
IRRELEVANT = [
    "Ajax beat PSV 2-1 on Sunday.\n\nThe central bank cut interest rates by a quarter point.",
    "Apple will release a new phone in September; the film's release was delayed.",
    "",
    "   \n\n   ",
    "Shops will close early on Sunday.\n\nThe company will cut 300 jobs.",
]


def mixed() -> list[Document]:
    stories = [json.loads(line)["text"] for line in SAMPLE.read_text("utf-8").splitlines()[:5]]
    texts = [IRRELEVANT[0], IRRELEVANT[1], stories[0], IRRELEVANT[2], stories[1], stories[2], IRRELEVANT[3],
             IRRELEVANT[4], IRRELEVANT[0] + "\n\n" + stories[3], stories[4], IRRELEVANT[1]]  # fmt: skip
    return [Document(f"m{n}", text) for n, text in enumerate(texts)]


def outcome(documents: list[Document]) -> list[tuple[str, list[dict[str, object]]]]:
    return [(doc.doc_id, [event.to_record() for event in events]) for doc, events in stage.extract(documents)]


@pytest.mark.model
def test_skipping_blanked_documents_keeps_events_and_order(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    documents = mixed()
    skipped = outcome(documents)
    assert [doc_id for doc_id, _ in skipped] == [doc.doc_id for doc in documents]
    assert sum(len(events) for _, events in skipped) > 5
    assert all(not events for doc_id, events in skipped if doc_id in {"m0", "m1", "m3", "m6", "m7", "m10"})
    monkeypatch.setattr(stage, "PIECE", 3)  # pieces cut between and among the documents to parse
    assert outcome(documents) == skipped
    monkeypatch.setattr(stage, "_blank", lambda text: False)  # every document parsed, blanks and all
    assert outcome(documents) == skipped


@pytest.mark.model
def test_blanked_documents_never_reach_the_parser(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parsed: list[str] = []
    pipe = type(nlp).pipe

    def spy(self, texts, as_tuples=False, **kwargs):  # type: ignore[no-untyped-def]
        if not as_tuples:  # spaCy's own inner call
            yield from pipe(self, texts, **kwargs)
            return
        for doc, context in pipe(self, texts, as_tuples=True, **kwargs):
            parsed.append(context.doc_id)
            yield doc, context

    monkeypatch.setattr(type(nlp), "pipe", spy)
    list(stage.extract(mixed()))
    assert parsed == ["m2", "m4", "m5", "m8", "m9"]
