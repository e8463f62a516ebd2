"""Build event records from the triggers of one parsed document."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span

from plotwatch.extract import arguments as args
from plotwatch.extract import context, dating, participants
from plotwatch.extract.components import DATELINE, TRIGGER_KEY, WIRE_DATELINE
from plotwatch.extract.dating import event_date
from plotwatch.extract.lexicon import Cues, load_cues
from plotwatch.extract.roles import role_ok
from plotwatch.models import HOSTILE_TYPES, Actor, Document, Event, Evidence, Place
from plotwatch.resolve import find_date_expressions, lookup_place, resolve_date, state_code
from plotwatch.resolve.dates import is_anaphoric

ACTING_STATE_TYPES = {"EXPEL", "SUMMON", "RECALL", "RESTORE", "SANCTION", "SEVER", "CHARGE", "CONVICT", "RELEASE"}
LEGAL_TYPES = {"ARREST", "CHARGE", "CONVICT", "RELEASE"}
DIPLOMATIC = ACTING_STATE_TYPES - LEGAL_TYPES
CASE_NOUNS = {"trial", "case", "charge", "investigation", "inquiry", "suspect", "conviction", "sentence", "verdict",
              "probe", "hearing", "court", "defendant", "prosecution", "indictment", "law"}  # fmt: skip


@dataclass
class DocContext:
    """What every trigger of a document shares: the document, its cues, its dateline, the story so far."""

    document: Document
    cues: Cues
    dateline: Place | None
    title_end: int
    extractor: str
    triggers: set[int] = field(default_factory=set)
    last_date: str | None = None
    background: set[str] = field(default_factory=set)  # event ids told as background: "after X expelled", "had"
    references: list[tuple[str, int, str]] = field(default_factory=list)  # "announced the recall on Monday"
    done_by: dict[str, str] = field(default_factory=dict)  # event id -> month a present-perfect act was done by


def doc_context(doc: Doc, document: Document, extractor: str) -> DocContext:
    title_end = document.text.find("\n\n")
    ctx = DocContext(document, load_cues("en"), _dateline_place(document.text), title_end, extractor)
    ctx.triggers = {span.root.i for span in doc.spans[TRIGGER_KEY]}
    return ctx


def _dateline_place(text: str) -> Place | None:
    for paragraph in text.split("\n\n")[:3]:
        paragraph = paragraph.strip()
        match = DATELINE.match(paragraph)
        name = match.group(0).strip(" —–-").split(",")[0] if match else None
        wire = WIRE_DATELINE.match(paragraph) if match is None else None
        name = wire.group(1) if wire else name
        if name:
            return lookup_place(name.split("/")[0].strip().title())
    return None


def events_from_doc(doc: Doc, ctx: DocContext) -> list[Event]:
    events: list[Event] = []
    spans = list(doc.spans[TRIGGER_KEY])
    for span in spans:
        found = events_from_trigger(span, ctx)
        if span.label_ not in HOSTILE_TYPES:
            _note_reference(span, ctx)
        events.extend(found)
        dated = [e.date for e in found if e.date]
        if dated:
            ctx.last_date = dated[0]
    return _finish(events, doc, ctx)


def _note_reference(span: Span, ctx: DocContext) -> None:
    """"Blok announced the recall on Monday": a dated definite mention of an act told before, not a new act."""
    root = span.root
    if root.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in {"the", "this", "its"} for c in root.children):
        return
    date, _ = event_date(span, ctx.triggers, ctx.document.published, _told_before(span, ctx))
    if date:
        ctx.references.append((span.label_, span.start_char, date))


def is_event(span: Span, ctx: DocContext) -> bool:
    root = span.root
    hostile = span.label_ in HOSTILE_TYPES
    cues = ctx.cues
    if not role_ok(span.id_.rsplit(":", 1)[-1], span, cues):
        return False
    if context.is_negated(root, cues) or context.is_modal(root, cues):
        return False
    if hostile and root.dep_ in {"compound", "amod"} and root.head.lemma_.lower() in CASE_NOUNS:
        return False  # "the murder trial", "a spy case": the legal step, not a new act
    return not (context.is_demand(root, cues, hostile) or context.is_generic(root, span.sent, cues))


def events_from_trigger(span: Span, ctx: DocContext) -> list[Event]:
    if not is_event(span, ctx):
        return []
    type_ = span.label_
    found = participants.collect(span, type_, ctx.cues)
    date, date_end = event_date(span, ctx.triggers, ctx.document.published, _told_before(span, ctx))
    base = Event(
        doc_id=ctx.document.doc_id, type=type_, evidence=_evidence(span.sent, ctx.document.text),
        status=context.status_of(span.root, type_, ctx.cues),  # type: ignore[arg-type]
        hedged=context.is_hedged(span.root, span.sent, ctx.cues),
        date=date, date_end=date_end,
        place=found.place, target=found.target, count=found.count, perpetrators=found.perpetrators,
        victims=found.victims, physical_targets=found.physical_targets, weapons=found.weapons,
        extractor=ctx.extractor, trigger=span.text, confidence=0.0,
    )  # fmt: skip
    if _is_bare_reference(span, base, found):
        return []
    actors = found.actors or [Actor()]
    if type_ in HOSTILE_TYPES and span.root.tag_ == "NNS":
        return _split_by_place(span, base, actors[0], ctx)
    events = []
    reciprocal = len(actors) == 2 and " other" in f" {base.target.text or ''}".lower()
    for index, actor in enumerate(actors):
        event = replace(base, actor=actor, event_id=_event_id(ctx.document.doc_id, type_, span, index))
        if reciprocal:  # "Canada and India each expelled six of the other's diplomats"
            event.target = replace(actors[1 - index])
        event.country = _country(type_, event, found.subject_named)
        events.append(event)
    if dating.is_background(span.root):
        ctx.background.update(e.event_id for e in events)
    month = dating.perfect_month(span, ctx.triggers, ctx.document.published) if date is None else None
    if month is not None:
        ctx.done_by.update((e.event_id, month) for e in events)
    return events


def _places_after(span: Span) -> list[tuple[Span, Place]]:
    """City names after the trigger as objects of in/at/near, with their spans, in order."""
    found: list[tuple[Span, Place]] = []
    doc = span.doc
    for token in doc[span.end : span.sent.end]:
        if token.dep_ != "pobj" or token.head.lower_ not in {"in", "at", "near"} or token.pos_ != "PROPN":
            continue
        start = token.i
        while start > span.end and doc[start - 1].dep_ in {"compound", "det"} and doc[start - 1].head.i == token.i:
            start -= 1
        name = doc[start : token.i + 1]
        place = lookup_place(name.text)
        if place is not None and place.name not in {p.name for _, p in found}:
            found.append((name, place))
    return found


def _split_by_place(span: Span, base: Event, actor: Actor, ctx: DocContext) -> list[Event]:
    """"the killings ... in Almere in 2015 and in The Hague in 2017": one event per place, each with its date."""
    placed = _places_after(span)
    if len({place.name for _, place in placed}) < 2:
        event = replace(base, actor=actor, event_id=_event_id(ctx.document.doc_id, base.type, span, 0))
        event.country = _country(base.type, event)
        return [event]
    events = []
    text = span.doc.text
    for index, (ent, place) in enumerate(placed):
        end = placed[index + 1][0].start_char if index + 1 < len(placed) else span.sent.end_char
        following = find_date_expressions(text[ent.end_char : end])
        date = resolve_date(following[0][2], ctx.document.published) if following else None
        share = base.count // len(placed) if base.count and base.count % len(placed) == 0 else None
        event = replace(base, actor=actor, place=place, country=place.country, date=date, count=share,
                        event_id=_event_id(ctx.document.doc_id, base.type, span, index))  # fmt: skip
        events.append(event)
    return events


def _told_before(span: Span, ctx: DocContext) -> str | None:
    """The date the story last named before this sentence: what "the following month" counts from."""
    before = ctx.document.text[max(ctx.title_end, 0) : span.sent.start_char]
    for sentence in reversed([s for s in before.split(". ") if s.strip()][-4:]):
        for _, _, expression in reversed(find_date_expressions(sentence)):
            if not is_anaphoric(expression):
                resolved = resolve_date(expression, ctx.document.published)
                if resolved:
                    return dating.in_story_year(resolved, expression, span, ctx.document.published)
    return ctx.last_date


def _is_bare_reference(span: Span, event: Event, found: args.Arguments) -> bool:
    """"condemned the expulsions", "the arrests were a ploy": a noun that names no one, nowhere, never."""
    if span.root.pos_ in {"VERB", "AUX"} or span.root.tag_ == "VBN":
        return False
    anything = [a.state for a in found.actors] + [event.target.state, event.place.country, event.date]
    return not any(anything) and not found.perpetrators  # "blamed the Shining Path for the attack" names who


def _event_id(doc_id: str, type_: str, span: Span, index: int) -> str:
    key = f"{doc_id}|{type_}|{span.start_char}|{span.end_char}|{index}"
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _evidence(sentence: Span, original: str) -> Evidence:
    """The sentence, in the document's own text (the parse may have seen a truecased copy)."""
    text = sentence.text.strip()
    start = sentence.start_char + (len(sentence.text) - len(sentence.text.lstrip()))
    return Evidence(text=original[start : start + len(text)], start=start, end=start + len(text))


