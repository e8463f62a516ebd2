"""Who did what to whom, where: the arguments of one trigger, by event family.

Responses: the acting state is the subject (or agent, or possessor); a
coordinated subject ("Germany, France and Poland") gives one actor each.
Hostile acts: the perpetrator is the subject, the sponsor state an agency or
demonym in the sentence, the place the one attached to the act itself, never
the one describing the perpetrator ("a diplomat based in Vienna").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from plotwatch.extract import arguments as args
from plotwatch.extract.components import TRIGGER_KEY
from plotwatch.extract.lexicon import Cues
from plotwatch.models import HOSTILE_TYPES, Actor, Perpetrator, Place
from plotwatch.resolve import find_agencies

RELATIVES = {"which", "who", "that"}
LEGAL_TYPES = {"ARREST", "CHARGE", "CONVICT", "RELEASE"}
PARTNER_PREPS = {"RECALL": {"from", "to", "in"}, "SEVER": {"with", "in"}, "RESTORE": {"with", "to", "in"}}
PHYSICAL = {"rally", "embassy", "synagogue", "consulate", "home", "house", "office", "gathering", "meeting", "centre"}


def collect(span: Span, type_: str, cues: Cues) -> args.Arguments:
    root = span.root
    verbal = root.pos_ in {"VERB", "AUX"} or root.tag_ == "VBN"
    if type_ in HOSTILE_TYPES and not verbal:
        doer = _hostile_noun_owner(root)
    else:
        doer = args.subject_of(root) if verbal else args.noun_owner(root)
    if doer is not None and doer.lower_ in RELATIVES and root.dep_ == "relcl":
        doer = root.head
    done_to = args.object_of(root) or _inside_object(span, cues)
    found = args.Arguments()
    found.count = args.count_of(done_to, cues)
    if type_ in HOSTILE_TYPES:
        found.weapons = args.weapons_in(span.sent)
        named_by_act = span.root.lemma_.lower()  # "rebels dynamited two pylons", "bombed the station"
        if named_by_act in args.WEAPONS and named_by_act not in found.weapons:
            found.weapons.append(named_by_act)
        _hostile(found, span, doer, done_to, cues)
    else:
        found.place = _first(args.places_near(root))
        _response(found, span, doer, done_to, cues)
    return found


def _inside_object(span: Span, cues: Cues) -> Token | None:
    """The people a multi-word trigger names inside itself when the parse lost them: "declared the two Dutch
    diplomats persona non grata" (parsed as if the diplomats were a subject)."""
    after = [t for t in span if t.i > span.root.i and t.pos_ in {"NOUN", "PROPN"}]
    return next((t for t in after if t.lemma_.lower() in cues["person_words"]), None)


def _first(places: list[Place]) -> Place:
    return places[0] if places else Place()


def _context(span: Span) -> Span:
    sent = span.sent
    doc = span.doc
    previous = doc[sent.start - 1].sent if sent.start > 0 else sent
    return doc[previous.start : sent.end]


def subject_actors(doer: Token | None, span: Span, cues: Cues) -> list[Actor]:
    """One actor per coordinated subject; pronouns resolved to the reporting verb's subject."""
    if doer is None:
        return []
    if doer.lower_ in cues["pronoun_subjects"]:
        antecedent = _pronoun_antecedent(doer, cues)
        if antecedent is None:
            actor = args.actor_of_phrase([doer], _context(span))
            return [actor] if actor.state else _states_left_of(span.root)
        doer = antecedent
    if doer.lower_ in QUANTIFIERS:
        return _listed_states(doer) or _states_left_of(span.root)
    actors = [args.actor_of_phrase(args.phrase(t), _context(span)) for t in [doer, *doer.conjuncts]]
    stated = [a for a in actors if a.state]
    return stated or actors[:1]


QUANTIFIERS = {"each", "both", "all"}


def _listed_states(subject: Token) -> list[Actor]:
    """"Germany, France and Poland each said": the list of states just before the subject."""
    doc = subject.doc
    actors: list[Actor] = []
    index = subject.i - 1
    while index >= subject.sent.start:
        token = doc[index]
        if token.is_punct or token.dep_ == "cc":
            index -= 1
            continue
        if token.ent_type_ not in {"GPE", "NORP"}:
            break
        actor = args.actor_of_phrase([token])
        if actor.state:
            actors.insert(0, actor)
        index -= 1
    return actors


