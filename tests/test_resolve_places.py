"""Places: the gazetteer lookup (plotwatch.resolve.places)."""

from __future__ import annotations

import math

import pycountry
import pytest

from plotwatch.models import Place
from plotwatch.resolve import lookup_place, state_name
from plotwatch.resolve._data import read_tsv
from plotwatch.resolve.places import gazetteer_size


def _km(a: Place, lat: float, lon: float) -> float:
    assert a.lat is not None and a.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def _place(name: str, hint: str | None = None) -> Place:
    place = lookup_place(name, hint)
    assert place is not None, name
    return place


def test_the_hague_is_a_city_in_the_netherlands() -> None:
    for text in ("The Hague", "the Hague", "Den Haag", "The Hague's"):
        place = _place(text)
        assert (place.name, place.country, place.geonameid) == ("The Hague", "NLD", 2747373)
    assert _km(_place("The Hague"), 52.08, 4.30) < 5


@pytest.mark.parametrize(
    ("name", "country", "lat", "lon"),
    [
        ("Villepinte", "FRA", 48.96, 2.53),
        ("Paris", "FRA", 48.86, 2.35),
        ("Berlin", "DEU", 52.52, 13.40),
        ("Vienna", "AUT", 48.21, 16.37),
        ("Antwerp", "BEL", 51.22, 4.40),
        ("Brussels", "BEL", 50.85, 4.35),
        ("Woluwe-Saint-Pierre", "BEL", 50.84, 4.43),
        ("Ringsted", "DNK", 55.44, 11.79),
        ("Copenhagen", "DNK", 55.68, 12.57),
        ("Almere", "NLD", 52.37, 5.21),
        ("Amsterdam", "NLD", 52.37, 4.89),
        ("Tirana", "ALB", 41.33, 19.82),
        ("Salisbury", "GBR", 51.07, -1.79),
        ("London", "GBR", 51.51, -0.13),
        ("Istanbul", "TUR", 41.01, 28.95),
        ("Ankara", "TUR", 39.92, 32.85),
        ("Vancouver", "CAN", 49.25, -123.12),
        ("Toronto", "CAN", 43.70, -79.42),
        ("Edmonton", "CAN", 53.55, -113.47),
        ("Washington", "USA", 38.90, -77.04),
        ("New York", "USA", 40.71, -74.01),
        ("Dubai", "ARE", 25.08, 55.30),
        ("Kuala Lumpur", "MYS", 3.14, 101.69),
        ("Johannesburg", "ZAF", -26.20, 28.04),
        ("Stockholm", "SWE", 59.33, 18.07),
        ("Gothenburg", "SWE", 57.71, 11.97),
        ("Oslo", "NOR", 59.91, 10.75),
        ("Hamburg", "DEU", 53.55, 10.00),
        ("Munich", "DEU", 48.14, 11.58),
        ("Frankfurt", "DEU", 50.11, 8.68),
        ("Bonn", "DEU", 50.73, 7.10),
        ("Geneva", "CHE", 46.20, 6.15),
        ("Zurich", "CHE", 47.37, 8.55),
        ("Baghdad", "IRQ", 33.34, 44.40),
        ("Erbil", "IRQ", 36.19, 44.01),
        ("Beirut", "LBN", 33.89, 35.50),
        ("Rome", "ITA", 41.89, 12.51),
        ("Milan", "ITA", 45.46, 9.19),
        ("Madrid", "ESP", 40.42, -3.70),
        ("Barcelona", "ESP", 41.39, 2.16),
        ("Athens", "GRC", 37.98, 23.73),
        ("Sofia", "BGR", 42.70, 23.32),
        ("Prague", "CZE", 50.09, 14.42),
        ("Vrbetice", "CZE", 49.09, 17.95),
        ("Warsaw", "POL", 52.23, 21.01),
        ("Vilnius", "LTU", 54.69, 25.28),
        ("Riga", "LVA", 56.95, 24.11),
        ("Tallinn", "EST", 59.44, 24.75),
        ("Kyiv", "UKR", 50.45, 30.52),
        ("Minsk", "BLR", 53.90, 27.57),
        ("Tehran", "IRN", 35.69, 51.42),
        ("Riyadh", "SAU", 24.69, 46.72),
        ("Roskilde", "DNK", 55.64, 12.08),
    ],
)
def test_domain_cities(name: str, country: str, lat: float, lon: float) -> None:
    place = _place(name)
    assert place.country == country
    assert _km(place, lat, lon) < 25, (place.lat, place.lon)


def test_surrey_prefers_british_columbia_unless_the_hint_says_britain() -> None:
    assert _place("Surrey").country == "CAN"
    assert _place("Surrey").geonameid == 6159905
    assert _place("Surrey", "GBR").country == "GBR"
    assert _place("Surrey", "United Kingdom").country == "GBR"
    assert _place("Surrey, B.C.").country == "CAN"


def test_country_hint_prefers_entries_in_that_country() -> None:
    assert _place("Valencia").country == "ESP"
    assert _place("Valencia", "VEN").country == "VEN"
    assert _place("Paris", "USA").country == "FRA"  # a hint prefers, it does not exclude


def test_countries() -> None:
    iran = _place("Iran")
    assert (iran.name, iran.country, iran.geonameid) == ("Iran", "IRN", 130758)
    assert _place("Britain").country == "GBR"
    assert _place("the Netherlands").name == "Netherlands"
    assert _place("Türkiye").country == "TUR"


def test_a_country_beats_a_city_of_the_same_name_unless_the_text_is_the_city_name() -> None:
    assert _place("Luxembourg").geonameid == 2960313  # the country
    assert _place("Luxembourg City").geonameid == 2960316
    assert _place("Singapore").name == "Singapore"
    assert _place("Kuwait").country == "KWT"
    assert _place("Kuwait City").geonameid != _place("Kuwait").geonameid


def test_aliases_and_spelling_variants() -> None:
    assert _place("Kiev").name == "Kyiv"
    assert _place("Zurich").name == "Zürich"
    assert _place("Lodz").name == "Łódź"
    assert _place("Washington, D.C.").name == "Washington"
    assert _place("Den Haag").name == "The Hague"
    assert _place("Arbil").name == "Erbil"


def test_qualified_names() -> None:
    assert _place("Paris, France").country == "FRA"
    assert _place("Vancouver, B.C.").country == "CAN"
    assert _place("Edmonton, Alberta").country == "CAN"


def test_regions() -> None:
    bavaria = _place("Bavaria")
    assert (bavaria.country, bavaria.geonameid) == ("DEU", 2951839)
    assert _place("British Columbia").country == "CAN"


@pytest.mark.parametrize("text", ["Nowhereville", "", "Iranian", "the", "Hezbollah"])
def test_unknown(text: str) -> None:
    assert lookup_place(text) is None


def test_every_state_with_a_capital_is_in_the_gazetteer() -> None:
    # capitals.tsv covers every UN member (tests/test_resolve_states.py checks that).
    for code in {row[1] for row in read_tsv("capitals.tsv", 2)}:
        place = lookup_place(state_name(code))
        assert place is not None and place.country == code, code


def test_gazetteer_rows_are_valid() -> None:
    known = {country.alpha_3 for country in pycountry.countries} | {"XKX"}
    rows = read_tsv("gazetteer.tsv", 7)
    for name, _, country, lat, lon, geonameid, kind in (row[:7] for row in rows):
        assert country in known, name
        assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180, name
        assert kind in {"city", "region", "country"}, name
        assert not geonameid or geonameid.isdigit(), name
    sizes = gazetteer_size()
    assert sizes["country"] >= 193
    assert sizes["city"] >= 400
