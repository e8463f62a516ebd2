"""Relevance prefilter: a cheap keyword pass that finds the paragraphs worth parsing.

Most news has nothing to do with plots abroad or diplomatic responses. One
Aho-Corasick automaton (pyahocorasick) holds the surface forms of every trigger
of the lexicon (``lang/<lang>/triggers.tsv``: "expel" → expel, expels,
expelled, expelling...) and of the words that common triggers need beside them
(``lang/<lang>/prefilter.json``: "cut" needs "ties" or "relations", "recall"
an envoy, "release" a prison or a prisoner; ``@actors`` stands for the state
names, demonyms, capitals and agency aliases of ``resolve/data``). A paragraph
is relevant when it holds a trigger word whose companion words are all in the
same paragraph, in a text that names something beyond one country's borders
somewhere (the ``document_gate``: a state, an agency, an envoy, an exile...),
since plotwatch records cross-border cases; the relevant spans are those
paragraphs with ``context`` paragraphs either side, so the extractor keeps the
sentences around an event.

The pass is recall-first: the spaCy pipeline still decides what is an event;
the prefilter only spares it text that cannot hold one. Its loss of gold
events is measured by ``tests/test_prefilter.py``.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick

from plotwatch.errors import ConfigError
from plotwatch.extract.lexicon import Trigger, load_triggers
from plotwatch.resolve._data import read_json, read_tsv

__all__ = ["PREFILTER_VERSION", "has_data", "is_relevant", "mask_irrelevant", "relevant_spans"]

PREFILTER_VERSION = "prefilter-1"
# A block longer than this with single line breaks is split into its lines.
LONG_BLOCK = 2000
_BLOCK_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_NOT_NEWLINE = re.compile(r"[^\n]")
_VOWELS = frozenset("aeiou")

Span = tuple[int, int]


@dataclass(frozen=True)
class Rule:
    """A trigger word is a hit when each group has a word in the same paragraph."""

    groups: tuple[frozenset[int], ...]


@dataclass(frozen=True)
class Matcher:
    automaton: Any  # ahocorasick.Automaton: surface form -> word id
    rules: dict[int, tuple[Rule, ...]]  # anchor word id -> rules
    document_gate: frozenset[int]  # one of these must be somewhere in the text (empty: no such gate)


def inflections(word: str, irregular: dict[str, list[str]]) -> set[str]:
    """Regular English forms of a lemma (over-generating is harmless), plus its irregular ones."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing", *irregular.get(word, [])}
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) > 2 and word[-1] not in _VOWELS | {"w", "x", "y"} and word[-2] in _VOWELS:
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing", word + word[-1] + "er"}
    return forms


def _lang_json(lang: str) -> dict[str, Any]:
    path = resources.files("plotwatch.extract").joinpath("lang", lang, "prefilter.json")
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{lang}/prefilter.json: cannot read the prefilter data ({exc}); fix or reinstall") from exc
    return data


def actor_words() -> set[str]:
    """Lower-case state names, demonyms, capitals and agency aliases (two-letter acronyms left out)."""
    words = {row[0] for name in ("state_aliases.tsv", "demonyms.tsv", "capitals.tsv") for row in read_tsv(name, 2)}
    words |= {row[1] for row in read_tsv("state_names.tsv", 2)}
    for entry in read_json("agencies.json"):
        words |= {str(alias) for alias in (entry.get("name"), *entry.get("aliases", [])) if alias}
    return {word.lower() for word in words if len(word.strip(".")) > 2}


