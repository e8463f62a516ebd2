"""Arguments of a trigger from the dependency parse and the named entities.

Who acted (subject, agent, possessor), on whom (object, passive subject, "of"),
where ("in"/"at" places), when (the nearest date expression), how many.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Span, Token

from plotwatch.extract.components import TRIGGER_KEY
from plotwatch.extract.lexicon import Cues, load_cues
from plotwatch.models import HOSTILE_TYPES, Actor, Perpetrator, Place
from plotwatch.resolve import find_agencies, lookup_place, state_code, state_name

CLAUSE_BREAKS = {"relcl", "acl", "advcl", "appos", "punct", "cc", "conj", "ccomp", "parataxis"}
REACTION_VERBS = load_cues("en")["reaction"]
GO_BETWEEN = {"broker", "mediate", "facilitate", "host", "arrange", "negotiate", "witness", "welcome"}
TIME_UNITS = {"hour", "day", "week", "month", "year", "minute", "decade"}
PARTICLES = {"in", "out", "off", "back", "home"}
PLACE_PREPS = {"in", "at", "near", "outside", "inside", "on", "from", "into", "to", "across", "within"}
WEAPONS = ("bomb", "explosive", "explosives", "TATP", "detonator", "nerve agent", "Novichok", "gun", "pistol",
           "rifle", "knife", "poison", "grenade", "drone", "car bomb", "acid", "firearm", "silencer", "dynamite",
           "machine gun", "machinegun", "submachine gun", "mortar", "rocket", "TNT", "revolver", "machete",
           "incendiary device", "molotov cocktail", "landmine")  # fmt: skip


@dataclass
class Arguments:
    actors: list[Actor] = field(default_factory=list)
    target: Actor = field(default_factory=Actor)
    place: Place = field(default_factory=Place)
    count: int | None = None
    perpetrators: list[Perpetrator] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)
    physical_targets: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    subject_named: bool = False  # the acting state is named by the trigger's own subject or agent


def phrase(token: Token) -> list[Token]:
    """The noun phrase headed by ``token``, without its clauses."""
    tokens = [token]
    for child in token.children:
        if child.dep_ not in CLAUSE_BREAKS:
            tokens.extend(phrase(child))
    return sorted(tokens, key=lambda t: t.i)


def phrase_text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1].text


def actor_of_phrase(tokens: list[Token], context: Span | None = None) -> Actor:
    """The state (or agency, with its state) a phrase names, or an empty Actor."""
    text = phrase_text(tokens)
    if not text:
        return Actor()
    agencies = find_agencies(text)
    if agencies:
        _, _, agency = agencies[0]
        return agency
    for token in tokens:
        if token.dep_ == "poss" and token.lower_ in {"its", "their"} and context is not None:
            return _antecedent_state(token, context)
    for start, end in _candidate_names(tokens):
        code = state_code(text[start:end])
        if code:
            return Actor(id=code, name=state_name(code), state=code, kind="state", text=text[start:end])
    return _institution_city(tokens) or (Actor(text=text) if text else Actor())


def _institution_city(tokens: list[Token]) -> Actor | None:
    """"Istanbul prosecutors", "a Berlin court": the city's state acts through its institutions."""
    ids = {t.i for t in tokens}
    for token in tokens:
        if token.ent_type_ == "GPE" and token.dep_ in {"compound", "amod", "nmod"} and token.head.i in ids:
            place = lookup_place(token.text)
            if place is not None and place.country:
                return Actor(id=place.country, name=state_name(place.country), state=place.country, kind="state",
                             text=phrase_text(tokens))  # fmt: skip
    return None


def _candidate_names(tokens: list[Token]) -> list[tuple[int, int]]:
    """Character spans (relative to the phrase) of entities and capitalised words, longest first."""
    base = tokens[0].idx
    spans: list[tuple[int, int]] = []
    seen_ents = set()
    for token in tokens:
        if (token.ent_type_ and token.ent_iob_ == "B") or (token.ent_type_ and token.i == tokens[0].i):
            ent = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
            if ent is not None and ent.start not in seen_ents:
                seen_ents.add(ent.start)
                end = min(ent.end_char, tokens[-1].idx + len(tokens[-1]))
                spans.append((max(ent.start_char, base) - base, end - base))
    for token in tokens:
        if token.text[:1].isupper() or token.pos_ in {"ADJ", "PROPN"}:
            spans.append((token.idx - base, token.idx + len(token) - base))
    return spans


def _antecedent_state(pronoun: Token, context: Span) -> Actor:
    """"its"/"their": the nearest state named before the pronoun (same or previous sentence)."""
    for ent in reversed([e for e in context.ents if e.end <= pronoun.i]):
        code = state_code(ent.text)
        if code and ent.label_ in {"GPE", "NORP", "ORG"}:
            return Actor(id=code, name=state_name(code), state=code, kind="state", text=pronoun.text)
    return Actor(text=pronoun.text)