def _states_left_of(trigger: Token) -> list[Actor]:
    """States named before the main verb, outside prepositional phrases ("Germany, France and Poland ...")."""
    root = trigger.sent.root
    actors: list[Actor] = []
    for ent in trigger.sent.ents:
        if ent.end > root.i or ent.label_ != "GPE" or ent.root.dep_ == "pobj":
            continue
        actor = args.actor_of_phrase(list(ent))
        if actor.state and actor.state not in {a.state for a in actors}:
            actors.append(actor)
    return actors


def _pronoun_antecedent(pronoun: Token, cues: Cues) -> Token | None:
    """"Germany ... said they would expel": the subject of a governing verb."""
    verb = pronoun.head
    for _ in range(3):
        if verb.head is verb:
            return None
        verb = verb.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ not in cues["pronoun_subjects"]:
            return subject
    return None


def _response(found: args.Arguments, span: Span, doer: Token | None, done_to: Token | None, cues: Cues) -> None:
    type_ = span.label_
    found.actors = subject_actors(doer, span, cues)
    pronoun = doer is None or doer.lower_ in cues["pronoun_subjects"]
    children = {c.dep_ for c in span.root.children}
    passive = bool(children & {"nsubjpass", "auxpass"}) and "agent" not in children  # "was detained in Germany"
    found.subject_named = any(a.state for a in found.actors) and not pronoun and not passive
    if not any(a.state for a in found.actors):
        found.actors = _reporter_or_agency(span, cues) or found.actors
    if done_to is not None:
        target_phrase = args.phrase(done_to)
        found.target = args.actor_of_phrase(target_phrase, _context(span))
        if not found.target.state and type_ not in LEGAL_TYPES:
            found.target = _previous_envoys(span, cues) or found.target
        if type_ in LEGAL_TYPES:
            found.perpetrators = args.people_in(target_phrase)
            if not found.target.state:
                found.target = nationality_of(done_to)
    partner = _partner(span, type_)
    if partner.state:
        found.target = partner
    if not any(a.state for a in found.actors) and type_ in {"EXPEL", "SUMMON"}:
        found.actors = _host_of(span, done_to) or found.actors
    if not any(a.state for a in found.actors) and found.place.country and type_ in LEGAL_TYPES | {"EXPEL"}:
        found.actors = [args.state_actor(found.place.country)]


NATIONAL_NOUNS = {"diplomat", "national", "citizen", "man", "woman", "poet", "worker", "counsellor", "official",
                  "dissident", "journalist", "activist", "suspect", "agent", "spy", "officer"}  # fmt: skip


def nationality_of(person: Token) -> Actor:
    """The state a person is described by: "Assadi, a diplomat at Iran's embassy", "an Iranian diplomat",
    or, for a bare name, how the same document described that name before."""
    described = _described_state(person)
    if described.state:
        return described
    if person.ent_type_ != "PERSON":
        return Actor()
    surname = person.text.lower()
    for ent in person.doc.ents:
        if ent.label_ == "PERSON" and ent.end <= person.i and surname in ent.text.lower().split():
            described = _described_state(ent.root)
            if described.state:
                return described
    return Actor()


def _described_state(person: Token) -> Actor:
    tokens = [person]
    for child in person.children:
        if child.dep_ in {"appos", "compound", "amod", "nmod"}:
            tokens.extend(child.subtree)
    if person.dep_ in {"compound", "appos"} and person.head.lemma_.lower() in NATIONAL_NOUNS:
        tokens.extend(person.head.subtree)
    actor = args.actor_of_phrase(sorted(set(tokens), key=lambda t: t.i))
    return actor if actor.kind in {"state", None} or actor.state else Actor()


def _host_of(span: Span, done_to: Token | None) -> list[Actor]:
    """Who expels or summons when no one is named: "expulsion ... from the Netherlands", "Iran's envoy in The Hague"."""
    anchors = [span.root] + ([done_to] if done_to is not None else [])
    for anchor in anchors:
        for pobj in args.prep_object(anchor, {"from"}):
            actor = args.actor_of_phrase(args.phrase(pobj))
            if actor.state:
                return [actor]
    if done_to is not None:
        for pobj in args.prep_object(done_to, {"in", "at"}):
            for place in args.places_in_tokens(args.phrase(pobj)):
                if place.country:
                    return [args.state_actor(place.country)]
    return []


