"""Role checks named in the trigger lexicon: is the trigger used in the sense we want?

A "sanctioned" student society or a footballer "sent off" is not an event; a
"recall" needs an envoy, a "cut" needs ties. Each check takes the trigger span
and the cue words and answers yes or no.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from plotwatch.extract.arguments import object_of, phrase, subject_of
from plotwatch.extract.lexicon import Cues
from plotwatch.resolve import find_agencies, state_code

Check = Callable[[Span, Cues], bool]


def _lemmas(tokens: list[Token]) -> set[str]:
    return {t.lemma_.lower() for t in tokens}


def _object_phrase(span: Span) -> list[Token]:
    target = object_of(span.root)
    return phrase(target) if target is not None else []


def _window(span: Span, size: int = 6) -> list[Token]:
    doc = span.doc
    sent = span.sent
    start = max(sent.start, span.start - size)
    end = min(sent.end, span.end + size)
    return list(doc[start:end])


def person_object(span: Span, cues: Cues) -> bool:
    tokens = _object_phrase(span)
    if not tokens:
        return span.root.dep_ in {"ROOT", "conj"} and span.root.tag_ == "VBN"
    if any(t.ent_type_ == "PERSON" for t in tokens):
        return True
    return bool(_lemmas(tokens) & cues["person_words"])


def place_or_person_object(span: Span, cues: Cues) -> bool:
    """"filming the building", "filming him": watching people or places, not making a film."""
    tokens = _object_phrase(span)
    if not tokens:
        return False
    return person_object(span, cues) or bool(_lemmas(tokens) & (cues["embassy"] | {"building", "home", "house", "it"}))


def sentence_act(span: Span, cues: Cues) -> bool:
    """Timeline present tense mis-tagged as a noun: "The court sentences Assadi to 20 years"."""
    root = span.root
    if root.tag_ != "NNS" or root.i + 1 >= len(root.doc):
        return False
    following = root.doc[root.i + 1 : root.i + 6]
    return following[0].pos_ in {"PROPN", "PRON"} and any(t.lower_ == "to" for t in following)


def envoy_object(span: Span, cues: Cues) -> bool:
    tokens = _object_phrase(span)
    if not tokens and span.root.pos_ == "NOUN":
        tokens = _window(span, 5)
    return bool(_lemmas(tokens) & cues["envoy"])


def envoy_nearby(span: Span, cues: Cues) -> bool:
    return bool(_lemmas(_window(span, 6)) & cues["envoy"])


def envoy_context(span: Span, cues: Cues) -> bool:
    """Envoys named in this or the previous sentence ("... said it would send two home")."""
    sent = span.sent
    start = sent.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    return bool(_lemmas(list(sent.doc[start : sent.end])) & cues["envoy"])


def envoy_subject(span: Span, cues: Cues) -> bool:
    subject = subject_of(span.root)
    return subject is not None and bool(_lemmas(phrase(subject)) & {"ambassador", "envoy"})


def ties_object(span: Span, cues: Cues) -> bool:
    tokens = _object_phrase(span) or _window(span, 4)
    return bool(_lemmas(tokens) & cues["ties"])


def ties_nearby(span: Span, cues: Cues) -> bool:
    window = _lemmas(_window(span, 4))
    return bool(window & {"relation", "tie"}) and "diplomatic" in window


def embassy_object(span: Span, cues: Cues) -> bool:
    return bool(_lemmas(_object_phrase(span)) & cues["embassy"])


def embassy_nearby(span: Span, cues: Cues) -> bool:
    return bool(_lemmas(_window(span, 4)) & cues["embassy"])


def asset_object(span: Span, cues: Cues) -> bool:
    return bool(_lemmas(_object_phrase(span) or _window(span, 4)) & cues["asset"])


def violent_attack(span: Span, cues: Cues) -> bool:
    """A bombing or shooting, not a cyberattack or a verbal attack (told in this or the previous sentence)."""
    sent = span.sent
    start = sent.doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    story = list(sent.doc[start : sent.end])
    if (_lemmas(story) | {t.lower_ for t in story}) & cues["nonviolent_attack_words"]:
        return False
    window = _lemmas(_window(span, 6)) | {t.lower_ for t in _window(span, 6)}
    root = span.root
    if root.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in root.children):
        window |= _lemmas(story) | {t.lower_ for t in story}  # "the attack": the one just told ("a car bomb …")
    return bool(window & cues["violent_attack_words"])


def violent_death(span: Span, cues: Cues) -> bool:
    """"died after ingesting polonium", not "died of cancer": a violent cause told in the sentence."""
    sentence = span.sent
    return bool((_lemmas(list(sentence)) | {t.lower_ for t in sentence}) & cues["violent_death"])


def not_state(span: Span, cues: Cues) -> bool:
    """"detention" as an act, not "in detention" (a state of being)."""
    root = span.root
    return not (root.dep_ == "pobj" and root.head.lower_ in {"in", "under", "from"})


def legal_charge(span: Span, cues: Cues) -> bool:
    """"charged with murder", "charged two men", not "charged a phone"/"in charge"."""
    root = span.root
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in root.children):
        return True
    return person_object(span, cues)


def trial_event(span: Span, cues: Cues) -> bool:
    """A trial that opened or began, not "awaiting trial"."""
    root = span.root
    head = root.head
    if root.dep_ in {"nsubj"} and head.lemma_.lower() in {"open", "begin", "start", "resume", "get"}:
        return True
    return any(c.lemma_.lower() in {"open", "opening", "begin"} for c in root.children)


def verdict_event(span: Span, cues: Cues) -> bool:
    window = _lemmas(_window(span, 8))
    return bool(window & {"guilty", "convict", "sentence", "jail", "prison", "year"})


def swap_noun(span: Span, cues: Cues) -> bool:
    return bool(_lemmas(_window(span, 4)) & {"prisoner", "prisoners", "swap", "detainee"})


def sanction_role(span: Span, cues: Cues) -> bool:
    """Sanctions by a state on a state, agency or person; not a league sanctioning a club."""
    window = _window(span, 10)
    text = " ".join(t.text for t in window)
    if find_agencies(text):
        return True
    for token in window:
        if token.ent_type_ in {"GPE", "NORP"} and state_code(token.text):
            return True
    return bool(_lemmas(window) & {"treasury", "council", "eu", "government", "ministry", "terrorist", "asset"})


def spy_noun(span: Span, cues: Cues) -> bool:
    """"a spy was arrested" is an event of spying only with an act nearby."""
    return bool(_lemmas(_window(span, 5)) & {"ring", "network", "operation", "case", "activity"})


def police_agent(span: Span, cues: Cues) -> bool:
    """"held by police", "Belgian police stopped a couple": law enforcement does it to people."""
    doer = subject_of(span.root)
    if doer is None or not _lemmas(phrase(doer)) & cues["law_enforcement"]:
        return False
    return (span.root.tag_ == "VBN" and span.root.dep_ != "amod") or person_object(span, cues)


def court_context(span: Span, cues: Cues) -> bool:
    """"a court began trying 20 men": trying as a trial, not as an attempt."""
    if any(c.dep_ == "xcomp" for c in span.root.children):
        return False
    return bool(_lemmas(_window(span, 8)) & cues["court"]) and person_object(span, cues)


CHECKS: dict[str, Check] = {
    "person_object": person_object,
    "envoy_object": envoy_object,
    "envoy_nearby": envoy_nearby,
    "envoy_context": envoy_context,
    "place_or_person_object": place_or_person_object,
    "envoy_subject": envoy_subject,
    "ties_object": ties_object,
    "ties_nearby": ties_nearby,
    "embassy_object": embassy_object,
    "embassy_nearby": embassy_nearby,
    "asset_object": asset_object,
    "violent_attack": violent_attack,
    "not_state": not_state,
    "legal_charge": legal_charge,
    "trial_event": trial_event,
    "verdict_event": verdict_event,
    "swap_noun": swap_noun,
    "sanction_role": sanction_role,
    "spy_noun": spy_noun,
    "police_agent": police_agent,
    "court_context": court_context,
    "sentence_act": sentence_act,
    "violent_death": violent_death,
}


def role_ok(check: str, span: Span, cues: Cues) -> bool:
    if not check:
        return True
    return CHECKS[check](span, cues)