def subject_of(trigger: Token) -> Token | None:
    """The active subject or passive agent of a verb trigger, through conj/xcomp chains."""
    current: Token | None = trigger
    for _ in range(4):
        if current is None:
            return None
        subjects = [c for c in current.children if c.dep_ == "nsubj"]
        if len(subjects) > 1 and _dateline_like(subjects[0]) and subjects[1].i < current.i:
            return subjects[1]  # "Bogota, 5 Jun -- gunmen kidnapped": an unsplit dateline is a second "subject"
        if subjects:
            return subjects[0]
        for child in current.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        if current.dep_ == "acl" and current.head.pos_ == "NOUN":
            return next((c for c in current.head.children if c.dep_ == "poss"), None)
        if current.dep_ in {"conj", "xcomp", "advcl"} and current.head is not current:
            current = current.head
        else:
            return None
    return None


def _dateline_like(token: Token) -> bool:
    """A name opening the sentence and followed by a comma: a wire dateline the sentence breaker left attached."""
    doc = token.doc
    return token.left_edge.i == token.sent.start and token.i + 1 < len(doc) and doc[token.i + 1].text == ","


def object_of(trigger: Token) -> Token | None:
    """The thing acted on: direct object, passive subject, or "of" complement of a noun."""
    patients = [c for c in trigger.children if c.dep_ == "nsubjpass" and c.i < trigger.i]
    if len(patients) > 1 and _dateline_like(patients[0]):  # "Managua, 1 Feb -- A judge was assassinated"
        return patients[-1]
    for child in trigger.children:
        if child.dep_ in {"dobj", "nsubjpass", "obj"}:
            return child
    for child in trigger.children:
        if child.dep_ == "npadvmod" and child.pos_ == "NOUN" and child.ent_type_ not in {"DATE", "TIME"}:
            return child
        if child.dep_ == "prep" and child.i == trigger.i + 1 and child.lower_ in PARTICLES:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:  # "called in Germany's envoy" parsed as a preposition
                return pobj
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in {"of", "against", "on"}:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    if trigger.dep_ in {"conj"} and trigger.pos_ == "VERB":
        return next((c for c in trigger.head.children if c.dep_ == "nsubjpass"), None)
    if trigger.dep_ == "xcomp" and trigger.pos_ == "VERB":  # "ordered Iran's embassy to close"
        return next((c for c in trigger.head.children if c.dep_ == "dobj"), None)
    if trigger.dep_ in {"amod", "compound", "acl"} and trigger.head.pos_ in {"NOUN", "PROPN"}:
        return trigger.head
    return None


def noun_owner(trigger: Token) -> Token | None:
    """For a noun trigger, who did it: possessor, "by" agent, or the governing verb's subject."""
    for child in trigger.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ in {"prep", "agent"} and child.lower_ == "by":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    for child in trigger.children:
        if child.dep_ in {"amod", "compound"} and state_code(child.text):
            return child
        if child.dep_ == "acl" and child.lemma_.lower() not in GO_BETWEEN:  # "brokered by Oman" mediates
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((c for c in agent.children if c.dep_ == "pobj"), None)
    head = trigger.head
    if trigger.dep_ in {"dobj", "pobj", "nsubjpass", "attr"} and head is not trigger:
        verb = head.head if head.dep_ == "prep" else head
        if verb.pos_ in {"VERB", "AUX"} and verb.lemma_.lower() not in REACTION_VERBS:
            return subject_of(verb)
    return None


def prep_object(token: Token, preps: set[str]) -> list[Token]:
    """Objects of the given prepositions attached to ``token``."""
    found: list[Token] = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in preps:
            found.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.lower_ == "out" and "from" in preps:  # "ordered 23 diplomats out of Britain": from Britain
            of = [c for c in child.children if c.dep_ == "prep" and c.lower_ == "of"]
            found.extend(c for p in of for c in p.children if c.dep_ == "pobj")
    return found


def places_near(trigger: Token) -> list[Place]:
    """Places in prepositional phrases of the trigger (and of its verb for noun triggers)."""
    anchors = [trigger]
    if trigger.head is not trigger:
        anchors.append(trigger.head)
    if trigger.dep_ == "conj" and trigger.head.head is not trigger.head:
        anchors.append(trigger.head.head)
    places: list[Place] = []
    for anchor in anchors:
        for pobj in prep_object(anchor, PLACE_PREPS):
            places.extend(_places_in(phrase(pobj)))
    return places


GIVING = {"pass", "give", "hand", "send", "sell", "leak", "report", "transmit", "deliver", "provide", "supply"}


def _beneficiary(token: Token) -> bool:
    """"spied for Iran", "passed the data to Russia's SVR" (but "lured to Iraq" is where he was taken)."""
    for _ in range(3):
        if token.dep_ not in {"poss", "compound", "amod"} or token.head is token:
            break
        token = token.head
    if token.dep_ != "pobj":
        return False
    preposition = token.head
    return preposition.lower_ == "for" or (preposition.lower_ == "to" and preposition.head.lemma_.lower() in GIVING)


