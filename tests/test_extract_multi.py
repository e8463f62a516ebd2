"""The French and German extractor on hand-written sentences (loads fr_core_news_sm and the German lookups)."""

from __future__ import annotations

import pytest

from plotwatch.extract.language import detect_language
from plotwatch.extract.multi import extract_language, extractor_version
from plotwatch.extract.multi.nlp import load_multi_pipeline
from plotwatch.models import Document, Event

pytestmark = pytest.mark.model


def events(text: str, lang: str, published: str = "2019-12-05") -> list[Event]:
    doc = Document(doc_id="t1", text=text, published=published, language=lang)
    found = list(extract_language([doc], lang))
    assert len(found) == 1
    for event in found[0][1]:
        assert text[event.evidence.start : event.evidence.end] == event.evidence.text
    return found[0][1]


def summary(found: list[Event]) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    return [(e.type, e.date, e.country, e.actor.state, e.target.state) for e in found]


@pytest.mark.parametrize("lang", ["fr", "de"])
def test_pipelines_declare_their_components(lang: str) -> None:
    nlp = load_multi_pipeline(lang)
    analysis = nlp.analyze_pipes()
    assert not any(analysis["problems"].values()), analysis["problems"]
    assert nlp.pipe_names[-2:] == ["plotwatch_multi_names", "plotwatch_multi_triggers"]


def test_detects_french_german_english() -> None:
    assert detect_language("La France a expulsé mardi deux diplomates iraniens soupçonnés d'espionnage.") == "fr"
    assert detect_language("Die Bundesregierung hat zwei russische Diplomaten ausgewiesen.") == "de"
    assert detect_language("Britain expelled four Russian diplomats on Monday.") == "en"
    assert detect_language("  12 345 ") is None


def test_french_expulsion_with_actor_target_count_and_weekday() -> None:
    found = events("La France a expulsé mardi deux diplomates iraniens.", "fr", "2018-10-03")
    assert summary(found) == [("EXPEL", "2018-10-02", "FRA", "FRA", "IRN")]
    assert found[0].count == 2 and found[0].extractor == extractor_version("fr")


def test_french_summons_the_envoy_of_the_state_named_after_it() -> None:
    found = events("Le Quai d'Orsay a convoqué l'ambassadeur d'Iran lundi.", "fr", "2018-10-03")
    assert summary(found) == [("SUMMON", "2018-10-01", "FRA", "FRA", "IRN")]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "La France n'a pas expulsé de diplomates iraniens."),  # negation
        ("fr", "La France pourrait expulser deux diplomates iraniens."),  # modality
        ("fr", "Des élus appellent à expulser deux diplomates iraniens."),  # demand
        ("de", "Die Bundesregierung hat keine russischen Diplomaten ausgewiesen."),
        ("de", "Deutschland könnte zwei russische Diplomaten ausweisen."),
        ("de", "Die Opposition fordert Sanktionen gegen Russland."),
    ],
)
def test_negated_modal_and_demanded_acts_are_not_events(lang: str, text: str) -> None:
    assert events(text, lang) == []


def test_french_hedge_and_plan() -> None:
    text = "Selon Paris, le ministère iranien du Renseignement aurait préparé un attentat à Villepinte le 30 juin."
    found = events(text, "fr", "2018-10-03")
    assert summary(found) == [("ATTACK", "2018-06-30", "FRA", "IRN", None)]
    assert found[0].status == "planned" and found[0].hedged and found[0].actor.id == "irn-mois"


def test_german_separable_verbs() -> None:
    text = "Deutschland weist zwei russische Diplomaten aus. Teheran bestellte am Montag den deutschen Botschafter ein."
    assert summary(events(text, "de", "2019-12-05")) == [
        ("EXPEL", None, "DEU", "DEU", "RUS"),
        ("SUMMON", "2019-12-02", "IRN", "IRN", "DEU"),
    ]


def test_german_verb_bracket_takes_the_date_from_the_noun() -> None:
    text = ("BERLIN — Das Kammergericht hat am Mittwoch einen Russen wegen des Mordes an einem Georgier "
            "zu lebenslanger Haft verurteilt.")  # fmt: skip
    found = events(text, "de", "2021-12-16")
    convict = [e for e in found if e.type == "CONVICT"]
    assert [(e.date, e.country, e.target.state) for e in convict] == [("2021-12-15", "DEU", "RUS")]


def test_german_hedge_and_sponsor_agency() -> None:
    text = ("KOPENHAGEN — Der iranische Geheimdienst soll die Ermordung eines Exil-Iraners in Dänemark "
            "geplant haben.")  # fmt: skip
    found = events(text, "de", "2018-10-31")
    assert summary(found) == [("KILL", None, "DNK", "IRN", None)]
    assert found[0].status == "planned" and found[0].hedged


def test_fiction_and_sport_are_not_events() -> None:
    assert events("Dans la série, l'agent est enlevé à Téhéran par des agents iraniens.", "fr") == []
    assert events("Der Verteidiger wurde nach einer Roten Karte des Feldes verwiesen.", "de") == []
    assert events("LYON — Le défenseur a été expulsé à la 85e minute.", "fr") == []
