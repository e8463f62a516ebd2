"""Who acted, on whom, where and how many: clause-window rules over the name mentions.

Mentions come from ``names.tsv`` and ``agencies.tsv`` (kinds: name, demonym,
capital, institution, agency). The rules, the same in every language:

- a mention right after a genitive word that follows an envoy word ("l'ambassadeur
  d'Iran", "den Botschafter Irans") or a demonym next to a person word
  ("diplomates iraniens", "iranische Diplomaten") is the *target*;
- a mention after a place word ("en France", "in Berlin") is a *place*;
- of the rest, the nearest state before the trigger in its clause (else the first
  after it: German puts the subject after a fronted verb) is the *actor* of a
  response; an agency, a state a plot was run for ("pour le compte de l'Iran"),
  or a demonym next to an agency word ("services iraniens") is the *sponsor* of a
  hostile act. The French parse, where there is one, gives the subject first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from plotwatch.extract.multi.context import has_cue, window
from plotwatch.extract.multi.data import LangData
from plotwatch.extract.multi.nlp import NAMES, TRIGGERS
from plotwatch.models import HOSTILE_TYPES, Actor, Place
from plotwatch.resolve import lookup_place, match_agency, state_name
from plotwatch.resolve._data import fold

LEGAL_TYPES = {"ARREST", "CHARGE", "CONVICT", "RELEASE"}
MISSION_TYPES = {"RESTORE", "SEVER"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "obl:agent"}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    code: str  # ISO alpha-3, "EU", or for an agency its state
    kind: str
    text: str
    agency: Actor | None = None


@dataclass
class Participants:
    actor: Actor = field(default_factory=Actor)
    target: Actor = field(default_factory=Actor)
    place: Place = field(default_factory=Place)
    count: int | None = None


def state_actor(code: str, text: str | None = None) -> Actor:
    return Actor(id=code, name=state_name(code), state=code, kind="state", text=text or state_name(code))


def mentions_in(sent: Span) -> list[Mention]:
    found = []
    for span in sent.doc.spans[NAMES]:
        if span.start < sent.start or span.end > sent.end:
            continue
        if span.label_ == "agency":
            agency = match_agency(span.id_)
            if agency is not None and agency.state:
                agency.text = span.text
                found.append(Mention(span.start, span.end, agency.state, "agency", span.text, agency))
            continue
        found.append(Mention(span.start, span.end, span.id_, span.label_, span.text))
    return found


def _before(mention: Mention, doc: Span, size: int) -> list[Token]:
    return list(doc.doc[max(doc.start, mention.start - size) : mention.start])


def is_target(mention: Mention, sent: Span, data: LangData) -> bool:
    """ "l'ambassadeur d'Iran", "Botschafter Irans", "diplomates iraniens", "iranische Diplomaten"."""
    doc = sent.doc
    before = _before(mention, sent, 3)
    if has_cue(before[-2:], data.cue("counterpart_preps")):
        return True
    if mention.kind == "demonym":
        if mention.text[:1].isupper() and has_cue(before[-1:], data.cue("articles")):
            return True  # "un Russe", "ein Iraner": a person
        near = before[-3:] + list(doc[mention.end : min(sent.end, mention.end + 2)])
        persons = data.cue("people") | data.cue("envoy") | data.cue("embassy")
        return has_cue(near, persons) and not has_cue(near, data.cue("authority"))
    if before and has_cue(before[-1:], data.cue("genitive")):
        return has_cue(before, data.cue("envoy") | data.cue("people") | data.cue("embassy"))
    return mention.text.lower().endswith("s") and has_cue(before[-1:], data.cue("envoy"))


def is_place(mention: Mention, sent: Span, data: LangData) -> bool:
    return has_cue(_before(mention, sent, 2)[-2:], data.cue("place_preps")) and mention.kind in {"name", "capital"}


def _actor_kind(mention: Mention, sent: Span, data: LangData) -> bool:
    if mention.kind in {"name", "capital", "institution", "agency"}:
        return True
    doc = sent.doc
    near = list(doc[max(sent.start, mention.start - 2) : min(sent.end, mention.end + 2)])
    return has_cue(near, data.cue("authority"))


def _subject_mentions(span: Span, mentions: list[Mention]) -> list[Mention]:
    """Mentions inside the trigger's subject or agent in the French parse (none without a parse)."""
    if not span.doc.has_annotation("DEP"):
        return []
    found: list[Mention] = []
    for child in span.root.children:
        if child.dep_ in SUBJECT_DEPS:
            ids = {t.i for t in child.subtree}
            found.extend(m for m in mentions if m.start in ids)
    return found


