"""The spaCy pipelines of the lexicon extractor and its components.

- French: Explosion's ``fr_core_news_sm`` 3.8.0 (tagger, parser, lemmatizer, NER),
  with plotwatch's sentence breaker in front of the parser.
- German: no trained German pipeline is on PyPI here, so ``spacy.blank("de")``
  (tokenizer), plotwatch's sentence breaker and spaCy's lookup lemmatizer, whose
  table comes from ``spacy-lookups-data``.

Both then get the same two components: names (states, demonyms, capitals,
institutions, agencies) and triggers, each read from ``extract/lang/<lang>/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from plotwatch.extract.components import shortest_per_start
from plotwatch.extract.multi.data import LONG_GAP, TriggerRule, load_language

TRIGGERS = "pw_multi_triggers"
NAMES = "pw_multi_names"
FRENCH_MODEL = "fr_core_news_sm"
MODELS = {"fr": f"{FRENCH_MODEL}-3.8.0", "de": "blank-de+spacy-lookups-data-1.0.5"}
SENTENCE_END = {".", "!", "?", "…"}
DATELINE = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’()/-]{1,60}\s[—–-]{1,2}\s")
SHORT_GAP = {"OP": "{0,3}", "IS_PUNCT": False, "IS_SENT_START": False}
Token.set_extension("pw_key", default="", force=True)
LONG = {"OP": "{0,15}", "IS_SENT_START": False, "TEXT": {"NOT_IN": [".", ";", ":", "?", "!"]}}


@Language.factory("plotwatch_multi_sentences", assigns=["token.is_sent_start"], requires=[])
def make_sentences(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Sentences end at . ! ? before a capital, a digit or a quote, at paragraph breaks and after datelines."""

    def breaker(doc: Doc) -> Doc:
        for token in doc[1:]:
            token.is_sent_start = _starts_sentence(doc, token.i)
        _break_datelines(doc)
        return doc

    return breaker


def _starts_sentence(doc: Doc, i: int) -> bool:
    previous, token = doc[i - 1], doc[i]
    if "\n\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
        return True
    if previous.is_space:
        return _starts_sentence(doc, i - 1) if i > 1 else False
    first = token.text[:1]
    return previous.text in SENTENCE_END and (first.isupper() or first.isdigit() or first in '«"“„')


def _break_datelines(doc: Doc) -> None:
    for start in [t.i for t in doc if t.i == 0 or t.is_sent_start]:
        match = DATELINE.match(doc.text[doc[start].idx : doc[start].idx + 80])
        if not match:
            continue
        end_char = doc[start].idx + match.end()
        for token in doc[start + 1 :]:
            if token.idx >= end_char:
                token.is_sent_start = True
                break


def _element(alternatives: tuple[str, ...]) -> list[dict[str, Any]]:
    """One token that is any of the alternatives (a lemma, a word, or a prefix*)."""
    prefixes = [a for a in alternatives if a.endswith("*")]
    words = [a for a in alternatives if not a.endswith("*")]
    parts = [re.escape(w) + r"(?:\s|$)" for w in words] + [re.escape(p[:-1]) for p in prefixes]
    regex = r"(?:^|\s)(?:" + "|".join(parts) + ")"
    return [{"_": {"pw_key": {"REGEX": regex}}}]


def trigger_pattern(rule: TriggerRule) -> list[dict[str, Any]]:
    pattern: list[dict[str, Any]] = []
    for index, element in enumerate(rule.elements):
        if element == (LONG_GAP,):
            pattern.append(dict(LONG))
            continue
        if index and rule.elements[index - 1] != (LONG_GAP,):
            pattern.append(dict(SHORT_GAP))
        pattern.extend(_element(element))
    return pattern


class TriggerMatcher:
    """Marks lexicon triggers in ``doc.spans["pw_multi_triggers"]`` (label: event type, id: rule key)."""

    def __init__(self, nlp: Language, lang: str) -> None:
        self.matcher = Matcher(nlp.vocab)
        for rule in load_language(lang).triggers:
            self.matcher.add(rule.key, [trigger_pattern(rule)])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            spans.append(Span(doc, start, end, label=key.split("\t", 1)[0], span_id=key))
        doc.spans[TRIGGERS] = filter_spans(shortest_per_start(spans))
        return doc


class NameMatcher:
    """Marks states, demonyms, capitals, institutions and agencies in ``doc.spans["pw_multi_names"]``.

    Label: the kind (name, demonym, capital, institution, agency); id: the ISO code or the agency's English name.
    """

    def __init__(self, nlp: Language, lang: str) -> None:
        data = load_language(lang)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for name in data.names:
            self.matcher.add(f"{name.kind}:{name.code}", [nlp.make_doc(name.form)])
        for form, agency in data.agencies:
            self.matcher.add(f"agency:{agency}", [nlp.make_doc(form)])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            kind, code = doc.vocab.strings[match_id].split(":", 1)
            spans.append(Span(doc, start, end, label=kind, span_id=code))
        doc.spans[NAMES] = sorted(filter_spans(spans), key=lambda s: s.start)
        return doc


def _set_keys(doc: Doc) -> Doc:
    """``token._.pw_key``: the lower-case word and its lemma, space-separated, so one regex matches either."""
    for token in doc:
        lemma = token.lemma_.lower()
        token._.pw_key = token.lower_ if not lemma or lemma == token.lower_ else f"{token.lower_} {lemma}"
    return doc


@Language.factory("plotwatch_multi_keys", assigns=["token._.pw_key"], requires=[])
def make_keys(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    return _set_keys


@Language.factory(
    "plotwatch_multi_triggers", assigns=["doc.spans"], requires=["token.lemma"], default_config={"lang": "fr"}
)
def make_triggers(nlp: Language, name: str, lang: str) -> TriggerMatcher:
    return TriggerMatcher(nlp, lang)


@Language.factory("plotwatch_multi_names", assigns=["doc.spans"], requires=[], default_config={"lang": "fr"})
def make_names(nlp: Language, name: str, lang: str) -> NameMatcher:
    return NameMatcher(nlp, lang)


def _base(lang: str) -> Language:
    if lang == "fr":
        nlp = spacy.load(FRENCH_MODEL)
        nlp.add_pipe("plotwatch_multi_sentences", before="parser")
        return nlp
    nlp = spacy.blank(lang)
    nlp.add_pipe("plotwatch_multi_sentences")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@lru_cache(maxsize=4)
def load_multi_pipeline(lang: str) -> Language:
    """The pipeline for ``lang`` ("fr" or "de") with plotwatch's components (loaded once per process)."""
    nlp = _base(lang)
    nlp.add_pipe("plotwatch_multi_keys", last=True)
    nlp.add_pipe("plotwatch_multi_names", last=True, config={"lang": lang})
    nlp.add_pipe("plotwatch_multi_triggers", last=True, config={"lang": lang})
    return nlp