def _places_in(tokens: list[Token]) -> list[Place]:
    places: list[Place] = []
    if not tokens:
        return places
    doc = tokens[0].doc
    ids = {t.i for t in tokens}
    owned: list[Place] = []
    for ent in doc.ents:
        if ent.label_ in {"GPE", "LOC", "FAC"} and ent.start in ids:
            place = lookup_place(ent.text)
            if place is not None:
                # "Saudi Arabia's consulate in Istanbul": the owner is not where it happened
                # and "the U.S. embassy in Lima": a state naming a thing is not where it happened either
                whole_state = place.country is not None and place.name == state_name(place.country)
                naming = ent.root.dep_ in {"compound", "amod"} and whole_state
                if whole_state and _beneficiary(ent.root):
                    continue  # "passed it to Russia", "spied for Iran": who benefits, not where
                (owned if ent.root.dep_ == "poss" or naming else places).append(place)
    return places + owned


def places_in_tokens(tokens: list[Token]) -> list[Place]:
    return _places_in(sorted(tokens, key=lambda t: t.i))


def count_of(target: Token | None, cues: Cues) -> int | None:
    """"two diplomats" → 2, "23 Russian diplomats" → 23, "a diplomat" → 1, "a couple" → 2."""
    if target is None or target.lemma_.lower() in TIME_UNITS or target.ent_type_ in {"DATE", "TIME"}:
        return None  # "sentenced in March 2017": 2017 is a year, not a count
    for child in target.children:
        if child.dep_ == "nummod":
            return _number(child.text, cues)
    if target.lemma_.lower() in {"couple", "pair"}:
        return 2
    conjuncts = [c for c in target.conjuncts if c.pos_ in {"NOUN", "PROPN"}]
    if conjuncts and target.lemma_.lower() in cues["person_words"]:
        return 1 + len(conjuncts)
    singular_person = target.lemma_.lower() in cues["person_words"] and target.tag_ == "NN"
    if singular_person or target.ent_type_ == "PERSON" or target.lower_ in {"him", "her"}:
        return 1
    return None


def _number(text: str, cues: Cues) -> int | None:
    cleaned = text.replace(",", "").lower()
    if cleaned.isdigit():
        return int(cleaned)
    return cues.numbers.get(cleaned)


def people_in(tokens: list[Token]) -> list[Perpetrator]:
    if not tokens:
        return []
    doc = tokens[0].doc
    ids = {t.i for t in tokens}
    found: list[Perpetrator] = []
    for ent in doc.ents:
        if ent.start in ids and ent.label_ in {"PERSON", "ORG"}:
            found.append(Perpetrator(text=ent.text, kind="person" if ent.label_ == "PERSON" else "organization"))
    return found


def described(head: Token, words: frozenset[str] | set[str]) -> list[Perpetrator]:
    """People named only by a description: "urban guerrillas", "two soldiers", "the mayor" (its modifiers and
    head, without articles), when the head noun is one of ``words``; one per coordinated head."""
    found = []
    for token in [head, *head.conjuncts]:
        if token.pos_ not in {"NOUN", "PROPN"} or not _one_of(token, words):
            continue
        left = [t for t in token.lefts if t.dep_ in {"amod", "compound", "nummod", "quantmod"}]
        start = min([token.i, *[min(t.i for t in c.subtree) for c in left]])
        found.append(Perpetrator(text=token.doc[start : token.i + 1].text, kind="person"))
    return found


def _one_of(token: Token, words: frozenset[str] | set[str]) -> bool:
    """The token's word is one of ``words``, also where upper-case text left it unlemmatised ("ASSASSINS")."""
    lower = token.lower_
    return token.lemma_.lower() in words or lower in words or (lower.endswith("s") and lower[:-1] in words)


@lru_cache(maxsize=1)
def _weapon_words() -> re.Pattern[str]:
    names = sorted((re.escape(w.lower()) for w in WEAPONS), key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(names)})(?:e?s)?\b")


def weapons_in(sentence: Span) -> list[str]:
    """Weapon words of the sentence (whole words: "gunmen" is no gun) and of the next one when it tells no act
    of its own ("Witnesses said the attackers fired pistols")."""
    text = sentence.text
    following = sentence.doc[sentence.end].sent if sentence.end < len(sentence.doc) else None
    spans = sentence.doc.spans.get(TRIGGER_KEY, [])
    acts = [s for s in spans if s.label_ in HOSTILE_TYPES and s.root.pos_ == "VERB"]
    if following is not None and not any(s.sent == following for s in acts):
        text = f"{text} {following.text}"
    names = {w.lower(): w for w in WEAPONS}
    found = set()
    for m in _weapon_words().finditer(text.lower()):
        word = m.group(0)
        found.add(names.get(word) or names.get(word[:-1]) or names.get(word[:-2]))
    return [w for w in WEAPONS if w in found]


def state_actor(code: str, text: str | None = None) -> Actor:
    return Actor(id=code, name=state_name(code), state=code, kind="state", text=text or state_name(code))
