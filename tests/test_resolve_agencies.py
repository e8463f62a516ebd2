"""Agencies and proxy groups: the editable dictionary (plotwatch.resolve.agencies)."""

from __future__ import annotations

import itertools

import pycountry
import pytest

from plotwatch.models import Actor
from plotwatch.resolve import find_agencies, match_agency
from plotwatch.resolve._data import fold, is_acronym, read_json


def _ids(text: str) -> list[str | None]:
    return [actor.id for _, _, actor in find_agencies(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Ministry of Intelligence",
        "Ministry of Intelligence and Security",
        "MOIS",
        "VAJA",
        "Iranian intelligence ministry",
        "Iran's intelligence ministry",
        "Iran’s intelligence ministry",
        "intelligence ministry",
        "the Ministry of Intelligence",
        "MOIS's",
    ],
)
def test_mois_aliases_resolve_to_one_id(text: str) -> None:
    actor = match_agency(text)
    assert actor is not None
    assert (actor.id, actor.name, actor.state, actor.kind) == (
        "irn-mois",
        "Ministry of Intelligence",
        "IRN",
        "agency",
    )
    assert actor.text == text


@pytest.mark.parametrize(
    ("text", "agency_id", "state"),
    [
        ("IRGC", "irn-irgc", "IRN"),
        ("Revolutionary Guards", "irn-irgc", "IRN"),
        ("Quds Force", "irn-irgc-qf", "IRN"),
        ("IRGC Quds Force", "irn-irgc-qf", "IRN"),
        ("IRGC Intelligence Organization", "irn-irgc-io", "IRN"),
        ("GRU", "rus-gru", "RUS"),
        ("Unit 29155", "rus-gru-29155", "RUS"),
        ("GRU Unit 29155", "rus-gru-29155", "RUS"),
        ("FSB", "rus-fsb", "RUS"),
        ("SVR", "rus-svr", "RUS"),
        ("MSS", "chn-mss", "CHN"),
        ("Ministry of Public Security", "chn-mps", "CHN"),
        ("Vietnam's Ministry of Public Security", "vnm-mps", "VNM"),
        ("General Intelligence Presidency", "sau-gip", "SAU"),
        ("Rapid Intervention Force", "sau-rif", "SAU"),
        ("National Intelligence and Security Service", "rwa-niss", "RWA"),
        ("RAW", "ind-raw", "IND"),
        ("Research and Analysis Wing", "ind-raw", "IND"),
        ("Reconnaissance General Bureau", "prk-rgb", "PRK"),
        ("MIT", "tur-mit", "TUR"),
        ("Belarusian KGB", "blr-kgb", "BLR"),
        ("ISI", "pak-isi", "PAK"),
        ("Egyptian General Intelligence Service", "egy-gis", "EGY"),
        ("PET", "dnk-pet", "DNK"),
        ("AIVD", "nld-aivd", "NLD"),
        ("BfV", "deu-bfv", "DEU"),
        ("MI5", "gbr-mi5", "GBR"),
        ("FBI", "usa-fbi", "USA"),
        ("DGSI", "fra-dgsi", "FRA"),
        ("VSSE", "bel-vsse", "BEL"),
        ("Säpo", "swe-sapo", "SWE"),
    ],
)
def test_agencies_with_their_states(text: str, agency_id: str, state: str) -> None:
    actor = match_agency(text)
    assert actor is not None
    assert (actor.id, actor.state, actor.kind) == (agency_id, state, "agency")


def test_hezbollah_is_a_group_sponsored_by_iran() -> None:
    assert match_agency("Hezbollah") == Actor(
        id="lbn-hezbollah", name="Hezbollah", state="IRN", kind="group", text="Hezbollah"
    )
    assert match_agency("Hizballah") is not None


def test_acronyms_match_case_sensitively_and_on_word_boundaries() -> None:
    assert match_agency("MIT") is not None
    assert match_agency("mit") is None
    assert match_agency("Mit") is None
    assert find_agencies("Researchers at MITRE said so.") == []
    assert find_agencies("Er sprach mit der Polizei.") == []
    assert _ids("MIT's officers left Istanbul.") == ["tur-mit"]
    assert _ids("The raw data was leaked.") == []
    assert _ids("RAW officers were named.") == ["ind-raw"]