class _Builder:
    """Collects surface forms (each gets an id) and the rules of each trigger."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.ids: dict[str, int] = {}
        self.rules: dict[int, list[Rule]] = {}
        self._actors: set[str] | None = None

    def word_ids(self, forms: Iterable[str]) -> frozenset[int]:
        return frozenset(self.ids.setdefault(form, len(self.ids)) for form in forms)

    def lemma_forms(self, lemma: str) -> set[str]:
        return inflections(lemma, self.data.get("irregular", {}))

    def gate_forms(self, gate: str) -> set[str]:
        try:
            words = set(self.data["gates"][gate])
        except KeyError as exc:
            raise ConfigError(f"prefilter.json: gate {gate!r} is used but not defined under 'gates'") from exc
        if "@actors" in words:
            words.discard("@actors")
            self._actors = self._actors if self._actors is not None else actor_words()
            words |= self._actors
        return words

    def add(self, trigger: Trigger) -> None:
        skip = set(self.data.get("phrase_skip", []))
        first, *rest = trigger.lemmas
        anchor = self.lemma_forms(first)
        groups = [self.lemma_forms(lemma) for lemma in rest if lemma not in skip]
        gate = self.data.get("lemma_gates", {}).get(first) or self.data.get("check_gates", {}).get(trigger.check)
        if gate:
            groups.append(self.gate_forms(gate) - anchor)
        rule = Rule(tuple(self.word_ids(group) for group in groups))
        for anchor_id in self.word_ids(anchor):
            self.rules.setdefault(anchor_id, []).append(rule)

    def matcher(self) -> Matcher:
        gate = self.data.get("document_gate")
        document_gate = self.word_ids(self.gate_forms(gate)) if gate else frozenset()
        automaton = ahocorasick.Automaton()
        for form, word_id in self.ids.items():
            automaton.add_word(form, (word_id, len(form)))
        automaton.make_automaton()
        rules = {anchor: tuple(rules) for anchor, rules in self.rules.items()}
        return Matcher(automaton, rules, document_gate)


@lru_cache(maxsize=4)
def load_matcher(lang: str = "en") -> Matcher:
    """The automaton and rules for ``lang`` (built once per process, about 0.2 s)."""
    builder = _Builder(_lang_json(lang))
    for trigger in load_triggers(lang):
        builder.add(trigger)
    return builder.matcher()


def _lower(text: str) -> str:
    """Lower case with the same length as ``text`` (so offsets still point into it)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(low := ch.lower()) != 1 else low for ch in text)


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans: blocks between blank lines; the lines of a long block with single line breaks."""
    spans: list[Span] = []
    start = 0
    for match in [*_BLOCK_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        if end > start:
            spans.extend(_split_long(text, start, end))
        start = match.end() if match else len(text)
    return spans


def _split_long(text: str, start: int, end: int) -> list[Span]:
    if end - start <= LONG_BLOCK or "\n" not in text[start:end]:
        return [(start, end)]
    spans, line_start = [], start
    while line_start < end:
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        if text[line_start:line_end].strip():
            spans.append((line_start, line_end))
        line_start = line_end + 1
    return spans


def _is_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def _words_by_paragraph(text: str, spans: list[Span], matcher: Matcher) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    starts = [start for start, _ in spans]
    for end_index, (word_id, length) in matcher.automaton.iter(_lower(text)):
        start, end = end_index - length + 1, end_index + 1
        if _is_word(text, start, end):
            found.setdefault(bisect.bisect_right(starts, start) - 1, set()).add(word_id)
    return found


def _hit(words: set[int], matcher: Matcher) -> bool:
    for word in words:
        for rule in matcher.rules.get(word, ()):
            if all(not group.isdisjoint(words) for group in rule.groups):
                return True
    return False


@lru_cache(maxsize=8)
def has_data(lang: str) -> bool:
    """Whether ``lang`` has prefilter data; a language without keeps every paragraph (nothing is lost)."""
    return resources.files("plotwatch.extract").joinpath("lang", lang, "prefilter.json").is_file()


def _hit_paragraphs(text: str, spans: list[Span], lang: str) -> list[int]:
    if not has_data(lang):
        return list(range(len(spans)))
    matcher = load_matcher(lang)
    found = _words_by_paragraph(text, spans, matcher)
    if matcher.document_gate and all(matcher.document_gate.isdisjoint(words) for words in found.values()):
        return []  # nothing crosses a border here: no state, agency, envoy, exile...
    return sorted(index for index, words in found.items() if _hit(words, matcher))


def relevant_spans(text: str, context: int = 1, lang: str = "en") -> list[Span]:
    """Character spans of ``text`` worth parsing: hit paragraphs and ``context`` paragraphs either side.

    Spans are sorted, do not overlap, and join when their paragraphs touch.
    An empty list means the text holds nothing the extractor could find.
    """
    spans = paragraphs(text)
    keep = sorted({near for index in _hit_paragraphs(text, spans, lang)
                   for near in range(max(0, index - context), min(len(spans), index + context + 1))})  # fmt: skip
    merged: list[Span] = []
    previous = -2
    for index in keep:
        start, end = spans[index]
        if index == previous + 1 and merged:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
        previous = index
    return merged


def is_relevant(text: str, lang: str = "en") -> bool:
    """Whether any paragraph of ``text`` may hold an event (a cheap test before parsing)."""
    spans = paragraphs(text)
    return bool(spans) and bool(_hit_paragraphs(text, spans, lang))


def mask_irrelevant(text: str, context: int = 1, lang: str = "en") -> str:
    """``text`` with the paragraphs outside ``relevant_spans`` blanked: same length, same line breaks.

    Parsing the masked text costs about nothing for the blanked parts (runs of
    spaces become single tokens), and every character offset still points into
    the original text, so evidence offsets need no shifting.
    """
    pieces: list[str] = []
    position = 0
    for start, end in relevant_spans(text, context, lang):
        pieces.append(_blank(text[position:start]))
        pieces.append(text[start:end])
        position = end
    pieces.append(_blank(text[position:]))
    return "".join(pieces)


def _blank(part: str) -> str:
    return _NOT_NEWLINE.sub(" ", part) if part.strip() else part