def _agent_after_preposition(mentions: list[Mention], sent: Span, data: LangData) -> Mention | None:
    for mention in mentions:
        if has_cue(_before(mention, sent, 2), data.cue("agent_preps")):
            return mention
    return None


def _court_place(span: Span, mentions: list[Mention], data: LangData) -> Mention | None:
    """ "la condamnation à mort en Iran", "in Iran zum Tode verurteilt": a legal step's state is where it happened."""
    sent = span.sent
    near = [m for m in mentions if is_place(m, sent, data) and abs(m.start - span.start) <= 6]
    return near[0] if near and span.label_ in LEGAL_TYPES else None


def _served(mention: Mention, sent: Span, data: LangData) -> bool:
    """ "für China", "pour le compte de l'Iran": the state served by the people acted on, not the actor."""
    return has_cue(_before(mention, sent, 3), data.cue("sponsor_words"))


def response_actor(span: Span, mentions: list[Mention], data: LangData) -> Mention | None:
    sent = span.sent
    court = _court_place(span, mentions, data)
    if court is not None:
        return court
    free = [m for m in mentions if _actor_kind(m, sent, data) and not is_target(m, sent, data)]
    free = [m for m in free if not is_place(m, sent, data) and m.kind != "agency" and not _served(m, sent, data)]
    for mention in _subject_mentions(span, free):
        return mention
    agent = _agent_after_preposition(free, sent, data)
    if agent is not None:
        return agent
    before = [m for m in free if m.end <= span.start]
    if before:
        return before[-1]
    after = [m for m in free if m.start > span.start]  # also inside "ließ Iran ... frei"
    return after[0] if after else None


def response_target(span: Span, mentions: list[Mention], actor: Mention | None, data: LangData) -> Mention | None:
    sent = span.sent
    others = [m for m in mentions if (actor is None or m.code != actor.code) and not _victim(m, span)]
    marked = [m for m in others if is_target(m, sent, data)]
    pool = marked or [m for m in others if m.kind != "agency"]
    if not pool:
        return None
    return min(pool, key=lambda m: (m.start < span.start, abs(m.start - span.start)))


def _victim(mention: Mention, span: Span) -> bool:
    """ "wegen des Mordes an einem Georgier", "pour le meurtre d'un Géorgien": the victim of the act judged."""
    hostile = [t for t in span.doc.spans[TRIGGERS] if t.label_ in HOSTILE_TYPES and t.start != span.start]
    return any(0 < mention.start - t.end <= 3 for t in hostile)


def sponsor(span: Span, mentions: list[Mention], data: LangData) -> Mention | None:
    """The state behind a hostile act: an agency, "for Iran", a demonym beside an agency word, a state subject."""
    sent = span.sent
    agencies = [m for m in mentions if m.kind == "agency"]
    if agencies:
        return min(agencies, key=lambda m: abs(m.start - span.start))
    words = data.cue("sponsor_words")
    for mention in mentions:  # "pour le compte de l'Iran", "attribue à l'Iran", "services iraniens"
        if has_cue(list(sent.doc[max(sent.start, mention.start - 3) : mention.start]), words):
            return mention
    for mention in mentions:  # "iranischer Geheimdienst", "Téhéran aurait commandité"
        if has_cue(list(sent.doc[mention.end : min(sent.end, mention.end + 2)]), words):
            return mention
    candidates = [m for m in mentions if m.kind in {"name", "capital"} and m.end <= span.start]
    candidates = [m for m in candidates if not is_place(m, sent, data) and not is_target(m, sent, data)]
    return candidates[-1] if candidates else None