def _country(type_: str, event: Event, own_actor: bool = False) -> str | None:
    acting = event.actor.state
    if acting == "EU" and type_ in ACTING_STATE_TYPES:
        return "EU"
    if type_ in ACTING_STATE_TYPES and acting:
        return acting
    if type_ == "ARREST" and acting and acting != "EU" and own_actor:
        return acting  # "Belgian police stopped a couple on their way to a rally near Paris": police arrest at home
    if event.place.country:
        return event.place.country
    if type_ in HOSTILE_TYPES:
        return None
    return acting or None


def _finish(events: list[Event], doc: Doc, ctx: DocContext) -> list[Event]:
    """Document-level passes: drop title repeats, fill places from the story, set scope."""
    body_groups = {_group(e.type) for e in events if e.evidence.start >= ctx.title_end}
    kept = [e for e in events if e.evidence.start >= ctx.title_end or _group(e.type) not in body_groups]
    _fill_hostile_places(kept, ctx)
    _lethal_attacks(kept)
    _fill_hostile_dates(kept, doc, ctx)
    _fill_sponsors(kept)
    _fill_paragraph_dates(kept, ctx)
    _fill_response_countries(kept, ctx)
    _fill_coreferent_dates(kept, ctx)
    _fill_news_dates(kept, ctx)
    told = kept
    kept = [e for e in kept if e.country or (e.actor.state and e.type not in HOSTILE_TYPES)]
    kept = [e for e in kept if e.type not in DIPLOMATIC or e.actor.state or e.target.state]
    kept = [e for e in kept if e.type not in DIPLOMATIC or not e.actor.state or e.actor.state != e.target.state]
    _fill_referenced_dates(kept, ctx)
    _fill_perfect_dates(kept, ctx)
    transnational_doc = any(_states(e) - {e.country} for e in kept)
    placeless = [e for e in told if e.type in HOSTILE_TYPES and not e.country and not _states(e)]
    if placeless and not transnational_doc:
        # "Gunmen shot dead the mayor": a violent act with no state anywhere in the story is recorded as
        # domestic (hidden by default, exported with --scope all) rather than dropped for want of a country.
        ids = {id(e) for e in kept} | {id(e) for e in placeless}
        kept = [e for e in told if id(e) in ids]
    for event in kept:
        domestic = not event.country and event.type in HOSTILE_TYPES
        event.scope = "domestic" if domestic else _scope(event, transnational_doc, ctx.cues)  # type: ignore[assignment]
        event.confidence = _confidence(event)
    return kept


