"""Links between incidents: a response to the plot it answers, legal cases, recall episodes.

``response_to`` (response → hostile incident), by the first rule that applies:

- ``same_sentence`` (0.9): one sentence reports both ("Denmark recalled its
  ambassador after ... a plot to kill an activist"); the sentence is the evidence.
- ``same_document`` (0.6): the report of the response reports one hostile
  incident only (or one above the others), which happened before the response.
- ``same_case`` (0.5): a later step of a legal case whose earlier step answers one.

A **legal case** joins ARREST, CHARGE, CONVICT and RELEASE incidents that name
the same person, or that one sentence reports together, or that answer the
same plot in the same country; its steps are ordered by date. A **recall
episode** pairs a RECALL with the next RESTORE of the same state towards the
same state, with its duration in days.

Every rule needs something two incidents share (a document, a person's name,
a plot, the recalling state), so each looks only at the incidents indexed
under what it needs; the rules themselves are applied as written, and the
links are those of comparing every pair (``tests/test_links_scale.py``).
"""

from __future__ import annotations

import hashlib
import itertools
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from plotwatch.merge.mentions import TYPE_GROUPS, day_span, name_keys
from plotwatch.models import HOSTILE_TYPES, Event, Incident

__all__ = ["LEGAL_TYPES", "Link", "build_cases", "link_incidents", "same_case_links"]

LEGAL_TYPES = ("ARREST", "CHARGE", "CONVICT", "RELEASE")
RESPONSES_LINKED = frozenset({"EXPEL", "SUMMON", "RECALL", "SANCTION", "SEVER", *LEGAL_TYPES})
CONFIDENCE = {"same_sentence": 0.9, "same_document": 0.6, "same_case": 0.5}
# A response is taken to answer a plot no more than this long before it.
MAX_RESPONSE_DAYS = 10 * 366
# A report's response and the plot nearest to it are about each other when this close (characters).
NEAR_CHARS = 200


@dataclass
class Link:
    kind: str
    source_id: str
    target_id: str
    rule: str
    confidence: float
    evidence_doc: str | None = None
    evidence_text: str | None = None

    @property
    def link_id(self) -> str:
        key = f"{self.kind}|{self.source_id}|{self.target_id}"
        return "lnk-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def row(self) -> dict[str, Any]:
        return {"link_id": self.link_id, "kind": self.kind, "source_id": self.source_id,
                "target_id": self.target_id, "rule": self.rule, "evidence_doc": self.evidence_doc,
                "evidence_text": self.evidence_text, "confidence": self.confidence}  # fmt: skip


def _start(incident: Incident) -> int | None:
    spans = [span for event in incident.events if (span := day_span(event.date))]
    return min(span[0] for span in spans) if spans else None


def _before(hostile: Incident, response: Incident) -> bool:
    """The plot is not dated after the response (unknown dates do not object)."""
    h, r = _start(hostile), _start(response)
    return h is None or r is None or (h <= r + 31 and r - h <= MAX_RESPONSE_DAYS)


def _overlaps(a: Event, b: Event) -> bool:
    return a.doc_id == b.doc_id and a.evidence.start < b.evidence.end and b.evidence.start < a.evidence.end


def _same_sentence(response: Incident, hostile: Incident) -> Event | None:
    for event in response.events:
        if any(_overlaps(event, other) for other in hostile.events):
            return event
    return None


def _gap(event: Event, hostile: Incident) -> int:
    return min(_distance(event, other) for other in hostile.events if other.doc_id == event.doc_id)


def _distance(a: Event, b: Event) -> int:
    """Characters between two mentions of one document."""
    return max(0, max(a.evidence.start, b.evidence.start) - min(a.evidence.end, b.evidence.end))


