"""Event records from the triggers of one French or German document.

The same records as the English extractor (plotwatch/models.py ``Event``), with
the evidence sentence in the original language and exact offsets into the
document's text. Document passes fill what a sentence leaves out, as in
extract/events.py: a plot's place and date from its other mentions or the
dateline, a sponsor from the story, a response's date from the response before
it in its paragraph, a legal step's country from the case.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from plotwatch.extract.multi import context, participants
from plotwatch.extract.multi.data import LangData
from plotwatch.extract.multi.dates import find_dates
from plotwatch.extract.multi.dating import date_of
from plotwatch.extract.multi.nlp import DATELINE, TRIGGERS
from plotwatch.models import HOSTILE_TYPES, Document, Event, Evidence, Place
from plotwatch.resolve import lookup_place

ACTING_STATE_TYPES = {"EXPEL", "SUMMON", "RECALL", "RESTORE", "SANCTION", "SEVER", "CHARGE", "CONVICT", "RELEASE"}
LEGAL_TYPES = {"ARREST", "CHARGE", "CONVICT", "RELEASE"}
DIPLOMATIC = ACTING_STATE_TYPES - LEGAL_TYPES
GROUPS = {"KILL": "VIOLENT", "ATTACK": "VIOLENT", "SURVEIL": "SPYING", "SPY": "SPYING"}


@dataclass
class Story:
    """What the triggers of one document share."""

    document: Document
    data: LangData
    extractor: str
    dateline: Place | None
    title_end: int
    last_date: str | None = None


def story_of(doc: Doc, document: Document, data: LangData, extractor: str) -> Story:
    title_end = document.text.find("\n\n")
    return Story(document, data, extractor, _dateline(document.text, data), title_end if title_end >= 0 else 0)


def _dateline(text: str, data: LangData) -> Place | None:
    for paragraph in text.split("\n\n")[:3]:
        match = DATELINE.match(paragraph.strip())
        if match:
            name = match.group(0).strip(" —–-").split(",")[0].split("/")[0].strip().title()
            return lookup_place(data.places.get(name.lower(), name))
    return None


def events_from_doc(doc: Doc, story: Story) -> list[Event]:
    events: list[Event] = []
    for span in doc.spans[TRIGGERS]:
        if not context.is_event(span, story.data):
            continue
        event = event_of(span, story)
        if _is_bare_reference(span, event):
            continue
        events.append(event)
        if event.date:
            story.last_date = event.date
    return finish(events, story)


def event_of(span: Span, story: Story) -> Event:
    found = participants.collect(span, story.data, story.dateline)
    when = date_of(span, story.data, story.document.published, story.last_date)
    event = Event(
        doc_id=story.document.doc_id, type=span.label_, evidence=evidence(span.sent, story.document.text),
        status=context.status_of(span, story.data),  # type: ignore[arg-type]
        hedged=context.is_hedged(span, story.data), date=when, place=found.place,
        actor=found.actor, target=found.target, count=found.count, extractor=story.extractor,
        trigger=span.text, confidence=0.0, event_id=_event_id(story.document.doc_id, span),
    )  # fmt: skip
    event.country = _country(event)
    return event


def _is_bare_reference(span: Span, event: Event) -> bool:
    """ "sur le meurtre d'un Géorgien", "nach dem Mord": a noun that names no one, nowhere, never."""
    root = span[0]
    noun = root.pos_ in {"NOUN", "PROPN"} if span.doc.has_annotation("POS") else root.text[:1].isupper()
    if not noun or (root.i == span.sent.start and not span.doc.has_annotation("POS")):
        return False
    return not any((event.actor.state, event.target.state, event.place.country, event.date))


def evidence(sentence: Span, original: str) -> Evidence:
    text = sentence.text.strip()
    start = sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
    return Evidence(text=original[start : start + len(text)], start=start, end=start + len(text))


def _event_id(doc_id: str, span: Span) -> str:
    key = f"{doc_id}|{span.label_}|{span.start_char}|{span.end_char}|0"
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _country(event: Event) -> str | None:
    acting = event.actor.state
    if event.type in ACTING_STATE_TYPES and acting:
        return acting
    if event.place.country:
        return event.place.country
    return None if event.type in HOSTILE_TYPES else acting


def group(type_: str) -> str:
    return GROUPS.get(type_, type_)


def finish(events: list[Event], story: Story) -> list[Event]:
    body = {group(e.type) for e in events if e.evidence.start >= story.title_end}
    kept = [e for e in events if e.evidence.start >= story.title_end or group(e.type) not in body]
    kept = _one_per_sentence(kept)
    _fill_hostile_places(kept, story)
    _fill_hostile_dates(kept)
    _fill_sponsors(kept)
    _fill_paragraph_dates(kept, story)
    _fill_response_countries(kept, story)
    kept = _one_per_story(kept)
    kept = [e for e in kept if e.country or (e.actor.state and e.type not in HOSTILE_TYPES)]
    kept = [e for e in kept if e.type not in DIPLOMATIC or (e.actor.state and e.actor.state != e.target.state)]
    for event in kept:
        event.scope = _scope(event)  # type: ignore[assignment]
        event.confidence = _confidence(event)
    return kept


def _one_per_sentence(events: list[Event]) -> list[Event]:
    """Two triggers of one type group and actor in one sentence ("l'assassinat ... tué") are one event."""
    seen: dict[tuple[int, str, str | None], Event] = {}
    for event in events:
        key = (event.evidence.start, group(event.type), event.actor.state)
        first = seen.setdefault(key, event)
        if first is not event and not first.date:
            first.date = event.date
    return list(seen.values())


def _same(kept: Event, event: Event) -> bool:
    if group(kept.type) != group(event.type) or kept.country != event.country:
        return False
    if kept.date and event.date and kept.date != event.date:
        return False
    if event.type in HOSTILE_TYPES:
        return True
    targets = {kept.target.state, event.target.state} - {None}
    return kept.actor.state == event.actor.state and len(targets) <= 1


def _one_per_story(events: list[Event]) -> list[Event]:
    """Later mentions of an act already told ("l'enlèvement ... a été enlevé le 23 juillet") add only a date."""
    kept: list[Event] = []
    for event in events:
        first = next((k for k in kept if _same(k, event)), None)
        if first is None:
            kept.append(event)
        elif not first.date:
            first.date = event.date
    return kept


def _fill_hostile_places(events: list[Event], story: Story) -> None:
    hostile = [e for e in events if e.type in HOSTILE_TYPES]
    for event in hostile:
        if event.country:
            continue
        placed = [e for e in hostile if e.country and group(e.type) == group(event.type)]
        source = min(placed, key=lambda e: abs(e.evidence.start - event.evidence.start), default=None)
        if source is not None:
            event.country, event.place = source.country, source.place
        elif story.dateline and story.dateline.country and story.dateline.country != event.actor.state:
            event.country, event.place = story.dateline.country, story.dateline


def _fill_hostile_dates(events: list[Event]) -> None:
    for event in events:
        if event.date or event.type not in HOSTILE_TYPES:
            continue
        dated = [e for e in events if e.date and group(e.type) == group(event.type) and e.country == event.country]
        source = min(dated, key=lambda e: abs(e.evidence.start - event.evidence.start), default=None)
        if source is not None:
            event.date = source.date


def _fill_sponsors(events: list[Event]) -> None:
    """A plot with no foreign sponsor named takes the story's: another plot's, else the state responses target."""
    hostile = [e for e in events if e.type in HOSTILE_TYPES]
    named = [e.actor for e in hostile if e.actor.state and e.actor.state != e.country]
    targets = Counter(e.target.state for e in events if e.type not in HOSTILE_TYPES and e.target.state)
    for event in hostile:
        if event.actor.state and event.actor.state != event.country:
            continue
        if named:
            event.actor = replace(named[0])
        elif targets and targets.most_common(1)[0][0] != event.country:
            event.actor = participants.state_actor(targets.most_common(1)[0][0])


def _fill_paragraph_dates(events: list[Event], story: Story) -> None:
    text = story.document.text
    previous: Event | None = None
    for event in sorted(events, key=lambda e: e.evidence.start):
        if event.type in HOSTILE_TYPES:
            continue
        same_paragraph = previous is not None and "\n\n" not in text[previous.evidence.end : event.evidence.start]
        undated = not find_dates(event.evidence.text, story.data.dates)
        if not event.date and previous is not None and same_paragraph and undated:
            event.date = previous.date
        previous = event if event.date else previous


def _previous_same(event: Event, events: list[Event], text: str) -> Event | None:
    """The response of the same type just before this one in its paragraph ("Ihre Vermögen werden eingefroren")."""
    earlier = [e for e in events if e.type == event.type and e.actor.state and e.evidence.end <= event.evidence.start]
    if earlier and "\n\n" not in text[earlier[-1].evidence.end : event.evidence.start]:
        return earlier[-1]
    return None


def _fill_response_countries(events: list[Event], story: Story) -> None:
    for event in events:
        if event.type in HOSTILE_TYPES:
            continue
        if event.country and not event.actor.state:
            event.actor = participants.state_actor(event.country)
        if event.country:
            continue
        same = _previous_same(event, events, story.document.text) if not event.actor.state else None
        if same is not None:
            event.actor, event.country, event.date = same.actor, same.country, event.date or same.date
            continue
        earlier = [e for e in events if e.type in LEGAL_TYPES and e.country and e.evidence.end <= event.evidence.start]
        if event.type in LEGAL_TYPES and earlier:
            event.country = earlier[-1].country
        elif event.type in DIPLOMATIC and not event.target.state:
            continue  # "le club a été sanctionné": no state on either side, no diplomatic act
        elif story.dateline and story.dateline.country and event.type in LEGAL_TYPES | DIPLOMATIC:
            event.country = story.dateline.country
            if not event.actor.state:
                event.actor = participants.state_actor(story.dateline.country)


def _scope(event: Event) -> str:
    states = {s for s in (event.actor.state, event.target.state, event.country, event.place.country) if s}
    return "transnational" if len(states) > 1 else "unknown"


def _confidence(event: Event) -> float:
    score = 0.4 + 0.15 * bool(event.actor.state) + 0.15 * bool(event.country) + 0.1 * bool(event.date)
    score += 0.1 * bool(event.target.state or event.target.text)
    return round(min(score - 0.1 * event.hedged, 0.95), 2)
