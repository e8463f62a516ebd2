"""spaCy components of the extractor, each declaring what it requires and assigns."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from plotwatch.extract.lexicon import Trigger, load_triggers

TRIGGER_KEY = "pw_triggers"
DATELINE = re.compile(r"^[A-Z][A-Z .'’()/-]{1,60}(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s[—–-]{1,2}\s")
# Wire-service datelines in any case: "SAN SALVADOR, 12 JAN 90 --", "bogota, 5 jun 91 --", "Lima, March 3 —".
WIRE_DATELINE = re.compile(r"^([A-Za-z][A-Za-z .'’()/-]{1,40}?),\s*(?:\d{1,2}\s+[A-Za-z]{3,9}\.?(?:\s+\d{2,4})?|"
                           r"[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,?\s+\d{4})?)\s*(?:\([^)]*\)\s*)?[—–-]{1,2}\s")


@Language.factory(
    "plotwatch_sentences",
    assigns=["token.is_sent_start"],
    requires=[],
)
def make_sentence_breaker(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Paragraph breaks and datelines ("BRUSSELS — ") end a sentence; runs before the parser."""

    def breaker(doc: Doc) -> Doc:
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if "\n\n" in previous.whitespace_ + previous.text or (previous.is_space and "\n" in previous.text):
                token.is_sent_start = True
        for paragraph_start in _paragraph_starts(doc):
            _break_after_dateline(doc, paragraph_start)
        return doc

    return breaker


def _paragraph_starts(doc: Doc) -> list[int]:
    return [t.i for t in doc if t.i == 0 or t.is_sent_start]


def _break_after_dateline(doc: Doc, start: int) -> None:
    text = doc.text[doc[start].idx : doc[start].idx + 80]
    match = DATELINE.match(text) or WIRE_DATELINE.match(text)
    if not match:
        return
    end_char = doc[start].idx + match.end()
    for token in doc[start:]:
        if token.idx >= end_char:
            token.is_sent_start = True
            break
        if token.i > start:
            token.is_sent_start = False


class TriggerMatcher:
    """Marks event triggers from the lexicon as spans in ``doc.spans["pw_triggers"]``."""

    def __init__(self, nlp: Language, lang: str) -> None:
        self.vocab = nlp.vocab
        self.matcher = Matcher(nlp.vocab)  # every pattern: what the matches below equal
        self.triggers: dict[str, Trigger] = {}
        self.patterns: list[tuple[str, list[dict[str, Any]]]] = []
        self.starters: dict[tuple[str, str], list[int]] = {}  # (attribute, first word) -> patterns starting so
        self.groups: dict[tuple[int, ...], tuple[Matcher, int]] = {}  # patterns -> their Matcher and reach
        for number, trigger in enumerate(load_triggers(lang)):
            self.triggers[trigger.key] = trigger
            pattern = _pattern(trigger)
            self.matcher.add(trigger.key, [pattern])
            self.patterns.append((trigger.key, pattern))
            for first in _first_words(pattern[0]):
                self.starters.setdefault(first, []).append(number)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self._matches(doc):
            key = doc.vocab.strings[match_id]
            trigger = self.triggers[key]
            span = Span(doc, start, end, label=trigger.type, span_id=key)
            if _pos_ok(span, trigger.pos):
                spans.append(span)
        doc.spans[TRIGGER_KEY] = filter_spans(shortest_per_start(spans))
        return doc

    def _matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """The matches of ``self.matcher(doc)``, found faster: the spans this component makes are the same.

        A match starts on a token that has its pattern's first word. So each such token is matched alone
        with the patterns that start with its word, in their order, over the most tokens they can span;
        the Matcher then never carries the partial matches of every pattern from every token. The matches
        that start on one token come in the order the whole Matcher gives them (it keeps the relative order
        of the partial matches of one start), and only that order can change which spans are kept:
        ``filter_spans`` breaks ties between spans of one start and one length by it.
        """
        found: list[tuple[int, int, int]] = []
        for token in doc:
            group = self._group(token.lemma_, token.lower_)
            if group is None:
                continue
            matcher, reach = group
            window = doc[token.i : min(len(doc), token.i + reach)]
            found += [(match_id, token.i, token.i + end) for match_id, start, end in matcher(window) if start == 0]
        return found

    def _group(self, lemma: str, lower: str) -> tuple[Matcher, int] | None:
        """A Matcher of the patterns that can start on a token with this lemma and lower-case form."""
        numbers = tuple(sorted({*self.starters.get(("LEMMA", lemma), ()), *self.starters.get(("LOWER", lower), ())}))
        if not numbers:
            return None
        if numbers not in self.groups:
            matcher = Matcher(self.vocab)
            for number in numbers:
                key, pattern = self.patterns[number]
                matcher.add(key, [pattern])
            self.groups[numbers] = (matcher, max(_reach(self.patterns[number][1]) for number in numbers))
        return self.groups[numbers]


def _first_words(token: dict[str, Any]) -> list[tuple[str, str]]:
    """(attribute, word) pairs that a pattern's first token accepts."""
    if "LOWER" in token:
        return [("LOWER", token["LOWER"])]
    return [("LEMMA", word) for word in token["LEMMA"]["IN"]]


def _reach(pattern: list[dict[str, Any]]) -> int:
    """The most tokens a match of ``pattern`` can span ("{0,12}" counts 12)."""
    total = 0
    for token in pattern:
        op = token.get("OP")
        if op is None:
            total += 1
        elif op.startswith("{"):
            total += int(op.strip("{}").split(",")[-1])
        else:
            raise ValueError(f"no reach for the operator {op!r}; give it a bound")
    return total


def shortest_per_start(spans: list[Span]) -> list[Span]:
    """Of the matches of one trigger starting at one token, keep the shortest ("called in", not "called ... in")."""
    best: dict[tuple[int, str], Span] = {}
    for span in spans:
        key = (span.start, span.id_)
        if key not in best or len(span) < len(best[key]):
            best[key] = span
    return list(best.values())


def _pattern(trigger: Trigger) -> list[dict[str, Any]]:
    pattern: list[dict[str, Any]] = []
    for index, lemma in enumerate(trigger.lemmas):
        if index and trigger.pos == "VERB":
            if len(trigger.lemmas) > 2:  # "ordered the head of ... to leave", "declared X, Y, persona non grata"
                pattern.append({"OP": "{0,12}", "IS_SENT_START": False})
            else:
                pattern.append({"OP": "{0,6}", "IS_PUNCT": False, "IS_SENT_START": False})
        pattern.append({"LOWER": lemma} if lemma.isdigit() else {"LEMMA": {"IN": [lemma, lemma.title()]}})
    return pattern


def _pos_ok(span: Span, pos: str) -> bool:
    head = span[0]
    if pos == "VERB":
        verbal = head.pos_ in {"VERB", "AUX"} or head.tag_ == "VBN"
        return verbal and head.dep_ != "amod"  # "sentenced prisoners" names people, not an act
    if pos == "NOUN":
        return span.root.pos_ in {"NOUN", "PROPN"}
    return head.pos_ in {"VERB", "NOUN", "PROPN", "ADJ", "AUX"}


@Language.factory(
    "plotwatch_triggers",
    assigns=["doc.spans"],
    requires=["token.lemma", "token.tag", "token.dep"],
    default_config={"lang": "en"},
)
def make_trigger_matcher(nlp: Language, name: str, lang: str) -> TriggerMatcher:
    return TriggerMatcher(nlp, lang)
