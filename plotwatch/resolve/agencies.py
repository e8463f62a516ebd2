"""Agencies and proxy groups: an editable dictionary (``data/agencies.json``) to canonical ids.

Each entry has an ``id`` ("irn-mois"), a ``name``, the ``state`` behind it (for a
proxy group, its sponsor: Hezbollah → IRN), a ``kind`` ("agency" or "group"),
``aliases`` and optionally ``exact_aliases``. Acronyms ("MOIS", "MIT", "BfV") and
exact aliases (names that are also ordinary phrases in lower case, such as
"Foreign Intelligence Service") match case-sensitively, other names
case-insensitively, always on word boundaries. A phrase such as "Iranian
intelligence agency" that names no particular service resolves to a generic
per-state id ("irn-intelligence").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from plotwatch.errors import ConfigError
from plotwatch.models import Actor
from plotwatch.resolve._data import clean, fold, is_acronym, read_json, without_article
from plotwatch.resolve.states import state_code, state_name

_KINDS = frozenset({"agency", "group"})
_GENERIC = re.compile(
    r"(?<![\w'’])(?P<first>[A-Z][\w.'’-]*\s+)?(?P<last>[A-Z][\w.'’-]*?)(?:['’]s?)?\s+(?P<mil>(?i:military)\s+)?"
    r"(?i:intelligence)(?:\s+(?:services?|agency|agencies|officers?|operatives?|apparatus))?(?!\w)"
)
_BEFORE = re.compile(r"(?:(?P<two>[A-Z][\w.'’-]*)\s+)?(?P<one>[A-Z][\w.'’-]*)\s+$")


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    state: str
    kind: str
    generic: bool = False

    def actor(self, text: str) -> Actor:
        return Actor(id=self.id, name=self.name, state=self.state, kind=self.kind, text=text)


@dataclass(frozen=True)
class _Index:
    exact: dict[str, Agency]  # acronym or exact alias → agency (case-sensitive)
    names: dict[str, Agency]  # folded name → agency
    acronyms: re.Pattern[str]
    words: re.Pattern[str]


def _agency(entry: dict[str, Any], number: int) -> tuple[Agency, list[str], set[str]]:
    """The entry, all its aliases (name first), and those to match case-sensitively."""
    try:
        agency = Agency(str(entry["id"]), str(entry["name"]), str(entry["state"]), str(entry["kind"]))
        exact = {str(alias) for alias in entry.get("exact_aliases", [])}
        aliases = [agency.name, *(str(alias) for alias in entry["aliases"]), *sorted(exact)]
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"agencies.json entry {number}: missing or malformed field ({exc})") from exc
    if agency.kind not in _KINDS:
        raise ConfigError(f"agencies.json entry {agency.id}: kind must be one of {sorted(_KINDS)}")
    return agency, aliases, exact | {alias for alias in aliases if is_acronym(alias)}


def _alias_pattern(aliases: list[str], flags: int) -> re.Pattern[str]:
    """Every alias, longest first, as a look-ahead so that overlapping matches are all seen."""
    ordered = sorted(set(aliases), key=len, reverse=True)
    parts = [re.escape(a).replace("'", "['’]").replace(r"\ ", r"\s+") for a in ordered]
    body = "|".join(parts) if parts else r"(?!x)x"
    return re.compile(rf"(?<!\w)(?=((?:{body}))(?!\w))", flags)


@lru_cache(maxsize=1)
def _index() -> _Index:
    exact: dict[str, Agency] = {}
    names: dict[str, Agency] = {}
    written: list[str] = []
    for number, entry in enumerate(read_json("agencies.json"), 1):
        agency, aliases, case_sensitive = _agency(entry, number)
        for alias in aliases:
            if alias in case_sensitive:
                exact.setdefault(alias, agency)
            elif fold(alias) not in names:
                names[fold(alias)] = agency
                written.append(alias)
    return _Index(exact, names, _alias_pattern(list(exact), 0), _alias_pattern(written, re.IGNORECASE))


def _generic(state_text: str, military: bool) -> Agency | None:
    code = state_code(state_text)
    if code is None:
        return None
    suffix = "military-intelligence" if military else "intelligence"
    label = "Military intelligence" if military else "Intelligence services"
    return Agency(f"{code.lower()}-{suffix}", f"{label} of {state_name(code)}", code, "agency", generic=True)


def _state_before(text: str, start: int) -> str | None:
    """The state named by the one or two capitalised words just before ``start``, if any."""
    match = _BEFORE.search(text[max(0, start - 60) : start])
    if match is None:
        return None
    code = state_code(match.group("one"))
    if code is None and match.group("two"):
        code = state_code(f"{match.group('two')} {match.group('one')}")
    return code


def _lookup(alias_text: str, index: _Index) -> Agency | None:
    plain = " ".join(alias_text.split())
    return index.exact.get(plain) or index.names.get(fold(plain))


def _alias_hits(text: str, index: _Index) -> list[tuple[int, int, Agency]]:
    hits: list[tuple[int, int, Agency]] = []
    for pattern in (index.acronyms, index.words):
        for match in pattern.finditer(text):
            start, end = match.start(1), match.end(1)
            agency = _lookup(text[start:end].replace("’", "'"), index)
            if agency is None:
                continue
            before = _state_before(text, start)
            if agency.kind != "group" and before is not None and before != agency.state:
                continue  # "Estonian Foreign Intelligence Service" is not Russia's SVR
            hits.append((start, end, agency))
    return hits


def _generic_hits(text: str) -> list[tuple[int, int, Agency]]:
    hits = []
    for match in _GENERIC.finditer(text):
        military = bool(match.group("mil"))
        first = match.group("first")
        agency = None
        if first and first.strip().casefold() != "the":
            agency = _generic(first + match.group("last"), military)
        start = match.start() if agency else match.start("last")
        agency = agency or _generic(match.group("last"), military)
        if agency is not None:
            hits.append((start, match.end(), agency))
    return hits


def _select(hits: list[tuple[int, int, Agency]]) -> list[tuple[int, int, Agency]]:
    """Non-overlapping hits: named services before generic phrases, longer before shorter; longest first."""
    chosen: list[tuple[int, int, Agency]] = []
    for start, end, agency in sorted(hits, key=lambda h: (h[2].generic, h[0] - h[1], h[0])):
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, agency))
    return sorted(chosen, key=lambda h: (h[0] - h[1], h[0]))


@lru_cache(maxsize=4096)
def _find(text: str) -> tuple[tuple[int, int, Agency], ...]:
    index = _index()
    return tuple(_select(_alias_hits(text, index) + _generic_hits(text)))


def find_agencies(text: str) -> list[tuple[int, int, Actor]]:
    """Every agency or group named in ``text`` as (start, end, Actor), longest match first.

    Matches do not overlap: where two aliases overlap, the longer one wins. Sort
    the result by ``start`` for text order.
    """
    return [(start, end, agency.actor(text[start:end])) for start, end, agency in _find(text)]


def match_agency(text: str) -> Actor | None:
    """The agency or group a phrase names ("MOIS", "Iran's intelligence ministry", "Hezbollah"), or None.

    A phrase that is not itself an alias resolves to the longest agency named inside it.
    """
    index = _index()
    phrase = clean(text)
    for form in dict.fromkeys([phrase, without_article(phrase)]):
        agency = _lookup(form, index)
        if agency is not None:
            return agency.actor(text.strip())
    found = _find(text)
    return found[0][2].actor(text.strip()) if found else None
