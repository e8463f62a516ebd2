"""States: names, aliases, demonyms and capitals to ISO alpha-3 (plotwatch.resolve.states)."""

from __future__ import annotations

import pycountry
import pytest

from plotwatch.resolve import state_code, state_name
from plotwatch.resolve._data import read_tsv
from plotwatch.resolve.states import country_code, is_capital

# The 193 UN member states.
_UN = """
    AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN BGR
    BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE DNK DJI DMA DOM ECU EGY
    SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN
    IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI
    MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR
    OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP
    SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK TZA THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR
    ARE GBR USA URY UZB VUT VEN VNM YEM ZMB ZWE
"""
UN_MEMBERS = set(_UN.split())
NON_ISO_CODES = {"EU", "XKX", "SUN"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Britain", "GBR"),
        ("the UK", "GBR"),
        ("United Kingdom", "GBR"),
        ("U.K.", "GBR"),
        ("the United States", "USA"),
        ("US", "USA"),
        ("U.S.", "USA"),
        ("America", "USA"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Iran", "IRN"),
        ("the Netherlands", "NLD"),
        ("Holland", "NLD"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("Czech Republic", "CZE"),
        ("Czechia", "CZE"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Saudi Arabia", "SAU"),
        ("UAE", "ARE"),
        ("Germany", "DEU"),
        ("EU", "EU"),
        ("European Union", "EU"),
        ("the European Union", "EU"),
        ("Kosovo", "XKX"),
    ],
)
def test_names_and_aliases(text: str, code: str) -> None:
    assert state_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Iranian", "IRN"),
        ("Iranians", "IRN"),
        ("Russians", "RUS"),
        ("Dutch", "NLD"),
        ("British", "GBR"),
        ("Danish", "DNK"),
        ("Danes", "DNK"),
        ("Belgian", "BEL"),
        ("Saudi", "SAU"),
        ("Saudis", "SAU"),
        ("Emirati", "ARE"),
        ("Norwegian", "NOR"),
        ("Rwandan", "RWA"),
        ("Vietnamese", "VNM"),
        ("Chinese", "CHN"),
        ("Albanian", "ALB"),
        ("North Korean", "PRK"),
        ("Swiss", "CHE"),
        ("Filipinos", "PHL"),
        ("Soviet", "SUN"),
    ],
)
def test_demonyms(text: str, code: str) -> None:
    assert state_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Tehran", "IRN"),
        ("Moscow", "RUS"),
        ("Washington", "USA"),
        ("Riyadh", "SAU"),
        ("The Hague", "NLD"),
        ("Copenhagen", "DNK"),
        ("Tirana", "ALB"),
        ("Ottawa", "CAN"),
        ("New Delhi", "IND"),
        ("Delhi", "IND"),
        ("Beijing", "CHN"),
        ("Kigali", "RWA"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("Washington, D.C.", "USA"),
        ("the Kremlin", "RUS"),
        ("Downing Street", "GBR"),
        ("the White House", "USA"),
    ],
)
def test_capitals_and_seats_of_government_as_metonyms(text: str, code: str) -> None:
    assert state_code(text) == code


def test_the_hague_is_the_netherlands_not_a_hague() -> None:
    assert state_code("The Hague") == "NLD"
    assert state_code("the Hague") == "NLD"
    assert is_capital("The Hague")
    assert country_code("The Hague") is None  # a capital, not a country name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Iran's", "IRN"),
        ("Iran’s", "IRN"),
        ("Britain's", "GBR"),
        ("Russians'", "RUS"),
        ("the Netherlands'", "NLD"),
        ("Moscow's", "RUS"),
        ("(Iran)", "IRN"),
        ("Iran.", "IRN"),
        ("Iranian-born", "IRN"),
        ("Kremlin-backed", "RUS"),
        ("IRAN", "IRN"),
        ("the netherlands", "NLD"),
    ],
)
def test_possessives_punctuation_case_and_compounds(text: str, code: str) -> None:
    assert state_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "Sikh",
        "Sikhs",
        "Kurdish",
        "Arab",
        "Korean",
        "us",
        "IN",
        "IT",
        "IS",
        "AND",
        "CAN",
        "turkey",
        "china",
        "male",
        "",
        "   ",
        "Hezbollah",
        "Assadi",
        "Victoria",
        "the",
        "Latin America",
    ],
)
def test_not_states(text: str) -> None:
    assert state_code(text) is None


def test_codes_themselves_resolve_case_sensitively() -> None:
    assert state_code("IRN") == "IRN"
    assert state_code("DE") == "DEU"
    assert state_code("de") is None


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("IRN", "Iran"),
        ("GBR", "United Kingdom"),
        ("EU", "European Union"),
        ("RUS", "Russia"),
        ("KOR", "South Korea"),
        ("NLD", "Netherlands"),
        ("USA", "United States"),
        ("XKX", "Kosovo"),
        ("SUN", "Soviet Union"),
        ("irn", "Iran"),
        ("DEU", "Germany"),
        ("VNM", "Vietnam"),
    ],
)
def test_state_name(code: str, name: str) -> None:
    assert state_name(code) == name


def test_state_name_of_unknown_code_is_the_code() -> None:
    assert state_name("ZZZ") == "ZZZ"


def test_is_capital() -> None:
    assert is_capital("Tehran")
    assert is_capital("Moscow's")
    assert not is_capital("Iran")
    assert not is_capital("Luxembourg")  # also the country's name
    assert not is_capital("Paris Hilton")


def test_names_round_trip_through_state_name() -> None:
    for code in UN_MEMBERS:
        assert state_code(state_name(code)) == code, code


def _codes(name: str) -> dict[str, str]:
    return {row[0]: row[1] for row in read_tsv(name, 2)}


def test_capitals_cover_every_un_member() -> None:
    assert set(_codes("capitals.tsv").values()) >= UN_MEMBERS


def test_demonyms_cover_every_un_member_but_the_shared_ones() -> None:
    # "Congolese" (COD) and "Dominican" (DOM) are shared with COG and DMA; see data/README.md.
    missing = UN_MEMBERS - set(_codes("demonyms.tsv").values())
    assert missing == {"COG", "DMA"}


def test_every_code_in_the_data_files_is_known() -> None:
    known = {country.alpha_3 for country in pycountry.countries} | NON_ISO_CODES
    for name in ("capitals.tsv", "demonyms.tsv", "state_aliases.tsv"):
        unknown = set(_codes(name).values()) - known
        assert not unknown, (name, unknown)
