"""Indexed links equal the pairwise ones (issue 7): ``link_incidents`` against the implementation that
compared every response with every hostile incident and every legal incident with every other, kept
here as the reference, on random incidents that share documents, sentences, names, states and dates."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import pytest

from plotwatch.merge import links
from plotwatch.merge.links import (
    CONFIDENCE,
    LEGAL_TYPES,
    RESPONSES_LINKED,
    Case,
    Link,
    _case_id,
    _document_choice,
    _may_answer,
    _names,
    _same_sentence,
    _sentence_link,
    _start,
    _step_order,
    link_incidents,
    same_case_links,
)
from plotwatch.models import EVENT_TYPES, HOSTILE_TYPES, Actor, Event, Evidence, Incident, Perpetrator

# The pairwise linking that plotwatch used before issue 7, kept as the reference.


def _old_response_links(incidents: Sequence[Incident]) -> list[Link]:
    hostiles = [incident for incident in incidents if incident.type in HOSTILE_TYPES]
    hostiles_in: dict[str, list[Incident]] = defaultdict(list)
    for hostile in hostiles:
        for doc_id in sorted(hostile.documents):
            hostiles_in[doc_id].append(hostile)
    found_links: list[Link] = []
    for response in incidents:
        if response.type not in RESPONSES_LINKED:
            continue
        found = [
            _sentence_link(response, hostile, event)
            for hostile in hostiles
            if _may_answer(hostile, response) and (event := _same_sentence(response, hostile)) is not None
        ]
        if not found and (choice := _document_choice(response, hostiles_in)):
            hostile, doc_id = choice
            found = [Link("response_to", response.incident_id, hostile.incident_id, "same_document",
                          CONFIDENCE["same_document"], doc_id)]  # fmt: skip
        found_links.extend(found)
    return found_links


def _old_legal_groups(legal: list[Incident], plot_of: dict[str, str]) -> list[list[Incident]]:
    parent = {incident.incident_id: incident.incident_id for incident in legal}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(legal):
        for b in legal[i + 1 :]:
            plot_a, plot_b = plot_of.get(a.incident_id), plot_of.get(b.incident_id)
            same_plot = plot_a is not None and plot_b is not None and plot_a == plot_b
            if _names(a) & _names(b) or _same_sentence(a, b) or same_plot:
                parent[find(a.incident_id)] = find(b.incident_id)
    groups: dict[str, list[Incident]] = defaultdict(list)
    for incident in legal:
        groups[find(incident.incident_id)].append(incident)
    return [sorted(group, key=_step_order) for group in groups.values() if len({i.type for i in group}) > 1]


def _old_recall_episodes(incidents: Sequence[Incident]) -> list[Case]:
    def side(incident: Incident) -> tuple[str | None, str | None]:
        states = Counter((e.actor.state or e.country, e.target.state) for e in incident.events).most_common(1)
        return states[0][0] if states else (None, None)

    restores = sorted((i for i in incidents if i.type == "RESTORE"), key=lambda i: _start(i) or 0)
    episodes = []
    for recall in sorted((i for i in incidents if i.type == "RECALL"), key=lambda i: _start(i) or 0):
        start = _start(recall)
        match = next(
            (r for r in restores if side(r)[0] and side(r)[0] == side(recall)[0] and (_start(r) or 0) >= (start or 0)),
            None,
        )
        if match is not None:
            restores.remove(match)
            episodes.append(Case(_case_id("recall", [recall]), "recall", [recall, match]))
    return episodes


def _old_build_cases(incidents: Sequence[Incident], found_links: Sequence[Link]) -> tuple[list[Case], list[Link]]:
    legal, plot_of, answers = links.case_inputs(incidents, found_links)  # unchanged by the indexing
    found: list[Case] = []
    for steps in _old_legal_groups(legal, plot_of):
        top = Counter(answers[s.incident_id] for s in steps if s.incident_id in answers).most_common(1)
        found.append(Case(_case_id("legal", steps), "legal", steps, top[0][0] if top else None))
    found.extend(_old_recall_episodes(incidents))
    steps_links = []
    for case in found:
        kind = "case_step" if case.kind == "legal" else "recall_episode"
        for position, later in enumerate(case.steps[1:], start=1):
            earlier = next((s for s in reversed(case.steps[:position]) if s.type != later.type), None)
            if earlier is not None:
                steps_links.append(Link(kind, later.incident_id, earlier.incident_id, f"{case.kind}_case", 0.6))
    return found, steps_links


def _old_link_incidents(incidents: Sequence[Incident]) -> tuple[list[Link], list[Case]]:
    responses = _old_response_links(incidents)
    cases, steps = _old_build_cases(incidents, responses)
    return responses + same_case_links(cases, responses) + steps, cases


# Random incidents: few documents, countries, states and names, so that every rule has work to do.

STATES = ["IRN", "RUS", "DNK", "GBR", None]
NAMES = ["Assadi", "Karimi", "Ali Nouri", "Lena Berg", "the man", "Omar Said"]
TYPES = [*EVENT_TYPES, *LEGAL_TYPES, *LEGAL_TYPES, "RECALL", "RESTORE", "RESTORE", "KILL", "ATTACK"]


def _date(rng: random.Random) -> str | None:
    year = rng.choice([2017, 2018, 2019, 2030])
    return rng.choice([None, None, f"{year}", f"{year}-{rng.randint(1, 12):02d}",
                       f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "2018-13"])  # fmt: skip


def _event(rng: random.Random, type_: str, docs: int) -> Event:
    start = rng.choice([rng.randrange(0, 600), rng.randrange(0, 600, 50)])
    length = rng.choice([0, 10, 40, 120, 400])
    names = rng.sample(NAMES, rng.randint(0, 2))
    return Event(
        doc_id=f"d{rng.randrange(docs)}", type=type_, evidence=Evidence("x" * length, start, start + length),
        date=_date(rng), country=rng.choice(STATES), actor=Actor(state=rng.choice(STATES)),
        target=Actor(state=rng.choice(STATES)),
        perpetrators=[Perpetrator(name, rng.choice(["person", "person", "organization"])) for name in names],
    )  # fmt: skip


def _incidents(rng: random.Random, count: int) -> list[Incident]:
    docs = rng.randint(1, max(1, count // 3))
    found = []
    for k in range(count):
        type_ = rng.choice(TYPES)
        events = [_event(rng, type_, docs) for _ in range(rng.choice([1, 1, 2, 3]))]
        incident_id = f"inc-{rng.randrange(count * 3) if rng.random() < 0.05 else k:04d}"  # an id twice, at times
        found.append(Incident(incident_id, type_, events))
    if found and rng.random() < 0.1:
        found.append(rng.choice(found))  # one incident listed twice
    return found


def _rows(result: tuple[list[Link], list[Case]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    found_links, cases = result
    return [link.row() for link in found_links], [case.row() for case in cases]


@pytest.mark.parametrize("seed", range(20))
def test_links_equal_the_pairwise_ones(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(10):
        incidents = _incidents(rng, rng.randint(0, 60))
        assert _rows(link_incidents(incidents)) == _rows(_old_link_incidents(incidents))


def test_the_random_incidents_exercise_every_rule() -> None:
    rng = random.Random(0)
    rules: Counter[str] = Counter()
    for _ in range(50):
        found_links, _ = link_incidents(_incidents(rng, rng.randint(0, 60)))
        rules.update(link.rule for link in found_links)
    assert set(rules) == {*CONFIDENCE, "legal_case", "recall_case"}
    assert min(rules.values()) >= 10, rules


def test_recall_episodes_take_each_restore_once_in_order() -> None:
    rng = random.Random(1)
    for _ in range(100):
        incidents = [incident for incident in _incidents(rng, 40) if incident.type in ("RECALL", "RESTORE")]
        new, old = links.recall_episodes(incidents), _old_recall_episodes(incidents)
        assert [case.row() for case in new] == [case.row() for case in old]


def test_case_steps_link_to_the_latest_step_of_another_type() -> None:
    steps = [
        Incident(f"s{k}", type_, []) for k, type_ in enumerate(["ARREST", "ARREST", "CHARGE", "CHARGE", "CONVICT"])
    ]
    _, step_links = links.build_cases([], [])
    assert step_links == []
    found = list(links._step_links(Case("c", "legal", steps)))
    assert [(link.source_id, link.target_id) for link in found] == [("s2", "s1"), ("s3", "s1"), ("s4", "s3")]