def _reporter_or_agency(span: Span, cues: Cues) -> list[Actor]:
    """No state in the subject: the state of who reports it ("Belgian prosecutors said") or of a named service."""
    clause = span.root
    for _ in range(4):
        if clause.dep_ in {"ccomp", "conj", "xcomp", "advcl"} and clause.head is not clause:
            clause = clause.head
            if clause.lemma_.lower() in cues["reporting"]:
                reporter = next((c for c in clause.children if c.dep_ == "nsubj"), None)
                actor = args.actor_of_phrase(args.phrase(reporter)) if reporter is not None else Actor()
                if actor.state:
                    return [actor]
        else:
            break
    return []


def _previous_envoys(span: Span, cues: Cues) -> Actor | None:
    """"the two ... had been expelled": whose envoys, from the previous sentence ("two Iranian diplomats")."""
    sent = span.sent
    if sent.start == 0:
        return None
    previous = sent.doc[sent.start - 1].sent
    for token in previous:
        if token.lemma_.lower() in cues["envoy"]:
            for child in token.children:
                if child.dep_ in {"amod", "poss", "compound"}:
                    actor = args.actor_of_phrase([child])
                    if actor.state:
                        return actor
    return None


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


ACCUSING = {"accuse", "blame", "suspect", "hold", "link", "tie", "charge", "convict", "find", "implicate"}
DOING = {"carry", "commit", "conduct", "order", "plan", "organise", "organize", "mastermind", "direct", "run",
         "involve", "behind", "orchestrate", "prepare", "attempt"}  # fmt: skip