def test_exact_aliases_match_only_as_written() -> None:
    # Institution names that are also ordinary phrases in lower case.
    assert _ids("the Foreign Intelligence Service said") == ["rus-svr"]
    assert _ids("a foreign intelligence service plotted a killing") == []
    assert _ids("the justice department of any country") == []
    assert _ids("the Justice Department charged him") == ["usa-doj"]


def test_names_match_case_insensitively() -> None:
    assert _ids("the MINISTRY OF INTELLIGENCE said") == ["irn-mois"]
    assert _ids("the quds force unit") == ["irn-irgc-qf"]


def test_offsets_point_at_the_alias() -> None:
    text = "Police said the Quds Force and Hezbollah planned it with MOIS help."
    found = find_agencies(text)
    assert {text[start:end] for start, end, _ in found} == {"Quds Force", "Hezbollah", "MOIS"}
    for start, end, actor in found:
        assert actor.text == text[start:end]


def test_longest_match_wins_and_comes_first() -> None:
    text = "Officers of the MOIS and of the Islamic Revolutionary Guard Corps Quds Force met."
    found = find_agencies(text)
    assert [actor.id for _, _, actor in found] == ["irn-irgc-qf", "irn-mois"]  # longest first
    assert text[found[0][0] : found[0][1]] == "Islamic Revolutionary Guard Corps Quds Force"
    lengths = [end - start for start, end, _ in found]
    assert lengths == sorted(lengths, reverse=True)


def test_matches_do_not_overlap() -> None:
    found = find_agencies("the internal security directorate of Iran's Ministry of Intelligence and Security (MOIS)")
    spans = sorted((start, end) for start, end, _ in found)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
    assert [actor.id for _, _, actor in found] == ["irn-mois", "irn-mois"]


def test_a_name_preceded_by_another_state_is_not_that_agency() -> None:
    assert "rus-svr" not in _ids("The Estonian Foreign Intelligence Service warned.")
    assert "irn-mois" not in _ids("Russia's intelligence ministry denied it.")
    assert _ids("Lebanon's Hezbollah denied it.") == ["lbn-hezbollah"]  # groups keep their sponsor


def test_generic_intelligence_phrases_resolve_to_the_state() -> None:
    actor = match_agency("an Iranian intelligence agency")
    assert actor is not None
    assert (actor.id, actor.state, actor.kind) == ("irn-intelligence", "IRN", "agency")
    text = "The Danish intelligence service said an Iranian intelligence service planned it."
    assert sorted(_ids(text)) == ["dnk-intelligence", "irn-intelligence"]
    assert _ids("Russian military intelligence officers") == ["rus-gru"]  # a named alias beats the generic
    assert _ids("the North Korean military intelligence") == ["prk-military-intelligence"]


def test_no_agency() -> None:
    assert match_agency("a Belgian couple") is None
    assert match_agency("") is None
    assert find_agencies("Police arrested two men in Antwerp on Saturday.") == []


def test_match_agency_finds_an_agency_inside_a_phrase() -> None:
    actor = match_agency("a senior MOIS officer")
    assert actor is not None and actor.id == "irn-mois"


def test_returned_actors_are_fresh_objects() -> None:
    first = match_agency("MOIS")
    assert first is not None
    first.state = "XXX"
    again = match_agency("MOIS")
    assert again is not None and again.state == "IRN"


def test_dictionary_is_well_formed() -> None:
    entries = read_json("agencies.json")
    known = {country.alpha_3 for country in pycountry.countries} | {"EU", "SUN"}
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids))
    owner: dict[str, str] = {}
    for entry in entries:
        assert entry["state"] in known, entry["id"]
        assert entry["kind"] in {"agency", "group"}, entry["id"]
        assert entry["aliases"], entry["id"]
        exact = set(entry.get("exact_aliases", []))
        for alias in [entry["name"], *entry["aliases"], *exact]:
            key = alias if is_acronym(alias) or alias in exact else fold(alias)
            assert owner.setdefault(key, entry["id"]) == entry["id"], f"{alias!r} in two entries"
    assert len(entries) >= 60
