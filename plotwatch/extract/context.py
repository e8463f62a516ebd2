"""Is a trigger a real, specific event? And with what status and hedging?

Demands ("urged Europe to expel"), hypotheticals ("could impose sanctions"),
negations ("did not expel"), questions and generic statements ("Iran has long
murdered dissidents") are not events. Foiled plots are ``planned``; failed
attempts ``attempted``; "allegedly", "suspected", "accused of" set ``hedged``.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from plotwatch.extract.lexicon import Cues
from plotwatch.models import HOSTILE_TYPES

CLAUSE_DEPS = {"xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp", "dobj", "pobj", "prep", "nsubjpass",
               "nsubj", "attr", "compound", "amod", "oprd", "appos"}  # fmt: skip


def governors(token: Token, hops: int = 3) -> Iterator[Token]:
    """The chain of heads above a token, up to ``hops`` steps, stopping at the root."""
    current = token
    for _ in range(hops):
        if current.head is current:
            return
        current = current.head
        yield current


def _own_clause(token: Token) -> list[Token]:
    """The token and the heads that belong to its clause (through xcomp/aux chains)."""
    chain = [token]
    current = token
    while current.dep_ in {"xcomp", "conj", "pobj", "prep", "dobj", "compound", "amod", "nsubjpass"} or (
        current.dep_ == "advcl" and current.tag_ == "VBG"
    ):
        if current.head is current:
            break
        current = current.head
        chain.append(current)
        if current.pos_ == "VERB" and current.dep_ not in {"xcomp", "conj", "prep"}:
            break
    return chain


def is_negated(trigger: Token, cues: Cues) -> bool:
    for word in _own_clause(trigger)[:2]:
        if any(c.dep_ == "neg" or (c.lower_ in cues["negation"] and c.dep_ in {"det", "advmod"})
               for c in word.children):
            return True
    return False


ANNOUNCED = {"would", "will", "'ll"}


def is_modal(trigger: Token, cues: Cues) -> bool:
    """Hypothetical or future: a modal auxiliary governs the trigger's clause.

    "said it would expel" is an announced decision, reported as such: an event.
    """
    for word in _own_clause(trigger):
        modals = {c.lower_ for c in word.children if c.dep_ == "aux" and c.lower_ in cues["modal"]}
        if modals and not (modals <= ANNOUNCED and _reported(word, cues)):
            return True
        if any(c.dep_ == "mark" and c.lower_ in cues["conditional_marks"] for c in word.children):
            return True
    return False


def is_demand(trigger: Token, cues: Cues, hostile: bool) -> bool:
    """A call, plan or threat to act, not the act ("urged ... to expel", "calls for sanctions")."""
    demand = cues["demand"] - (cues["plan"] if hostile else frozenset())
    for word in governors(trigger, 3):
        lemma = word.lemma_.lower()
        if word.pos_ in {"VERB", "AUX"} and lemma in demand:
            return True
        if not hostile and lemma in cues["plan"] and word.pos_ == "VERB":
            return True
        if word.pos_ == "NOUN" and lemma in cues["demand_nouns"] and not (hostile and lemma == "plan"):
            return True
        if word.pos_ == "VERB" and word.dep_ not in {"xcomp", "conj", "ccomp", "advcl"}:
            break
    return False


def is_generic(trigger: Token, sentence: Span, cues: Cues) -> bool:
    """Habitual or general statements: "has long murdered", "often expels"."""
    if sentence.text.rstrip().endswith("?"):
        return True
    for word in _own_clause(trigger)[:2]:
        if any(c.dep_ in {"advmod", "npadvmod"} and c.lemma_.lower() in cues["generic_adverbs"]
               for c in word.children):
            return True
    return False


def status_of(trigger: Token, type_: str, cues: Cues) -> str:
    """actual | attempted | planned for a hostile act; responses are actual."""
    if type_ not in HOSTILE_TYPES:
        return "actual"
    nearby = [trigger, *trigger.children, *governors(trigger, 3)]
    lemmas = {t.lemma_.lower() for t in nearby}
    tried = lemmas & {"attempted", "attempt", "try"} or trigger.lower_ == "attempted"
    if tried and not lemmas & {"plot", "plan", "conspire", "foil", "thwart"}:
        return "attempted"
    if lemmas & cues["plan"]:
        return "planned"
    return "actual"


def is_hedged(trigger: Token, sentence: Span, cues: Cues) -> bool:
    nearby = [*trigger.children, *governors(trigger, 4)]
    nearby += [c for g in governors(trigger, 2) for c in g.children]
    for argument in trigger.children:
        if argument.dep_ in {"nsubj", "nsubjpass", "dobj"}:
            nearby += [c for c in argument.children if c.dep_ in {"acl", "amod", "relcl"}]
    return any(t.lemma_.lower() in cues["hedge"] or t.lower_ in cues["hedge"] for t in nearby)


def _reported(word: Token, cues: Cues) -> bool:
    """The clause is what someone said or announced ("Russia said it would ...")."""
    clause = word
    while clause.dep_ in {"conj", "xcomp"} and clause.head is not clause:
        clause = clause.head
    return clause.dep_ == "ccomp" and clause.head.lemma_.lower() in cues["reporting"]
