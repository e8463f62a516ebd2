"""When did a trigger's event happen: the date expression of its sentence that belongs to it.

A date belongs to the nearest trigger of its sentence (a noun trigger competes only for a date
right next to it); in German a date just after an auxiliary belongs to the verb that closes the
bracket ("hat am Mittwoch ... verurteilt"); "seit", "depuis" start a state, not an event. A
response whose sentence has no date may take one from the paragraph's next sentence when that
sentence tells no other kind of event.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from plotwatch.extract.multi import context
from plotwatch.extract.multi.data import LangData
from plotwatch.extract.multi.dates import find_dates, resolve
from plotwatch.extract.multi.nlp import TRIGGERS
from plotwatch.models import HOSTILE_TYPES


def date_of(span: Span, data: LangData, published: str | None, previous: str | None) -> str | None:
    """The date of the trigger's event: the nearest date expression of its sentence that is no other trigger's."""
    sent = span.sent
    base = sent.start_char
    candidates = []
    for start, end, expression in find_dates(sent.text, data.dates):
        date_span = span.doc.char_span(base + start, base + end, alignment_mode="expand")
        if date_span is None or _since(date_span, data) or _taken(date_span, span, data):
            continue
        candidates.append((abs(date_span.start - span.start), expression))
    for _, expression in sorted(candidates):
        found = resolve(expression, data.lang, data.dates, published, previous)
        if found:
            return found
    following = _following_sentence(span)
    if following is not None and span.label_ not in HOSTILE_TYPES:
        return _date_in(following, data, published, previous)
    return None


def _is_noun(token: Token) -> bool:
    return token.pos_ in {"NOUN", "PROPN"} if token.doc.has_annotation("POS") else token.text[:1].isupper()


def _taken(date_span: Span, span: Span, data: LangData) -> bool:
    """The date belongs to another trigger of the sentence: one between them, or a closer verb (or adjacent noun)."""
    at = date_span.start
    owner = _bracket_owner(date_span, data.cue("auxiliaries"))
    if owner is not None:
        return owner.start != span.start
    for other in span.doc.spans[TRIGGERS]:
        if other.start == span.start or not (span.sent.start <= other.start < span.sent.end):
            continue
        if not context.is_event(other, data):
            continue
        lo, hi = sorted((at, span.start))
        distance = abs(other.start - at)
        noun_far = _is_noun(other[0]) and not _is_noun(span[0]) and distance > 3
        if not noun_far and (lo < other.start < hi or distance < abs(span.start - at)):
            return True
    return False


def _bracket_owner(date_span: Span, auxiliaries: frozenset[str]) -> Span | None:
    """German verb brackets: "hat am Mittwoch ... verurteilt": the date is the final verb's."""
    doc = date_span.doc
    before = {t.lower_ for t in doc[max(date_span.sent.start, date_span.start - 2) : date_span.start]}
    if not before & auxiliaries:
        return None
    later = [t for t in doc.spans[TRIGGERS] if t.start > date_span.start and t.start < date_span.sent.end]
    verbs = [t for t in later if not _is_noun(t[0])]
    return verbs[0] if verbs else None


def _since(date_span: Span, data: LangData) -> bool:
    """ "seit Februar 2022", "depuis 2013": when a state began, not when the event happened."""
    start = date_span.start
    return start > 0 and date_span.doc[start - 1].lower_ in data.cue("since")


def _following_sentence(span: Span) -> Span | None:
    """The paragraph's next sentence when it tells no other kind of event ("Das Amt erklärte sie am Mittwoch ...")."""
    sent = span.sent
    if sent.end >= len(span.doc) or "\n" in span.doc.text[sent.end_char : span.doc[sent.end].idx]:
        return None
    following = span.doc[sent.end].sent
    others = [t for t in span.doc.spans[TRIGGERS] if following.start <= t.start < following.end]
    return following if all(t.label_ == span.label_ for t in others) else None


def _date_in(sentence: Span, data: LangData, published: str | None, previous: str | None) -> str | None:
    for _, _, expression in find_dates(sentence.text, data.dates):
        found = resolve(expression, data.lang, data.dates, published, previous)
        if found:
            return found
    return None
