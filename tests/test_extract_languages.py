"""French and German: language routing, language data files and the date fallback (no spaCy model loaded)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

from plotwatch.extract import multi
from plotwatch.extract.language import document_language, language_of_tag
from plotwatch.extract.multi.data import load_language, parse_pattern
from plotwatch.extract.multi.dates import find_dates, resolve, weekday_date
from plotwatch.models import EVENT_TYPES, Document, Event, Evidence
from plotwatch.resolve import lookup_place, match_agency, state_name

LANGUAGES = ["fr", "de"]


@pytest.mark.parametrize(
    ("tag", "code"),
    [("fr", "fr"), ("fr-FR", "fr"), ("FR", "fr"), ("French", "fr"), ("Deutsch", "de"), ("de_AT", "de"),
     ("deu", "de"), ("en-GB", "en"), ("", None), (None, None), ("1234", None)],
)  # fmt: skip
def test_language_tags(tag: str | None, code: str | None) -> None:
    assert language_of_tag(tag) == code


def test_document_language_field_wins_over_the_text() -> None:
    doc = Document(doc_id="x", text="Germany expels two Russian diplomats.", language="de-DE")
    assert document_language(doc) == "de"


def _fake_language(
    documents: Iterable[Document], lang: str, batch_size: int = 16
) -> Iterator[tuple[Document, list[Event]]]:
    for document in documents:
        yield document, [Event(doc_id=document.doc_id, type="EXPEL", evidence=Evidence(lang, 0, len(lang)))]


def test_route_keeps_input_order_and_sends_fr_de_to_the_lexicon_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multi, "extract_language", _fake_language)
    langs = ["en", "fr", "fr", "de", "en", "es"]
    docs = [Document(doc_id=f"d{i}", text="x", language=lang) for i, lang in enumerate(langs)]
    seen: list[str] = []

    def english(run: Iterable[Document]) -> Iterator[tuple[Document, list[Event]]]:
        for document in run:
            seen.append(document.doc_id)
            yield document, []

    out = list(multi.route_by_language(docs, english))
    assert [d.doc_id for d, _ in out] == [d.doc_id for d in docs]
    assert seen == ["d0", "d4", "d5"]  # English and languages without data stay on the English path
    assert [events[0].evidence.text for d, events in out if events] == ["fr", "fr", "de"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_trigger_lexicon_covers_every_event_type(lang: str) -> None:
    types = {rule.type for rule in load_language(lang).triggers}
    assert types == set(EVENT_TYPES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_names_resolve_to_codes_and_agencies_and_places_exist(lang: str) -> None:
    data = load_language(lang)
    for name in data.names:
        assert name.code == "EU" or state_name(name.code) != name.code, name
    for form, agency in data.agencies:
        assert match_agency(agency) is not None, (form, agency)
    for form, place in data.places.items():
        assert lookup_place(place) is not None, (form, place)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_checks_name_existing_cue_lists(lang: str) -> None:
    data = load_language(lang)
    for rule in data.triggers:
        for part in filter(None, rule.check.split(",")):
            kind, _, cue = part.partition(":")
            assert kind in {"near", "sent", "not_next"} and data.cue(cue), (rule, part)


def test_pattern_syntax() -> None:
    assert parse_pattern("weisen|wies ... aus") == (("weisen", "wies"), ("...",), ("aus",))
    assert parse_pattern("expuls*") == (("expuls*",),)


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expression", "published", "expected"),
    [
        ("fr", "mardi dernier", "2018-10-03", "2018-10-02"),
        ("fr", "mardi", "2018-10-03", "2018-10-02"),
        ("fr", "mardi", "2018-10-02", "2018-10-02"),  # on or before the publication day
        ("fr", "le 1er octobre 2018", "2019-01-01", "2018-10-01"),
        ("fr", "le 30 juin", "2018-10-03", "2018-06-30"),
        ("fr", "en décembre 2015", "2019-01-09", "2015-12"),
        ("fr", "l'an dernier", "2019-01-09", "2018"),
        ("fr", "la semaine dernière", "2019-01-09", "2019-01"),
        ("fr", "hier", "2019-01-09", "2019-01-08"),
        ("de", "letzten Dienstag", "2018-10-31", "2018-10-30"),
        ("de", "am Dienstag", "2018-10-31", "2018-10-30"),
        ("de", "am vergangenen Freitag", "2023-05-27", "2023-05-26"),
        ("de", "am 4. Februar 2021", "2021-03-01", "2021-02-04"),
        ("de", "am 23. August", "2019-12-05", "2019-08-23"),
        ("de", "im Juni 2018", "2019-01-09", "2018-06"),
        ("de", "vergangene Woche", "2019-01-09", "2019-01"),
        ("de", "2019", "2021-01-01", "2019"),
    ],
)
def test_resolve_dates(lang: str, expression: str, published: str, expected: str) -> None:
    assert resolve(expression, lang, load_language(lang).dates, published) == expected


def test_dates_counted_from_the_story() -> None:
    words = load_language("fr").dates
    assert resolve("le lendemain", "fr", words, "2018-10-03", "2018-06-30") == "2018-07-01"
    assert resolve("la veille", "fr", words, "2018-10-03", "2018-07-01") == "2018-06-30"
    assert resolve("am selben Tag", "de", load_language("de").dates, "2024-11-01", "2024-10-29") == "2024-10-29"
    assert resolve("le lendemain", "fr", words, "2018-10-03", None) is None


def test_weekday_fallback_is_where_dateparser_gives_nothing() -> None:
    from datetime import date

    words = load_language("de").dates
    assert weekday_date("letzten Dienstag", date(2018, 10, 31), words) == date(2018, 10, 30)
    assert weekday_date("am 3. Mai", date(2018, 10, 31), words) is None


def test_find_dates_in_text() -> None:
    fr = load_language("fr").dates
    found = [text for _, _, text in find_dates("arrêté le 1er juillet, puis mardi dernier et en décembre 2015", fr)]
    assert found == ["1er juillet", "mardi dernier", "en décembre 2015"]
    de = load_language("de").dates
    assert [t for _, _, t in find_dates("auf dem Weg zum Freitagsgebet am 23. August", de)] == ["23. August"]


def test_no_dates_without_anchor_unless_the_year_is_given() -> None:
    words = load_language("fr").dates
    assert resolve("mardi", "fr", words, None) is None
    assert resolve("février 2021", "fr", words, None) == "2021-02"