def _document_choice(response: Incident, hostiles_in: dict[str, list[Incident]]) -> tuple[Incident, str] | None:
    """The hostile incident a report of the response is about: the only one it reports that the
    response may answer, or one reported within ``NEAR_CHARS`` of the response and nearer than any other."""
    for event in sorted(response.events, key=lambda e: (e.doc_id, e.evidence.start)):
        found = hostiles_in.get(event.doc_id, [])
        candidates = [h for h in found if _may_answer(h, response) and _same_ground(h, response)]
        gaps = sorted((_gap(event, hostile), hostile.incident_id, hostile) for hostile in candidates)
        if len(gaps) == 1 or (gaps and gaps[0][0] <= NEAR_CHARS < gaps[1][0]):
            return gaps[0][2], event.doc_id
    return None


def _same_ground(hostile: Incident, response: Incident) -> bool:
    """A legal step answers a plot in that plot's country, unless it names one of the plot's people."""
    if response.type not in LEGAL_TYPES:
        return True
    return _country(response) == _country(hostile) or bool(_names(response) & _names(hostile))


def _state(incident: Incident, role: str) -> str | None:
    states = Counter(getattr(event, role).state for event in incident.events if getattr(event, role).state)
    return states.most_common(1)[0][0] if states else None


def _may_answer(hostile: Incident, response: Incident) -> bool:
    """Dated before the response, and not a state answering its own plot abroad."""
    sponsor = _state(hostile, "actor")
    responder = _country(response) or _state(response, "actor")
    own = sponsor is not None and sponsor == responder and sponsor != _country(hostile)
    return _before(hostile, response) and not own


def _sentence_link(response: Incident, hostile: Incident, event: Event) -> Link:
    rule = "same_sentence"
    return Link("response_to", response.incident_id, hostile.incident_id, rule, CONFIDENCE[rule],
                event.doc_id, event.evidence.text)  # fmt: skip


def _positions_by_document(incidents: Sequence[Incident]) -> dict[str, list[int]]:
    """The positions in ``incidents`` of those that report each document."""
    found: dict[str, list[int]] = defaultdict(list)
    for position, incident in enumerate(incidents):
        for doc_id in sorted(incident.documents):
            found[doc_id].append(position)
    return found


def _sharing_document(incident: Incident, positions_in: dict[str, list[int]]) -> list[int]:
    """The positions indexed under any document of ``incident``, in order, each once."""
    return sorted({position for doc_id in incident.documents for position in positions_in.get(doc_id, ())})


def response_links(incidents: Sequence[Incident]) -> list[Link]:
    """``response_to`` links from responses to the hostile incidents they answer.

    One sentence, and one report, are in one document: a response is compared
    with the hostile incidents of its own documents only.
    """
    hostiles = [incident for incident in incidents if incident.type in HOSTILE_TYPES]
    positions_in = _positions_by_document(hostiles)
    hostiles_in = {doc_id: [hostiles[k] for k in found] for doc_id, found in positions_in.items()}
    links: list[Link] = []
    for response in incidents:
        if response.type not in RESPONSES_LINKED:
            continue
        found = [
            _sentence_link(response, hostile, event)
            for hostile in (hostiles[k] for k in _sharing_document(response, positions_in))
            if _may_answer(hostile, response) and (event := _same_sentence(response, hostile)) is not None
        ]
        if not found and (choice := _document_choice(response, hostiles_in)):
            hostile, doc_id = choice
            found = [Link("response_to", response.incident_id, hostile.incident_id, "same_document",
                          CONFIDENCE["same_document"], doc_id)]  # fmt: skip
        links.extend(found)
    return links


@dataclass
class Case:
    case_id: str
    kind: str
    steps: list[Incident] = field(default_factory=list)
    plot_id: str | None = None

    def row(self) -> dict[str, Any]:
        dates = [date for step in self.steps if (date := _date(step))]
        start, end = (min(dates), max(dates)) if dates else (None, None)
        first, last = day_span(start), day_span(end)
        duration = last[0] - first[0] if first and last and self.kind == "recall" else None
        country = Counter(e.country for s in self.steps for e in s.events if e.country).most_common(1)
        label = " → ".join(step.type for step in self.steps)
        return {"case_id": self.case_id, "kind": self.kind, "label": label,
                "country": country[0][0] if country else None, "start": start, "end": end,
                "duration_days": duration, "plot_id": self.plot_id,
                "steps": [{"incident_id": s.incident_id, "type": s.type, "date": _date(s),
                           "country": _country(s)} for s in self.steps]}  # fmt: skip


