"""Language data of the lexicon extractor, read from ``extract/lang/<lang>/``.

Each language folder holds plain files (see docs/languages.md):

- ``triggers.tsv``: ``type<TAB>pattern<TAB>check``. A pattern is a sequence of
  elements separated by spaces; an element is alternatives separated by ``|``;
  an alternative ending in ``*`` is a prefix of the lower-case word, any other
  alternative a lemma or lower-case word. Up to three words may stand between two
  elements; ``...`` allows up to fifteen (German separable verbs: "weist ... aus").
- ``cues.json``: cue word lists (negation, modal, demand, hedge, plan, ...) and number words.
- ``names.tsv``: ``forms<TAB>code<TAB>kind``: state names, demonyms, capitals and
  institutions ("Quai d'Orsay") to ISO alpha-3 (or ``EU``); forms separated by ``|``.
- ``agencies.tsv``: ``forms<TAB>agency``: local names of agencies, mapped to the
  English name of an entry of ``resolve/data/agencies.json``.
- ``places.tsv``: ``forms<TAB>gazetteer name``: local names of places ("Londres", "Moskau").
- ``dates.json``: month and weekday names, "last" words and relative phrases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from plotwatch.errors import ConfigError
from plotwatch.models import EVENT_TYPES
from plotwatch.resolve._data import fold

NAME_KINDS = frozenset({"name", "demonym", "capital", "institution"})
LONG_GAP = "..."


@dataclass(frozen=True)
class TriggerRule:
    """One trigger pattern: element alternatives in order, and an optional role check."""

    type: str
    elements: tuple[tuple[str, ...], ...]
    check: str

    @property
    def key(self) -> str:
        return "\t".join((self.type, " ".join("|".join(e) for e in self.elements), self.check))


@dataclass(frozen=True)
class Name:
    form: str
    code: str
    kind: str  # name | demonym | capital | institution


@dataclass(frozen=True)
class DateData:
    months: dict[str, int]
    weekdays: dict[str, int]
    last_words: frozenset[str]
    relative: dict[str, tuple[str, int]]  # phrase → (unit, offset); unit "next_day" counts from the story


@dataclass(frozen=True)
class LangData:
    lang: str
    version: str
    triggers: tuple[TriggerRule, ...]
    cues: dict[str, frozenset[str]]
    numbers: dict[str, int]
    names: tuple[Name, ...]
    agencies: tuple[tuple[str, str], ...]  # (local form, English agency name)
    places: dict[str, str]  # folded local name → gazetteer name
    dates: DateData

    def cue(self, name: str) -> frozenset[str]:
        return self.cues.get(name, frozenset())


def _read(lang: str, name: str) -> str:
    path = resources.files("plotwatch.extract").joinpath("lang", lang, name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"missing language file extract/lang/{lang}/{name}: add it or reinstall plotwatch") from exc


def _rows(lang: str, name: str, columns: int) -> list[list[str]]:
    rows = []
    for number, line in enumerate(_read(lang, name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")] + [""] * columns
        if not cells[0] or not cells[1 if columns > 1 else 0]:
            raise ConfigError(f"extract/lang/{lang}/{name}:{number}: expected {columns} tab-separated columns")
        rows.append(cells[:columns])
    return rows


def parse_pattern(pattern: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(alt.lower() for alt in element.split("|") if alt) for element in pattern.split())


def _triggers(lang: str) -> tuple[TriggerRule, ...]:
    rules = []
    for kind, pattern, check in _rows(lang, "triggers.tsv", 3):
        if kind not in EVENT_TYPES:
            raise ConfigError(f"extract/lang/{lang}/triggers.tsv: unknown type {kind!r} in {pattern!r}")
        rules.append(TriggerRule(kind, parse_pattern(pattern), check))
    return tuple(rules)


def _names(lang: str) -> tuple[Name, ...]:
    names: list[Name] = []
    for forms, code, kind in _rows(lang, "names.tsv", 3):
        if kind not in NAME_KINDS:
            raise ConfigError(f"extract/lang/{lang}/names.tsv: {forms!r} has kind {kind!r}; use one of {NAME_KINDS}")
        names.extend(Name(form, code, kind) for form in forms.split("|") if form)
    return tuple(names)


def _dates(lang: str) -> DateData:
    raw: dict[str, Any] = json.loads(_read(lang, "dates.json"))
    return DateData(
        months={str(k).lower(): int(v) for k, v in raw["months"].items()},
        weekdays={str(k).lower(): int(v) for k, v in raw["weekdays"].items()},
        last_words=frozenset(str(w).lower() for w in raw["last_words"]),
        relative={str(k).lower(): (str(v[0]), int(v[1])) for k, v in raw["relative"].items()},
    )


@lru_cache(maxsize=8)
def load_language(lang: str) -> LangData:
    """All data of one language folder, checked and cached."""
    raw: dict[str, Any] = json.loads(_read(lang, "cues.json"))
    numbers = {str(k).lower(): int(v) for k, v in raw.pop("number_words", {}).items()}
    version = str(raw.pop("version", f"{lang}-0"))
    cues = {k: frozenset(str(w).lower() for w in v) for k, v in raw.items() if isinstance(v, list)}
    agencies = tuple((form, row[1]) for row in _rows(lang, "agencies.tsv", 2) for form in row[0].split("|"))
    places = {fold(form): row[1] for row in _rows(lang, "places.tsv", 2) for form in row[0].split("|")}
    return LangData(lang, version, _triggers(lang), cues, numbers, _names(lang), agencies, places, _dates(lang))