def places_in(span: Span, data: LangData) -> list[tuple[int, Place]]:
    """(distance to the trigger, place) of every place named after a place word in the sentence ("à Anvers")."""
    sent = span.sent
    places: list[tuple[int, Place]] = []
    for token in sent:
        preceding = list(sent.doc[max(sent.start, token.i - 2) : token.i])
        if not token.text[:1].isupper() or not has_cue(preceding, data.cue("place_preps")):
            continue
        place = _lookup(sent.doc[token.i : min(sent.end, token.i + 3)], data)
        if place is not None:
            places.append((abs(token.i - span.start), place))
    return places


def place_of(span: Span, data: LangData, dateline: Place | None = None) -> Place:
    """The place nearest the trigger; the dateline's place when the sentence names its state too."""
    places = places_in(span, data)
    named = {p.country for _, p in places} | {m.code for m in mentions_in(span.sent) if m.kind != "demonym"}
    if dateline is not None and dateline.country in named:
        return dateline
    return min(places, key=lambda p: p[0])[1] if places else Place()


def _host_named(span: Span, mentions: list[Mention], behind: Mention | None, data: LangData) -> Place:
    """ "Le Danemark accuse l'Iran d'avoir planifié un assassinat", "sur le sol danois": the other state named."""
    sent = span.sent
    for mention in mentions:
        soil = has_cue(_before(mention, sent, 1), data.cue("soil"))
        other = mention.kind == "name" and not is_target(mention, sent, data)
        if (soil or other) and (behind is None or mention.code != behind.code):
            return lookup_place(state_name(mention.code)) or Place(name=state_name(mention.code), country=mention.code)
    return Place()


def _lookup(tokens: Span, data: LangData) -> Place | None:
    """The longest run of capitalised words (up to three) that names a place, in local or English form."""
    for size in (3, 2, 1):
        words = tokens[:size]
        if len(words) < size or not all(t.text[:1].isupper() or t.text in {"-", "de", "am"} for t in words):
            continue
        text = words.text
        name = data.places.get(fold(text), text)
        place = lookup_place(name)
        if place is not None:
            return place
    return None


def count_of(span: Span, data: LangData) -> int | None:
    """A number right before a person word near the trigger: "deux diplomates", "vier Diplomaten"."""
    tokens = window(span, 8, 8)
    for index, token in enumerate(tokens):
        value = _number(token, data)
        if value is None:
            continue
        following = tokens[index + 1 : index + 3]
        if has_cue(following, data.cue("people")) or has_cue(following, data.cue("envoy")):
            return value
    return None


def _number(token: Token, data: LangData) -> int | None:
    if token.text.isdigit() and len(token.text) <= 3:
        return int(token.text)
    return data.numbers.get(token.lower_)


def collect(span: Span, data: LangData, dateline: Place | None = None) -> Participants:
    found = Participants(place=place_of(span, data, dateline), count=count_of(span, data))
    mentions = mentions_in(span.sent)
    if span.label_ in HOSTILE_TYPES:
        behind = sponsor(span, mentions, data)
        if behind is not None:
            found.actor = behind.agency or state_actor(behind.code, behind.text)
            if found.place.country == behind.code:
                found.place = Place()  # "des services en Russie ont commandité": the sponsor's home, not the scene
        if not found.place.country:
            found.place = _host_named(span, mentions, behind, data)
        return found
    actor = response_actor(span, mentions, data)
    if actor is not None:
        found.actor = actor.agency or state_actor(actor.code, actor.text)
    target = response_target(span, mentions, actor, data)
    if actor is None and target is not None and span.label_ in MISSION_TYPES:
        host = [p for _, p in places_in(span, data) if p.country and p.country != target.code]
        if host and host[0].country:  # "l'ambassade iranienne à Londres a rouvert": Iran acts, in Britain
            found.actor, found.target = state_actor(target.code, target.text), state_actor(host[0].country)
            return found
    if target is not None:
        found.target = state_actor(target.code, target.text)
    return found