def _date(incident: Incident) -> str | None:
    dates = sorted(event.date for event in incident.events if event.date)
    return dates[0] if dates else None


def _country(incident: Incident) -> str | None:
    found = Counter(event.country for event in incident.events if event.country).most_common(1)
    return found[0][0] if found else None


def _step_order(incident: Incident) -> tuple[int, int, str]:
    """Legal steps in their natural order (arrest, charge, conviction, release), then by date."""
    start = _start(incident)
    return (LEGAL_TYPES.index(incident.type), start if start is not None else 10**9, incident.incident_id)


def _names(incident: Incident) -> set[str]:
    names = [p.text for e in incident.events for p in e.perpetrators if p.kind == "person"]
    return set(name_keys(names))


def _plot_key(incident: Incident) -> tuple[str, str | None]:
    """Plots the merge could not join are still one story for a case: same kind of act, same country."""
    return (TYPE_GROUPS.get(incident.type, incident.type), _country(incident))


class _Groups:
    """Union-find over incident ids."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {incident_id: incident_id for incident_id in ids}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: str, y: str) -> None:
        self.parent[self.find(x)] = self.find(y)

    def union_alike(self, keyed: Iterable[tuple[str, str]]) -> None:
        """Join the incidents given under one key (pairs of key and incident id)."""
        first: dict[str, str] = {}
        for key, incident_id in keyed:
            self.union(incident_id, first.setdefault(key, incident_id))


def _overlapping(incidents: Sequence[Incident]) -> Iterator[tuple[str, str]]:
    """Pairs of incident ids with a mention each in one sentence (``_overlaps``), by a sweep of each document."""
    by_doc: dict[str, list[tuple[int, int, int, Event, str]]] = defaultdict(list)
    for incident in incidents:
        for event in incident.events:
            key = (event.evidence.start, event.evidence.end, len(by_doc[event.doc_id]))
            by_doc[event.doc_id].append((*key, event, incident.incident_id))
    for events in by_doc.values():
        active: list[tuple[int, int, int, Event, str]] = []
        for item in sorted(events, key=lambda item: item[:3]):
            active = [other for other in active if other[1] > item[0]]  # ends before: nothing later overlaps it
            yield from ((other[4], item[4]) for other in active if _overlaps(other[3], item[3]))
            active.append(item)


def _legal_groups(legal: list[Incident], plot_of: dict[str, str]) -> list[list[Incident]]:
    """Legal incidents that name one person, share a sentence or answer one plot, transitively (each group
    of more than one type, in the order of its first incident in ``legal``)."""
    groups = _Groups(incident.incident_id for incident in legal)
    groups.union_alike((name, i.incident_id) for i in legal for name in sorted(_names(i)))
    groups.union_alike((plot, i.incident_id) for i in legal if (plot := plot_of.get(i.incident_id)) is not None)
    for a, b in _overlapping(legal):
        groups.union(a, b)
    found: dict[str, list[Incident]] = defaultdict(list)
    for incident in legal:
        found[groups.find(incident.incident_id)].append(incident)
    return [sorted(group, key=_step_order) for group in found.values() if len({i.type for i in group}) > 1]


def _case_id(kind: str, steps: Sequence[Incident]) -> str:
    key = kind + "|" + steps[0].incident_id
    return "case-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _side(incident: Incident) -> tuple[str | None, str | None]:
    """The commonest (acting state, target state) of the incident's mentions."""
    states = Counter((e.actor.state or e.country, e.target.state) for e in incident.events).most_common(1)
    return states[0][0] if states else (None, None)