def _fill_hostile_places(events: list[Event], ctx: DocContext) -> None:
    """A plot's place is told once in a story; later mentions ("the plot") inherit it."""
    hostile = [e for e in events if e.type in HOSTILE_TYPES]
    for event in hostile:
        if event.country:
            continue
        placed = [e for e in hostile if e.country and e.type == event.type]
        source = min(placed, key=lambda e: abs(e.evidence.start - event.evidence.start), default=None)
        if source is not None:
            event.country, event.place = source.country, source.place
        elif ctx.dateline and ctx.dateline.country and ctx.dateline.country != event.actor.state:
            event.country = ctx.dateline.country


def _group(type_: str) -> str:
    return {"KILL": "VIOLENT", "ATTACK": "VIOLENT", "SURVEIL": "SPYING", "SPY": "SPYING"}.get(type_, type_)


LETHAL_MEANS = {"shoot", "shot", "shooting", "stab", "stabbing", "poison", "poisoning", "gun"}


def _lethal_attacks(events: list[Event]) -> None:
    """A shooting or poisoning in a story about a killing in the same country is that killing."""
    killed = {e.country for e in events if e.type == "KILL" and e.country}
    for event in events:
        means = event.trigger.lower().split()[0] if event.trigger else ""
        if event.type == "ATTACK" and event.country in killed and means.rstrip("s") in LETHAL_MEANS | {"shot"}:
            event.type = "KILL"


