"""States: names, aliases, demonyms and capitals to ISO 3166 alpha-3 codes.

Official names and codes come from pycountry; everything a news text says
instead ("Britain", "Dutch", "Tehran", "the Kremlin") comes from the data files
``state_aliases.tsv``, ``demonyms.tsv`` and ``capitals.tsv``. ``EU`` is the one
non-ISO code, for acts of the European Union as a body; ``XKX`` (Kosovo) and
``SUN`` (Soviet Union) are the user-assigned and withdrawn codes in common use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from plotwatch.resolve._data import clean, fold, is_acronym, read_lines, read_tsv, without_article


@dataclass(frozen=True)
class _Tables:
    exact: dict[str, str] = field(default_factory=dict)  # acronyms and codes, case-sensitive
    names: dict[str, str] = field(default_factory=dict)  # folded names and aliases
    demonyms: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    blocked: frozenset[str] = frozenset()


def _add_pycountry(tables: _Tables, blocked: frozenset[str]) -> None:
    for country in pycountry.countries:
        code = country.alpha_3
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                tables.names.setdefault(fold(value), code)
        for value in (country.alpha_2, country.alpha_3):
            if value not in blocked:
                tables.exact.setdefault(value, code)


def _add_aliases(tables: _Tables) -> None:
    for alias, code in ((row[0], row[1]) for row in read_tsv("state_aliases.tsv", 2)):
        if is_acronym(alias):
            tables.exact[alias] = code
        else:
            tables.names[fold(alias)] = code


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    blocked = frozenset(read_lines("not_states.txt"))
    tables = _Tables(blocked=blocked)
    _add_pycountry(tables, blocked)
    _add_aliases(tables)
    tables.demonyms.update((fold(row[0]), row[1]) for row in read_tsv("demonyms.tsv", 2))
    tables.capitals.update((fold(row[0]), row[1]) for row in read_tsv("capitals.tsv", 2))
    tables.display.update((row[0], row[1]) for row in read_tsv("state_names.tsv", 2))
    return tables


def _candidates(text: str) -> list[str]:
    """The forms to try, most literal first: as written, without "the", without a final dot."""
    forms = [clean(text)]
    forms.append(without_article(forms[0]))
    forms.extend(form[:-1] for form in list(forms) if form.endswith(".") and not is_acronym(form))
    head, dash, tail = forms[0].partition("-")
    if dash and tail and tail.islower():  # "Iranian-born", "Kremlin-backed"
        forms.extend([head, without_article(head)])
    return [form for form in dict.fromkeys(forms) if form]


def _lookup(form: str, tables: _Tables, *, names_only: bool) -> str | None:
    if form in tables.blocked:
        return None
    if form in tables.exact:
        return tables.exact[form]
    key = fold(form)
    found = tables.names.get(key)
    if found or names_only:
        return found
    return tables.demonyms.get(key) or tables.capitals.get(key)


@lru_cache(maxsize=8192)
def state_code(text: str) -> str | None:
    """ISO alpha-3 (or "EU") for a country name, alias, demonym or capital used as metonym.

    >>> state_code("the Netherlands"), state_code("Iran's"), state_code("Dutch"), state_code("Tehran")
    ('NLD', 'IRN', 'NLD', 'IRN')
    """
    tables = _tables()
    for form in _candidates(text):
        code = _lookup(form, tables, names_only=False)
        if code:
            return code
    return None


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """Like :func:`state_code`, but only for names of countries (no demonyms, no capitals)."""
    tables = _tables()
    for form in _candidates(text):
        code = _lookup(form, tables, names_only=True)
        if code:
            return code
    return None


def is_capital(text: str) -> bool:
    """True for a capital or seat of government ("Tehran", "The Hague") that is not also a country name."""
    tables = _tables()
    for form in _candidates(text):
        if form in tables.blocked:
            return False
        key = fold(form)
        if key in tables.capitals and key not in tables.names:
            return True
    return False


@lru_cache(maxsize=512)
def state_name(code: str) -> str:
    """Common English short name for a code: IRN → "Iran", GBR → "United Kingdom", EU → "European Union".

    Unknown codes are returned unchanged, so a record never loses what it had.
    """
    code = code.strip().upper()
    tables = _tables()
    if code in tables.display:
        return tables.display[code]
    country = pycountry.countries.get(alpha_3=code) or pycountry.countries.get(alpha_2=code)
    if country is None:
        country = pycountry.historic_countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def all_codes() -> set[str]:
    """Every code the resolver can return (for tests and data checks)."""
    tables = _tables()
    return set(tables.exact.values()) | set(tables.names.values()) | set(tables.demonyms.values())


def demonym_table() -> dict[str, str]:
    """Folded demonym → code (read-only view for the agency patterns)."""
    return dict(_tables().demonyms)


def name_table() -> dict[str, str]:
    """Folded country name or alias → code (read-only view for the place lookup and agency patterns)."""
    return dict(_tables().names)