class _Restores:
    """RESTORE incidents by acting state, each list by start, taken off as they are matched."""

    def __init__(self, restores: Iterable[Incident]) -> None:
        self.by_state: dict[str, list[Incident]] = defaultdict(list)
        for restore in sorted(restores, key=lambda i: _start(i) or 0):
            if state := _side(restore)[0]:
                self.by_state[state].append(restore)
        self.starts = {state: [_start(r) or 0 for r in found] for state, found in self.by_state.items()}
        self.skip: dict[tuple[str, int], int] = {}  # a taken position -> a position after it

    def take(self, state: str | None, start: int) -> Incident | None:
        """The first restore of ``state`` not taken yet that starts on or after ``start``, taken."""
        if state is None or state not in self.by_state:
            return None
        position, taken = bisect_left(self.starts[state], start), []
        while (state, position) in self.skip:
            taken.append(position)
            position = self.skip[(state, position)]
        for passed in taken:  # path compression
            self.skip[(state, passed)] = position
        if position == len(self.by_state[state]):
            return None
        self.skip[(state, position)] = position + 1
        return self.by_state[state][position]


def recall_episodes(incidents: Sequence[Incident]) -> list[Case]:
    """RECALL → the next RESTORE by the same state (the first one not paired yet, recalls taken by date)."""
    restores = _Restores(i for i in incidents if i.type == "RESTORE")
    episodes = []
    for recall in sorted((i for i in incidents if i.type == "RECALL"), key=lambda i: _start(i) or 0):
        match = restores.take(_side(recall)[0], _start(recall) or 0)
        if match is not None:
            episodes.append(Case(_case_id("recall", [recall]), "recall", [recall, match]))
    return episodes


def _step_links(case: Case) -> Iterator[Link]:
    """Each step of ``case`` to the latest earlier step of another type."""
    kind = "case_step" if case.kind == "legal" else "recall_episode"
    before_run: Incident | None = None  # the latest step of another type than the one just seen
    for earlier, later in itertools.pairwise(case.steps):
        if earlier.type != later.type:
            before_run = earlier
        if before_run is not None:
            yield Link(kind, later.incident_id, before_run.incident_id, f"{case.kind}_case", 0.6)


def case_inputs(
    incidents: Sequence[Incident], links: Sequence[Link]
) -> tuple[list[Incident], dict[str, str], dict[str, str]]:
    """The legal incidents (by id), the plot each response answers (one id per plot key) and the raw answers."""
    by_id = {incident.incident_id: incident for incident in incidents}
    plots = {link.target_id: link.target_id for link in links if link.kind == "response_to"}
    keys: dict[tuple[str, str | None], str] = {}
    for plot_id in sorted(plots):
        plots[plot_id] = keys.setdefault(_plot_key(by_id[plot_id]), plot_id) if plot_id in by_id else plot_id
    answers = {link.source_id: link.target_id for link in links if link.kind == "response_to"}
    plot_of = {source: plots[target] for source, target in answers.items()}
    legal = sorted((i for i in incidents if i.type in LEGAL_TYPES), key=lambda i: i.incident_id)
    return legal, plot_of, answers


def build_cases(incidents: Sequence[Incident], links: Sequence[Link]) -> tuple[list[Case], list[Link]]:
    """Legal cases and recall episodes, and the ``case_step`` links between their consecutive steps."""
    legal, plot_of, answers = case_inputs(incidents, links)
    found: list[Case] = []
    for steps in _legal_groups(legal, plot_of):
        top = Counter(answers[s.incident_id] for s in steps if s.incident_id in answers).most_common(1)
        found.append(Case(_case_id("legal", steps), "legal", steps, top[0][0] if top else None))
    found.extend(recall_episodes(incidents))
    return found, [link for case in found for link in _step_links(case)]


def same_case_links(cases: Sequence[Case], responses: Sequence[Link]) -> list[Link]:
    """``same_case`` response links: a step of a legal case that answers no plot itself answers the case's plot."""
    answered = {link.source_id for link in responses}
    return [
        Link("response_to", step.incident_id, case.plot_id, "same_case", CONFIDENCE["same_case"])
        for case in cases
        if case.kind == "legal" and case.plot_id is not None
        for step in case.steps
        if step.incident_id not in answered
    ]


def link_incidents(incidents: Sequence[Incident]) -> tuple[list[Link], list[Case]]:
    """Every link (response_to, case_step, recall_episode) and every case."""
    responses = response_links(incidents)
    cases, steps = build_cases(incidents, responses)
    return responses + same_case_links(cases, responses) + steps, cases