def _fill_hostile_dates(events: list[Event], doc: Doc, ctx: DocContext) -> None:
    """An undated mention of a plot takes the date of the nearest dated mention of it (same type, place);
    failing that, the date told of its victim elsewhere in the story ("Ahmadi was found dead in his car on
    4 May"). A mention dated only by its year takes the month or day another mention gives within that year."""
    hostile = [e for e in events if e.type in HOSTILE_TYPES]
    for event in hostile:
        if event.date is None and event.victims:
            event.date = _victim_date(event, doc, ctx)
        if event.date is None and event.status == "planned":
            event.date = _foiled_on(event, events)
    for event in hostile:
        group = {"KILL", "ATTACK"} if event.type in {"KILL", "ATTACK"} else {event.type}
        same = [e for e in hostile if e.date and e.type in group and e.country == event.country]
        if event.date is None:
            source = min(same, key=lambda e: abs(e.evidence.start - event.evidence.start), default=None)
            event.date = source.date if source is not None else None
            continue
        finer = {e.date for e in same if e.date and len(e.date) > len(event.date) and e.date.startswith(event.date)}
        if len(finer) == 1:
            event.date = finer.pop()


FOILING = re.compile(r"\b(?:thwart|foil|disrupt|avert|prevent)(?:s|ed|ing)?\b", re.IGNORECASE)


def _foiled_on(event: Event, events: list[Event]) -> str | None:
    """"Police on Saturday arrested a couple ..., thwarting a plan to bomb a rally": a foiled plot is dated by
    the arrest that foiled it, told in the same sentence."""
    if not FOILING.search(event.evidence.text):
        return None
    dates = {e.date for e in events
             if e.type == "ARREST" and e.date and e.evidence.start == event.evidence.start}  # fmt: skip
    return dates.pop() if len(dates) == 1 else None


def _victim_date(event: Event, doc: Doc, ctx: DocContext) -> str | None:
    """The one date of a sentence that names the event's victim and tells no response."""
    names = {v.split()[-1] for v in event.victims if v[:1].isupper()}  # "Skripal" of "Sergei Skripal"
    if not names:
        return None
    responses = {span.sent.start for span in doc.spans[TRIGGER_KEY] if span.label_ not in HOSTILE_TYPES}
    for sentence in doc.sents:
        mentions = [t for t in sentence if t.text in names]
        found = find_date_expressions(sentence.text)
        if sentence.start in responses or not mentions or len(found) != 1 or is_anaphoric(found[0][2]):
            continue
        start, end, expression = found[0]
        date_span = doc.char_span(sentence.start_char + start, sentence.start_char + end, alignment_mode="expand")
        if date_span is None:
            continue
        when = dating.owner(date_span.root, set())
        clauses = {when.i, when.head.i} if when.dep_ in {"advcl", "xcomp", "oprd", "conj"} else {when.i}
        if not any(dating.owner(m, set()).i in clauses for m in mentions if m.dep_ != "poss"):
            continue  # the date tells of something else in the sentence: "charges brought in 2021 over a plot on X"
        resolved = resolve_date(expression, ctx.document.published)
        if resolved and (not ctx.document.published or resolved <= ctx.document.published):
            return resolved
    return None


def _fill_sponsors(events: list[Event]) -> None:
    """A plot with no named sponsor takes the story's: another mention's sponsor, else the state responses target."""
    hostile = [e for e in events if e.type in HOSTILE_TYPES]
    named = [e.actor for e in hostile if e.actor.state and e.actor.state != e.country]
    targets = Counter(e.target.state for e in events if e.type in DIPLOMATIC and e.target.state)
    for event in hostile:
        if event.actor.state and event.actor.state != event.country:
            continue
        if named:
            event.actor = replace(named[0])
        elif targets:
            state = targets.most_common(1)[0][0]
            if state != event.country:
                event.actor = args.state_actor(state)


