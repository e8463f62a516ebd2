"""Places: names in the news to gazetteer entries with coordinates (``data/gazetteer.tsv``).

The gazetteer has one row per place: name, ``|``-separated aliases, country
(ISO alpha-3), latitude, longitude, GeoNames id and kind (city, region or
country). Rows are ordered so that, on a tie, the earlier row is the likelier
reading (countries, then the cities this domain talks about and capitals, then
other cities by population, then regions).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from plotwatch.errors import ConfigError
from plotwatch.models import Place
from plotwatch.resolve._data import clean, fold, read_tsv, without_article
from plotwatch.resolve.states import country_code, state_code

_KIND_RANK = {"country": 0, "city": 1, "region": 2}


@dataclass(frozen=True)
class Entry:
    name: str
    country: str
    lat: float
    lon: float
    geonameid: int | None
    kind: str
    order: int

    def place(self) -> Place:
        return Place(name=self.name, lat=self.lat, lon=self.lon, geonameid=self.geonameid, country=self.country)


@dataclass(frozen=True)
class _Gazetteer:
    keys: dict[str, list[tuple[Entry, bool]]]  # folded name or alias → (entry, matched by its name)
    countries: dict[str, Entry]  # ISO3 → the country's own row


def _entry(row: list[str], order: int) -> Entry:
    name, _, country, lat, lon, geonameid, kind = row[:7]
    if kind not in _KIND_RANK:
        raise ConfigError(f"gazetteer.tsv: {name!r} has kind {kind!r}; use city, region or country")
    try:
        return Entry(name, country, float(lat), float(lon), int(geonameid) if geonameid else None, kind, order)
    except ValueError as exc:
        raise ConfigError(f"gazetteer.tsv: {name!r} has a malformed number ({exc}); fix the row") from exc


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    keys: dict[str, list[tuple[Entry, bool]]] = {}
    countries: dict[str, Entry] = {}
    for order, row in enumerate(read_tsv("gazetteer.tsv", 7)):
        entry = _entry(row, order)
        keys.setdefault(fold(entry.name), []).append((entry, True))
        for alias in filter(None, row[1].split("|")):
            keys.setdefault(fold(alias), []).append((entry, False))
        if entry.kind == "country":
            countries.setdefault(entry.country, entry)
    return _Gazetteer(keys, countries)


def _best(candidates: list[tuple[Entry, bool]], hint: str | None) -> Entry:
    """In the hinted country first; then matched by name over alias; country, city, region; file order."""

    def rank(item: tuple[Entry, bool]) -> tuple[bool, bool, int, int]:
        entry, by_name = item
        return (hint is not None and entry.country != hint, not by_name, _KIND_RANK[entry.kind], entry.order)

    return min(candidates, key=rank)[0]


def _hint_code(hint: str | None) -> str | None:
    if not hint:
        return None
    hint = hint.strip()
    return hint.upper() if len(hint) == 3 and hint.isalpha() else state_code(hint)


def _direct(text: str, hint: str | None) -> Entry | None:
    gazetteer = _gazetteer()
    for form in dict.fromkeys([text, without_article(text)]):
        candidates = gazetteer.keys.get(fold(form))
        if candidates:
            return _best(candidates, hint)
    return None


def _qualified(text: str) -> Entry | None:
    """A qualified name ("Vancouver, B.C.", "Paris, France"): the part before the comma, in that country."""
    head, comma, qualifier = text.rpartition(",")
    if not comma or not head.strip() or not qualifier.strip():
        return None
    hint = country_code(qualifier)
    if hint is None:
        region = _direct(clean(qualifier), None)
        hint = region.country if region is not None else None
    return _direct(clean(head), hint) if hint else None


@lru_cache(maxsize=8192)
def _lookup(name: str, hint: str | None) -> Entry | None:
    text = clean(name)
    if not text:
        return None
    entry = _direct(text, hint) or _qualified(text)
    if entry is None:
        code = country_code(text)
        entry = _gazetteer().countries.get(code) if code else None
    return entry


def lookup_place(name: str, country_hint: str | None = None) -> Place | None:
    """The gazetteer entry for a place name, or None.

    ``country_hint`` (ISO alpha-3, or a country name) makes entries in that
    country win. Without one, a country beats a city of the same name
    ("Luxembourg"), a city beats a region ("Surrey" is the one in British
    Columbia unless the hint is GBR), and a name beats an alias.
    """
    entry = _lookup(name, _hint_code(country_hint))
    return entry.place() if entry is not None else None


def gazetteer_size() -> dict[str, int]:
    """Number of rows per kind (for tests and the data README)."""
    sizes: dict[str, int] = {}
    seen: set[int] = set()
    for candidates in _gazetteer().keys.values():
        for entry, _ in candidates:
            if entry.order not in seen:
                seen.add(entry.order)
                sizes[entry.kind] = sizes.get(entry.kind, 0) + 1
    return sizes
