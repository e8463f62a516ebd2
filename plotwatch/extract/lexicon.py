"""Language data for the extractor: trigger lexicon and cue words, loaded from files.

Adding a trigger or a cue word is editing ``extract/lang/<lang>/triggers.tsv``
or ``cues.json``; no code changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from plotwatch.errors import ConfigError
from plotwatch.models import EVENT_TYPES

LEXICON_VERSION = "en-2"


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a lemma sequence that signals an event type."""

    type: str
    lemmas: tuple[str, ...]
    pos: str  # VERB | NOUN | ANY
    check: str  # name of a role check in extract.roles, or ""

    @property
    def key(self) -> str:
        return f"{self.type}:{'_'.join(self.lemmas)}:{self.pos}:{self.check}"


def _lang_file(lang: str, name: str) -> str:
    path = resources.files("plotwatch.extract").joinpath("lang", lang, name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"missing language file {lang}/{name}: reinstall plotwatch") from exc


def parse_triggers(text: str, origin: str = "triggers.tsv") -> list[Trigger]:
    """Parse a trigger TSV: ``type<TAB>lemmas<TAB>pos<TAB>check``; '#' starts a comment."""
    triggers = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = ([*line.split("\t"), "", "", ""])[:4]
        kind, lemmas, pos, check = (cell.strip() for cell in cells)
        if kind not in EVENT_TYPES or not lemmas or pos not in {"VERB", "NOUN", "ANY"}:
            raise ConfigError(f"{origin}:{number}: bad trigger line {line!r}")
        triggers.append(Trigger(kind, tuple(lemmas.lower().split()), pos, check))
    return triggers


@lru_cache(maxsize=4)
def load_triggers(lang: str = "en") -> tuple[Trigger, ...]:
    return tuple(parse_triggers(_lang_file(lang, "triggers.tsv"), f"{lang}/triggers.tsv"))


@dataclass(frozen=True)
class Cues:
    """Cue word sets (lemmas) that decide status, modality and roles."""

    sets: dict[str, frozenset[str]]
    numbers: dict[str, int]

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.sets[name]


@lru_cache(maxsize=4)
def load_cues(lang: str = "en") -> Cues:
    raw: dict[str, Any] = json.loads(_lang_file(lang, "cues.json"))
    numbers = {str(k): int(v) for k, v in raw.pop("number_words", {}).items()}
    sets = {k: frozenset(str(w).lower() for w in v) for k, v in raw.items() if isinstance(v, list)}
    return Cues(sets, numbers)