def _hostile_noun_owner(trigger: Token) -> Token | None:
    """Who did a plot named by a noun: "Russia's attack", "accused Moscow of murder", "Iran was involved in"."""
    for child in trigger.children:
        if child.dep_ == "poss" or (child.dep_ in {"prep", "agent"} and child.lower_ == "by"):
            return child if child.dep_ == "poss" else next((c for c in child.children if c.dep_ == "pobj"), None)
    head = trigger.head.head if trigger.head.dep_ == "prep" else trigger.head
    if head is trigger or head.pos_ not in {"VERB", "AUX", "ADJ"}:
        return None
    lemma = head.lemma_.lower()
    if lemma in ACCUSING and trigger.head.lower_ in {"of", "for", "to", "in", "over"}:
        return next((c for c in head.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    if lemma in DOING or any(c.lemma_.lower() in DOING for c in head.children if c.dep_ == "acomp"):
        return next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return None


def _hostile(found: args.Arguments, span: Span, doer: Token | None, done_to: Token | None, cues: Cues) -> None:
    found.place = _first(_act_places(span.root, doer))
    if doer is not None:
        doer_phrase = args.phrase(doer)
        named = [p for p in args.people_in(doer_phrase) if p.text not in _modifiers_of(doer)]
        described = [d for d in args.described(doer, cues["perpetrator_words"])
                     if not any(d.text.lower() in n.text.lower() for n in named)]  # fmt: skip
        found.perpetrators = described + named
        actor = args.actor_of_phrase(doer_phrase)
        if actor.state:
            found.actors = [actor]
        elif not found.perpetrators and doer.pos_ == "PROPN":  # "blamed the Shining Path": a named group
            name = [t for t in doer_phrase if t.dep_ != "det" and (t.i == doer.i or t.dep_ in {"compound", "flat"})]
            found.perpetrators = [Perpetrator(text=args.phrase_text(name), kind="organization")]
    if not found.perpetrators:
        found.perpetrators = _perpetrators_around(span, done_to, cues)
    if not found.actors:
        sponsor = _sponsor_in(span.sent)
        found.actors = [sponsor] if sponsor.state else []
    if done_to is not None:
        _victims(found, done_to, cues)
    if not found.physical_targets:
        found.physical_targets = _struck_near(span.root, cues)
    sponsor_state = found.actors[0].state if found.actors else None
    if found.target.state and found.target.state == sponsor_state and found.target.kind == "state":
        found.target = Actor(text=found.target.text, state=found.target.state, kind="dissident")


# Verbs whose subject is not the one who did the act: those who tell of it, or catch the doers.
TELLING = {"say", "tell", "report", "announce", "confirm", "add", "state", "claim", "believe", "suspect", "accuse",
           "arrest", "detain", "capture", "seize", "blame", "identify", "find", "see", "witness"}  # fmt: skip
CAUGHT = {"arrest", "detain", "capture", "apprehend"}


def _perpetrators_around(span: Span, done_to: Token | None, cues: Cues) -> list[Perpetrator]:
    """Doers the parse did not tie to the trigger, in its sentence or in the next one when that tells no act of
    its own: "a judge was assassinated when two gunmen on a motorcycle fired on his car", "Police said the
    killers used an assault rifle", "police arrested a former bodyguard, who they said had used a knife"."""
    sentence = span.sent
    doc = span.doc
    sentences = [sentence]
    if sentence.end < len(doc):
        following = doc[sentence.end].sent
        acts = [s for s in doc.spans.get(TRIGGER_KEY, [])
                if s.label_ in HOSTILE_TYPES and s.root.pos_ == "VERB" and s.sent == following]  # fmt: skip
        if not acts:
            sentences.append(following)
    victim = {t.i for t in done_to.subtree} if done_to is not None else set()
    words = cues["perpetrator_words"]
    found: list[Perpetrator] = []
    for part in sentences:
        for token in part:
            if token.i in victim or token.i in range(span.start, span.end):
                continue
            if token.dep_ in {"nsubj", "advcl"} and token.head.lemma_.lower() not in TELLING:
                found += args.described(token, words)
            elif token.dep_ == "dobj" and token.head.lemma_.lower() in CAUGHT and token.pos_ == "NOUN":
                found += args.described(token, {token.lemma_.lower()})  # whoever the police caught for it
    unique = {p.text.lower(): p for p in found}
    return list(unique.values())


def _modifiers_of(head: Token) -> set[str]:
    """Names that only modify the head noun ("Urban" of a truecased "Urban guerrillas"): not people of their own."""
    return {t.text for t in head.lefts if t.dep_ in {"compound", "amod", "nmod"}}


def _victims(found: args.Arguments, done_to: Token, cues: Cues) -> None:
    target_phrase = args.phrase(done_to)
    found.target = args.actor_of_phrase(target_phrase)
    found.victims = [p.text for p in args.people_in(target_phrase) if p.kind == "person"]
    if not found.victims:
        found.victims = [p.text for p in args.described(done_to, cues["victim_words"])]
    if done_to.ent_type_ in {"FAC", "EVENT"} or done_to.lemma_.lower() in PHYSICAL | cues["physical_target_words"]:
        found.physical_targets = [args.phrase_text(target_phrase)]


NEAR = {"outside", "near", "at", "against", "inside", "beside"}


def _struck_near(root: Token, cues: Cues) -> list[str]:
    """"A car bomb exploded outside the embassy", "fired on a bus": the thing hit, named by a preposition."""
    words = PHYSICAL | cues["physical_target_words"]
    for child in root.children:
        if child.dep_ != "prep" or child.lower_ not in NEAR | {"on"}:
            continue
        pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
        if pobj is not None and (pobj.lemma_.lower() in words or pobj.ent_type_ == "FAC"):
            return [args.phrase_text(args.phrase(pobj))]
    return []


def _act_places(root: Token, doer: Token | None) -> list[Place]:
    """Places in the act's own subtree (its objects and adjuncts), not in its subject's description."""
    excluded = {t.i for t in doer.subtree} if doer is not None else set()
    anchor = root
    if root.dep_ in {"xcomp", "pcomp", "acl"} and root.head.pos_ in {"NOUN", "VERB"}:
        anchor = root.head
    tokens = [t for t in anchor.subtree if t.i not in excluded]
    return _soil(tokens) + args.places_in_tokens(tokens)


def _soil(tokens: list[Token]) -> list[Place]:
    """"on Danish soil", "on British territory": the demonym names where."""
    for token in tokens:
        if token.lemma_.lower() in {"soil", "territory"}:
            for child in token.children:
                actor = args.actor_of_phrase([child]) if child.dep_ in {"amod", "compound", "poss"} else Actor()
                if actor.state:
                    return [Place(name=actor.name, country=actor.state)]
    return []


def _sentence_places(span: Span, doer: Token | None) -> list[Place]:
    """Fallback: places elsewhere in the sentence, not describing the perpetrator."""
    excluded = {t.i for t in doer.subtree} if doer is not None else set()
    return args.places_in_tokens([t for t in span.sent if t.i not in excluded])


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
    for token in sentence:
        if token.ent_type_ == "NORP" and token.dep_ == "amod" and token.head.lemma_.lower() in SPONSOR_NOUNS:
            return args.actor_of_phrase([token])
    return Actor()


SPONSOR_NOUNS = {"agent", "operative", "intelligence", "service", "spy", "diplomat", "official", "officer", "state",
                 "government", "regime", "plot", "plan", "hit", "network", "cell", "assassin", "hitman"}  # fmt: skip
