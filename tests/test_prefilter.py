"""The relevance prefilter: cheap, recall-first, offsets kept; its loss of gold events is measured here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plotwatch.api import sample_path
from plotwatch.extract import prefilter
from plotwatch.extract.lexicon import load_triggers
from plotwatch.extract.prefilter import (
    inflections,
    is_relevant,
    load_matcher,
    mask_irrelevant,
    paragraphs,
    relevant_spans,
)

SAMPLE = Path(sample_path()).parent
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"
MAX_LOSS = 0.01

STORY = (
    "Dutch expel Iranian diplomats\n\n"
    "THE HAGUE — The Netherlands expelled two Iranian diplomats on Thursday.\n\n"
    "The move follows months of investigation, officials said.\n\n"
    "In other news, the city council approved a new budget for parks.\n\n"
    "Ajax beat PSV 2-1 in Amsterdam on Sunday.\n\n"
    "Tickets for the final go on sale next week."
)


def gold_losses(folder: Path) -> tuple[int, list[str]]:
    """How many gold events there are, and the evidence of those outside the relevant spans."""
    lines = (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles = {a["id"]: a["text"] for a in map(json.loads, lines)}
    gold = [json.loads(line) for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    spans = {doc_id: relevant_spans(text) for doc_id, text in articles.items()}
    lost = []
    for event in gold:
        text, evidence = articles[event["article_id"]], event["evidence"]
        start = text.index(evidence)
        if not any(a <= start and start + len(evidence) <= b for a, b in spans[event["article_id"]]):
            lost.append(f"{event['event_id']}: {evidence}")
    return len(gold), lost


@pytest.mark.parametrize("folder", [SAMPLE, DEV], ids=["sample", "dev"])
def test_the_prefilter_keeps_the_evidence_of_99_percent_of_gold_events(folder: Path) -> None:
    if not (folder / "gold.jsonl").exists():
        pytest.skip(f"no gold set at {folder}")
    total, lost = gold_losses(folder)
    assert total > 50
    assert len(lost) <= MAX_LOSS * total, lost


def test_news_without_events_is_not_relevant() -> None:
    assert not is_relevant("Ajax beat PSV 2-1 on Sunday.\n\nThe central bank cut interest rates by a quarter point.")
    assert not is_relevant("Apple will release a new phone in September; the film's release was delayed.")
    assert not is_relevant("")


@pytest.mark.parametrize(
    "text",
    [
        "Britain expelled four Russian diplomats.",
        "Canada cut diplomatic ties with Iran.",
        "Germany recalled its ambassador from Moscow.",
        "The dissident was released from prison after six years.",
        "A court in Copenhagen convicted a Norwegian man of spying.",
        "The two men were held by Belgian police near Brussels.",
    ],
)
def test_events_are_relevant(text: str) -> None:
    assert is_relevant(text)


def test_a_story_with_nothing_beyond_one_country_is_not_relevant() -> None:
    local = "Police in Leeds arrested a man after a stabbing.\n\nHe was charged with assault, detectives said."
    assert not is_relevant(local)
    assert is_relevant(local + "\n\nThe suspect, a French national, was remanded in custody.")


def test_common_triggers_need_their_companion_word() -> None:
    assert not is_relevant("The company will cut 300 jobs.")
    assert is_relevant("The government will cut ties with Tehran.")
    assert not is_relevant("Shops will close early on Sunday.")
    assert is_relevant("Britain will close its embassy in Damascus.")


def test_spans_are_the_hit_paragraph_with_its_neighbours() -> None:
    spans = relevant_spans(STORY)
    assert len(spans) == 1
    start, end = spans[0]
    assert STORY[start:end].startswith("Dutch expel") and STORY[start:end].endswith("officials said.")
    [(narrow_start, narrow_end)] = relevant_spans(STORY, context=0)
    assert STORY[narrow_start:narrow_end].startswith("Dutch expel")
    assert "THE HAGUE" in STORY[narrow_start:narrow_end]


def test_masking_keeps_length_offsets_and_line_breaks() -> None:
    masked = mask_irrelevant(STORY)
    assert len(masked) == len(STORY) and masked.count("\n") == STORY.count("\n")
    sentence = "The Netherlands expelled two Iranian diplomats on Thursday."
    assert masked.index(sentence) == STORY.index(sentence)
    assert "Ajax" not in masked and "budget" not in masked


def test_paragraphs_split_on_blank_lines_and_long_blocks_on_lines() -> None:
    assert paragraphs("a\n\nb\n \nc") == [(0, 1), (3, 4), (7, 8)]
    long_block = "\n".join(["x" * 900] * 3)
    assert len(paragraphs(long_block)) == 3
    assert paragraphs("short\nlines\nstay together") == [(0, 25)]


def test_a_language_without_prefilter_data_keeps_everything() -> None:
    text = "Der Fußballverein gewann am Sonntag.\n\nDie Börse schloss fester."
    assert relevant_spans(text, lang="xx") == [(0, len(text))]
    assert mask_irrelevant(text, lang="xx") == text


def test_offsets_survive_characters_that_change_length_in_lower_case() -> None:
    text = "İstanbul police arrested two men. Turkey expelled the diplomats."
    assert relevant_spans(text) == [(0, len(text))]


def test_inflections_cover_regular_and_irregular_forms() -> None:
    assert {"expel", "expels", "expelled", "expelling"} <= inflections("expel", {})
    assert {"spy", "spies", "spied", "spying"} <= inflections("spy", {"spy": ["spied", "spies"]})
    assert {"arrest", "arrested", "arrests"} <= inflections("arrest", {})
    assert "held" in inflections("hold", {"hold": ["held"]})


def test_gates_named_in_the_data_exist() -> None:
    data = json.loads(Path(prefilter.__file__).with_name("lang").joinpath("en", "prefilter.json").read_text("utf-8"))
    named = set(data["check_gates"].values()) | set(data["lemma_gates"].values())
    assert named <= set(data["gates"])


def test_every_trigger_of_the_lexicon_has_an_anchor() -> None:
    matcher = load_matcher()
    forms = {form for form, _ in matcher.automaton.items()}
    for trigger in load_triggers("en"):
        assert trigger.lemmas[0] in forms, trigger


def test_political_violence_at_home_is_relevant_but_a_road_death_is_not() -> None:
    assert is_relevant("Gunmen shot dead a village mayor as he left his home on Tuesday, police said.")
    assert is_relevant("BOGOTA, 5 JUN 91 -- GUERRILLAS KIDNAPPED A SENATOR YESTERDAY IN CALI.")
    assert not is_relevant("The driver was charged after the crash that killed a cyclist on Tuesday.")