def _fill_paragraph_dates(events: list[Event], ctx: DocContext) -> None:
    """A response with no date of its own takes the date of the response just before it in its paragraph, unless
    the sentence just before it tells of another day."""
    text = ctx.document.text
    previous: Event | None = None
    for event in sorted(events, key=lambda e: e.evidence.start):
        if event.type in HOSTILE_TYPES:
            continue
        undated_sentence = not find_date_expressions(event.evidence.text)
        same_paragraph = previous is not None and "\n\n" not in text[previous.evidence.end : event.evidence.start]
        day = previous.date if previous is not None and same_paragraph and undated_sentence else None
        if not event.date and day and not _told_on_another_day(event, day, ctx):
            event.date = day
        previous = event if event.date else previous


def _dyad(event: Event) -> tuple[str, str, str] | None:
    if not (event.actor.state and event.target.state):
        return None
    return event.type, event.actor.state, event.target.state


def _fill_referenced_dates(events: list[Event], ctx: DocContext) -> None:
    """The act a dated definite mention refers to ("has recalled its ambassador ... Blok announced the recall on
    Monday") is the nearest undated act of that type told before it as news."""
    for type_, position, date in ctx.references:
        if any(e.type == type_ and e.evidence.start <= position < e.evidence.end for e in events):
            continue  # the mention is an act of its own in the record
        earlier = [e for e in events
                   if e.type == type_ and e.evidence.end <= position and e.event_id not in ctx.background]  # fmt: skip
        if earlier and earlier[-1].date is None:
            for event in earlier:  # the act, and any other mention of it in the same sentence
                if event.evidence.start == earlier[-1].evidence.start:
                    event.date = date


def _fill_coreferent_dates(events: list[Event], ctx: DocContext) -> None:
    """"The Netherlands has recalled its ambassador to Iran ... Blok announced the recall on Monday": an undated
    response takes the date of the story's other mentions of the same act (type, acting state, target state),
    when they agree on one date; a month or year is refined by the one day or month they tell within it."""
    responses = [e for e in events if e.type not in HOSTILE_TYPES and e.actor.state]
    for event in responses:
        dates = {e.date for e in responses if e.date and _same_act(e, event, ctx)}
        if event.date:  # "ordered two to leave last month ... had been expelled on 7 June": the finer date
            dates = {d for d in dates if len(d) > len(event.date) and d.startswith(event.date)}
        if len(dates) == 1:
            event.date = dates.pop()


def _same_act(one: Event, other: Event, ctx: DocContext) -> bool:
    """Two mentions that may tell of one act: same type and acting state, no conflicting target or count, and
    both told as the news or both as background ("is expelling 70" is not "in March, sent home 12"), unless they
    give the same number ("after Tehran expelled two Dutch diplomats" ... "had declared the two persona non grata")."""
    return (one.type == other.type and one.actor.state == other.actor.state
            and _agree(one.target.state, other.target.state) and _agree(one.count, other.count)
            and ((one.event_id in ctx.background) == (other.event_id in ctx.background)
                 or (one.count is not None and one.count == other.count)))  # fmt: skip


def _fill_perfect_dates(events: list[Event], ctx: DocContext) -> None:
    """A present-perfect act with no date of its own ("Turkish police have detained 11 people, officials said on
    Monday") takes the date of a later mention of the same kind that tells when, by then ("were detained in an
    operation late last month"), or else the month it was done by."""
    for event in events:
        month = ctx.done_by.get(event.event_id)
        if event.date is not None or month is None:
            continue
        told = [e for e in events
                if e.date and len(e.date) >= 7 and e.date[:7] <= month and e.type == event.type
                and e.evidence.start > event.evidence.end
                and _agree(e.actor.state, event.actor.state) and _agree(e.target.state, event.target.state)
                and _agree(e.count, event.count)]  # fmt: skip
        event.date = told[0].date if told else month


def _agree(a: object, b: object) -> bool:
    return a == b or not (a and b)


# What a sentence says about someone or something in passing does not date its act: a relative clause between
# commas ("Ukraine, whose relations with Moscow have been frozen since 2014, ordered ..."), a year naming a
# thing ("serving a sentence for a 2018 bomb plot").
ASIDE = re.compile(r",\s+(?:whose|which|who|where)\b[^,]*,|\b(?:a|an|the|its|his|her|their)\s+(?:19|20)\d{2}\b(?!,)")


