"""Build event records from the triggers of one parsed document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from plotwatch.extract import arguments as args
from plotwatch.extract import context
from plotwatch.extract.components import DATELINE, TRIGGER_KEY
from plotwatch.extract.lexicon import Cues, load_cues
from plotwatch.extract.roles import role_ok
from plotwatch.models import HOSTILE_TYPES, Actor, Document, Event, Evidence, Place
from plotwatch.resolve import find_agencies, find_date_expressions, lookup_place, resolve_date, state_code

ACTING_STATE_TYPES = {"EXPEL", "SUMMON", "RECALL", "RESTORE", "SANCTION", "SEVER", "CHARGE", "CONVICT", "RELEASE"}
LEGAL_TYPES = {"ARREST", "CHARGE", "CONVICT", "RELEASE"}
PARTNER_PREPS = {"RECALL": {"from", "to", "in"}, "SEVER": {"with"}, "RESTORE": {"with", "to"}}


@dataclass
class DocContext:
    """What every trigger of a document shares: the document, its cues, its dateline state."""

    document: Document
    cues: Cues
    dateline: Place | None
    title_end: int
    extractor: str


def doc_context(doc: Doc, document: Document, extractor: str) -> DocContext:
    title_end = document.text.find("\n\n")
    return DocContext(document, load_cues("en"), _dateline_place(document.text), title_end, extractor)


def _dateline_place(text: str) -> Place | None:
    for paragraph in text.split("\n\n")[:3]:
        match = DATELINE.match(paragraph.strip())
        if match:
            name = match.group(0).strip(" —–-").split(",")[0].strip().title()
            return lookup_place(name)
    return None


def events_from_doc(doc: Doc, ctx: DocContext) -> list[Event]:
    events = []
    for span in doc.spans[TRIGGER_KEY]:
        event = event_from_trigger(span, ctx)
        if event is not None:
            events.append(event)
    return _finish(events, ctx)


def is_event(span: Span, ctx: DocContext) -> bool:
    root = span.root
    hostile = span.label_ in HOSTILE_TYPES
    cues = ctx.cues
    if not role_ok(_check_of(span), span, cues):
        return False
    if context.is_negated(root, cues) or context.is_modal(root, cues):
        return False
    return not (context.is_demand(root, cues, hostile) or context.is_generic(root, span.sent, cues))


def _check_of(span: Span) -> str:
    return span.id_.rsplit(":", 1)[-1]


def event_from_trigger(span: Span, ctx: DocContext) -> Event | None:
    if not is_event(span, ctx):
        return None
    root, type_, sentence = span.root, span.label_, span.sent
    found = collect_arguments(span, type_)
    country = _country(type_, found, sentence, ctx)
    evidence = _evidence(sentence)
    return Event(
        doc_id=ctx.document.doc_id, type=type_, evidence=evidence,
        status=context.status_of(root, type_, ctx.cues),  # type: ignore[arg-type]
        hedged=context.is_hedged(root, sentence, ctx.cues),
        date=_date(span, ctx.document.published), country=country,
        place=found.place, actor=found.actor, target=found.target, count=found.count,
        perpetrators=found.perpetrators, victims=found.victims,
        physical_targets=found.physical_targets, weapons=found.weapons,
        extractor=ctx.extractor, trigger=span.text, event_id=_event_id(ctx.document.doc_id, type_, span),
    )  # fmt: skip


def _event_id(doc_id: str, type_: str, span: Span) -> str:
    key = f"{doc_id}|{type_}|{span.start_char}|{span.end_char}"
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _evidence(sentence: Span) -> Evidence:
    text = sentence.text.strip()
    start = sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
    return Evidence(text=text, start=start, end=start + len(text))


def collect_arguments(span: Span, type_: str) -> args.Arguments:
    root = span.root
    verbal = root.pos_ in {"VERB", "AUX"} or root.tag_ == "VBN"
    doer = args.subject_of(root) if verbal else args.noun_owner(root)
    done_to = args.object_of(root)
    context_span = _context_span(span)
    found = args.Arguments()
    found.place = _first_place(root)
    found.count = args.count_of(done_to, load_cues("en"))
    found.weapons = args.weapons_in(span.sent) if type_ in HOSTILE_TYPES else []
    if type_ in HOSTILE_TYPES:
        _hostile_arguments(found, span, doer, done_to)
    else:
        _response_arguments(found, span, doer, done_to, context_span)
    return found


def _context_span(span: Span) -> Span:
    sent = span.sent
    doc = span.doc
    previous = doc[sent.start - 1].sent if sent.start > 0 else sent
    return doc[previous.start : sent.end]


def _first_place(root: Token) -> Place:
    places = args.places_near(root)
    return places[0] if places else Place()


def _response_arguments(found: args.Arguments, span: Span, doer: Token | None, done_to: Token | None,
                        context_span: Span) -> None:  # fmt: skip
    type_ = span.label_
    if doer is not None:
        found.actor = args.actor_of_phrase(args.phrase(doer), context_span)
    if done_to is not None:
        target_phrase = args.phrase(done_to)
        found.target = args.actor_of_phrase(target_phrase, context_span)
        if type_ in LEGAL_TYPES:
            found.perpetrators = args.people_in(target_phrase)
    partner = _partner(span, type_)
    if partner.state:
        found.target = partner
    if not found.actor.state and found.place.country and type_ in LEGAL_TYPES | {"EXPEL"}:
        found.actor = args.state_actor(found.place.country)


def _partner(span: Span, type_: str) -> Actor:
    """The other state of a bilateral act: "recalled its ambassador from Tehran", "cut ties with Iran"."""
    preps = PARTNER_PREPS.get(type_)
    if not preps:
        return Actor()
    root = span.root
    anchors = [root, *[c for c in root.children if c.dep_ in {"dobj", "nsubjpass"}]]
    for anchor in anchors:
        for pobj in args.prep_object(anchor, preps):
            actor = args.actor_of_phrase(args.phrase(pobj))
            if actor.state:
                return actor
    return Actor()


def _hostile_arguments(found: args.Arguments, span: Span, doer: Token | None, done_to: Token | None) -> None:
    sentence = span.sent
    if doer is not None:
        doer_phrase = args.phrase(doer)
        found.perpetrators = args.people_in(doer_phrase)
        found.actor = args.actor_of_phrase(doer_phrase)
    if not found.actor.state:
        found.actor = _sponsor_in(sentence)
    if done_to is not None:
        target_phrase = args.phrase(done_to)
        found.target = args.actor_of_phrase(target_phrase)
        found.victims = [p.text for p in args.people_in(target_phrase) if p.kind == "person"]
        if done_to.ent_type_ in {"FAC", "ORG", "EVENT"} or done_to.lemma_.lower() in {"rally", "embassy", "synagogue"}:
            found.physical_targets = [args.phrase_text(target_phrase)]
    if found.target.state and found.target.state == found.actor.state and found.target.kind == "state":
        found.target = Actor(text=found.target.text, state=found.target.state, kind="dissident")


def _sponsor_in(sentence: Span) -> Actor:
    """An agency named in the sentence, or the state said to be "behind" the act."""
    agencies = find_agencies(sentence.text)
    if agencies:
        return agencies[0][2]
    for token in sentence:
        if token.lower_ == "behind" and token.head.lemma_ == "be":
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                return args.actor_of_phrase(args.phrase(subject))
    return Actor()


def _country(type_: str, found: args.Arguments, sentence: Span, ctx: DocContext) -> str | None:
    acting = found.actor.state
    if acting == "EU":
        return "EU"
    if type_ in ACTING_STATE_TYPES and acting:
        return acting
    if found.place.country:
        return found.place.country
    if type_ in HOSTILE_TYPES:
        for place in args.places_in_sentence(sentence):
            if place.country and place.country != acting:
                found.place = place
                return place.country
    return acting or None


def _date(span: Span, published: str | None) -> str | None:
    sentence = span.sent
    expressions = find_date_expressions(sentence.text)
    if not expressions:
        return None
    offset = span.start_char - sentence.start_char
    _start, _end, text = min(expressions, key=lambda e: min(abs(e[0] - offset), abs(e[1] - offset)))
    return resolve_date(text, published)


def _finish(events: list[Event], ctx: DocContext) -> list[Event]:
    """Document-level passes: drop title repeats, fill places from the story, set scope."""
    body = [e for e in events if e.evidence.start >= ctx.title_end]
    body_types = {e.type for e in body}
    kept = [e for e in events if e.evidence.start >= ctx.title_end or e.type not in body_types]
    _inherit_country(kept, ctx)
    kept = [e for e in kept if e.country or e.actor.state]
    transnational_doc = any(_states(e) - {e.country} for e in kept)
    for event in kept:
        event.scope = _scope(event, transnational_doc)  # type: ignore[assignment]
        event.confidence = _confidence(event)
    return kept


def _inherit_country(events: list[Event], ctx: DocContext) -> None:
    last: dict[str, str] = {}
    for event in events:
        group = "HOSTILE" if event.type in HOSTILE_TYPES else event.type
        if event.country:
            last[group] = event.country
        elif group in last:
            event.country = last[group]
        elif ctx.dateline and ctx.dateline.country:
            event.country = ctx.dateline.country


def _states(event: Event) -> set[str]:
    states = {event.actor.state, event.target.state, event.country, event.place.country}
    for word in event.evidence.text.replace(",", " ").split():
        code = state_code(word) if word[:1].isupper() else None
        if code:
            states.add(code)
    return {s for s in states if s}


def _scope(event: Event, transnational_doc: bool) -> str:
    states = _states(event)
    if len(states) > 1:
        return "transnational"
    if event.type in LEGAL_TYPES and not transnational_doc:
        return "domestic"
    return "unknown"


def _confidence(event: Event) -> float:
    score = 0.4 + 0.15 * bool(event.actor.state) + 0.15 * bool(event.country) + 0.1 * bool(event.date)
    score += 0.1 * bool(event.target.state or event.target.text)
    return round(min(score - 0.1 * event.hedged, 0.95), 2)
