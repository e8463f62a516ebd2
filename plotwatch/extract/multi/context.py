"""Clause-window rules: is a trigger a real, specific event, with what status and hedging?

The same rules as the English extractor's (extract/context.py), read from word
windows instead of the parse: a negation just before the trigger ("n'a pas
expulsé", "nicht ausgewiesen"), a modal or condition ("pourrait", "könnte",
"si"), a demand ("appelle à expulser", "fordert Sanktionen"), a generic
statement or a question is not an event. Cue words come from ``cues.json``.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from plotwatch.extract.multi.data import LangData
from plotwatch.extract.multi.nlp import TRIGGERS
from plotwatch.models import HOSTILE_TYPES

LEGAL_TYPES = {"ARREST", "CHARGE", "CONVICT"}
CLAUSE_STOPS = {";", ":", "—", "–"}


def window(span: Span, before: int, after: int, *, clause: bool = False) -> list[Token]:
    """Tokens around the trigger inside its sentence (and its clause: no ';' or ':' crossed)."""
    sent = span.sent
    start, end = max(sent.start, span.start - before), min(sent.end, span.end + after)
    tokens = list(span.doc[start:end])
    if not clause:
        return tokens
    left = [t for t in tokens if t.i < span.start and t.text in CLAUSE_STOPS]
    right = [t for t in tokens if t.i >= span.end and t.text in CLAUSE_STOPS]
    low = left[-1].i + 1 if left else start
    high = right[0].i if right else end
    return [t for t in tokens if low <= t.i < high]


def _forms(tokens: list[Token]) -> tuple[str, ...]:
    """Lower-case words and lemmas, space-separated, and the text with its own spacing ("chargé d'affaires")."""
    words = " " + " ".join(t.lower_ for t in tokens) + " "
    lemmas = " " + " ".join((t.lemma_ or t.text).lower() for t in tokens) + " "
    text = " " + "".join(t.lower_ + (t.whitespace_ and " ") for t in tokens) + " "
    return tuple(form.replace("’", "'") for form in (words, lemmas, text))


def has_cue(tokens: list[Token], cues: frozenset[str]) -> bool:
    """A cue word or phrase among the tokens, as written or as lemmas; "x*" is a word prefix."""
    if not tokens or not cues:
        return False
    forms = _forms(tokens)
    for cue in cues:
        probe = f" {cue[:-1]}" if cue.endswith("*") else f" {cue} "
        if any(probe in form for form in forms):
            return True
    return False


def is_negated(span: Span, data: LangData) -> bool:
    """ "n'a pas expulsé", "n'expulse pas", "keine ... ausgewiesen"; not "non seulement", "nicht nur"."""
    tokens = window(span, 4, 2, clause=True)
    nexts = {t.i - 1 for t in tokens if t.lower_ in data.cue("not_only")}
    return any(has_cue([t], data.cue("negation")) and t.i not in nexts for t in tokens)


def is_modal(span: Span, data: LangData) -> bool:
    before = window(span, 6, 0, clause=True)
    return has_cue(before, data.cue("modal")) or has_cue(window(span, 10, 0, clause=True), data.cue("conditional"))


def is_demand(span: Span, data: LangData) -> bool:
    before = window(span, 5, 0, clause=True)
    after = list(span.doc[span.end : min(span.sent.end, span.end + 4)])
    return has_cue(before, data.cue("demand")) or has_cue(after, data.cue("demand_after"))


def is_generic(span: Span, data: LangData) -> bool:
    if span.sent.text.rstrip().endswith("?") or has_cue(list(span.sent), data.cue("fiction")):
        return True
    return has_cue(window(span, 4, 3, clause=True), data.cue("generic"))


def is_hedged(span: Span, data: LangData) -> bool:
    return has_cue(window(span, 10, 8), data.cue("hedge"))


def status_of(span: Span, data: LangData) -> str:
    """actual | attempted | planned for a hostile act; responses are actual."""
    if span.label_ not in HOSTILE_TYPES:
        return "actual"
    near = window(span, 6, 12, clause=True)
    if has_cue(near, data.cue("attempt")):
        return "attempted"
    if has_cue(near, data.cue("plan")):
        return "planned"
    return "actual"


def passes_check(span: Span, check: str, data: LangData) -> bool:
    """Role checks named in triggers.tsv, comma-separated: ``near:CUE`` (within six words),
    ``sent:CUE`` (in the sentence), ``not_next:CUE`` (the next word is no such cue)."""
    for part in filter(None, (c.strip() for c in check.split(","))):
        kind, _, cue = part.partition(":")
        words = data.cue(cue)
        if kind == "near" and not has_cue(window(span, 6, 6), words):
            return False
        if kind == "sent" and not has_cue(list(span.sent), words):
            return False
        if kind == "not_next" and span.end < len(span.doc) and has_cue([span.doc[span.end]], words):
            return False
    return True


def is_charged_crime(span: Span, data: LangData) -> bool:
    """ "inculpées de meurtre", "wegen Mordes angeklagt": the crime named by a legal step is not a new act."""
    if span.label_ not in HOSTILE_TYPES:
        return False
    before = list(span.doc[max(span.sent.start, span.start - 3) : span.start])
    after = list(span.doc[span.end : min(span.sent.end, span.end + 2)])
    legal = [t for t in span.doc.spans[TRIGGERS] if t.label_ in LEGAL_TYPES]
    near_legal = any(0 <= span.start - t.end <= 2 or 0 <= t.start - span.end <= 1 for t in legal)
    return near_legal and has_cue(before[-2:] + after[:1], data.cue("crime_preps"))


def is_event(span: Span, data: LangData) -> bool:
    check = span.id_.split("\t")[-1]
    if not passes_check(span, check, data) or is_charged_crime(span, data):
        return False
    if is_negated(span, data) or is_modal(span, data) or is_generic(span, data):
        return False
    return not is_demand(span, data)