def _fill_news_dates(events: list[Event], ctx: DocContext) -> None:
    """The story's news is told in its first paragraph with its day ("announced on Monday that they were
    expelling"); undated responses of the same kind told as news, not background, happened that day."""
    text = ctx.document.text
    body = ctx.title_end if ctx.title_end >= 0 else 0
    first_end = text.find("\n\n", body + 2)
    in_first = [e for e in sorted(events, key=lambda e: e.evidence.start) if body <= e.evidence.start]
    first = [e for e in in_first if e.type not in HOSTILE_TYPES and (first_end < 0 or e.evidence.start < first_end)]
    lead = next((e for e in first if e.date and e.event_id not in ctx.background), None)
    if lead is None or lead.date is None or len(lead.date) < 10:
        return
    for event in events:
        if event.date or event.type in HOSTILE_TYPES or event.event_id in ctx.background:
            continue
        told = ASIDE.sub(" ", event.evidence.text)  # "Ukraine, whose relations ... since 2014, ordered 13 to leave"
        if event.evidence.start < lead.evidence.start or find_date_expressions(told) or dating.OTHER_TIME.search(told):
            continue
        if _told_on_another_day(event, lead.date, ctx):
            continue
        dyad, lead_dyad = _dyad(event), _dyad(lead)
        if event.type == lead.type or (dyad is not None and lead_dyad is not None and dyad[1:] == lead_dyad[1:]):
            event.date = lead.date


def _told_on_another_day(event: Event, day: str, ctx: DocContext) -> bool:
    """Whether the sentence before the event's, in its paragraph, tells of another day: "He flew to Gatwick on
    11 February and filmed the building. Police arrested him in a nearby coffee shop." goes on with that day's
    story, not the news of the lead."""
    text = ctx.document.text
    start = max(text.rfind("\n\n", 0, event.evidence.start), 0)
    before = text[start : event.evidence.start].strip()
    previous = re.split(r"(?<=[.!?])\s+", before)[-1] if before else ""
    for _, _, expression in find_date_expressions(previous):
        if not is_anaphoric(expression):
            resolved = resolve_date(expression, ctx.document.published)
            if resolved and not day.startswith(resolved):
                return True
    return False


def _fill_response_countries(events: list[Event], ctx: DocContext) -> None:
    for event in events:
        if event.country or event.type in HOSTILE_TYPES:
            continue
        if event.type in LEGAL_TYPES:
            earlier = [e for e in events
                       if e.type in LEGAL_TYPES and e.country and e.evidence.end <= event.evidence.start]  # fmt: skip
            if earlier:
                event.country = earlier[-1].country
                continue
        if event.type in DIPLOMATIC and not event.target.state:
            continue  # "the university recalled its student ambassadors": no state, no diplomatic act
        if ctx.dateline and ctx.dateline.country:
            event.country = ctx.dateline.country
            if not event.actor.state and event.type in ACTING_STATE_TYPES | {"ARREST"}:
                event.actor = args.state_actor(ctx.dateline.country)


MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _states(event: Event) -> set[str]:
    states = {event.actor.state, event.target.state, event.country, event.place.country}
    for word in event.evidence.text.replace(",", " ").split():
        if word.lower().rstrip(".") in MONTH_ABBREVIATIONS:
            continue  # "3 MAR 89" in a wire dateline is March, not Morocco
        code = state_code(word) if word[:1].isupper() else None
        if code:
            states.add(code)
    return {s for s in states if s}


def _scope(event: Event, transnational_doc: bool, cues: Cues) -> str:
    """transnational: two states involved; domestic: a legal step, or violence with no sponsor, in a story that
    names no foreign state and no one from abroad (a guerrilla bombing at home); else unknown (a dissident shot
    abroad with no sponsor named yet: attribution often comes later)."""
    states = _states(event)
    if len(states) > 1:
        return "transnational"
    if transnational_doc:
        return "unknown"
    if event.type in LEGAL_TYPES:
        return "domestic"
    words = {w.lower().strip(".,;:'\"") for w in event.evidence.text.split()}
    if event.type in HOSTILE_TYPES and event.actor.state in {None, event.country} and not words & cues["from_abroad"]:
        return "domestic"
    return "unknown"


def _confidence(event: Event) -> float:
    score = 0.4 + 0.15 * bool(event.actor.state) + 0.15 * bool(event.country) + 0.1 * bool(event.date)
    score += 0.1 * bool(event.target.state or event.target.text)
    return round(min(score - 0.1 * event.hedged, 0.95), 2)


