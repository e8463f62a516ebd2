"""Merge as record linkage: comparators, cannot-links, threshold clustering (hand-built events, no model)."""

from __future__ import annotations

import random
from typing import Any

from plotwatch.merge import DocInfo, merge_events
from plotwatch.merge.cluster import agglomerate
from plotwatch.merge.compare import BlockStats, conflict, features
from plotwatch.merge.mentions import Mention, day_span, proper_nouns
from plotwatch.models import Actor, Event, Evidence, Perpetrator, Place

DOCS = {
    "a": DocInfo(published="2018-07-02", seq=1),
    "b": DocInfo(published="2018-07-03", seq=2),
    "c": DocInfo(published="2021-02-05", seq=3),
    "d": DocInfo(published="2018-07-03", seq=4),
}


def ev(doc: str, text: str, type_: str = "ARREST", start: int = 0, **fields: Any) -> Event:
    fields.setdefault("country", "DEU")
    return Event(doc_id=doc, type=type_, evidence=Evidence(text, start, start + len(text)), **fields)


def groups(events: list[Event]) -> list[set[str]]:
    merge_events(events, DOCS)
    by: dict[str, set[str]] = {}
    for event in events:
        assert event.incident_id
        by.setdefault(event.incident_id, set()).add(f"{event.doc_id}:{event.evidence.start}")
    return sorted(by.values(), key=sorted)


def test_day_span_of_each_precision() -> None:
    assert day_span("2018") == (day_span("2018-01-01")[0], day_span("2018-12-31")[0])  # type: ignore[index]
    assert day_span("2018-02") == (day_span("2018-02-01")[0], day_span("2018-02-28")[0])  # type: ignore[index]
    assert day_span("2018-13") is None and day_span("") is None


def test_proper_nouns_skip_states_and_keep_places_and_names() -> None:
    found = proper_nouns("Assadi, a diplomat at Iran's embassy in Vienna, was arrested in Germany on Sunday.")
    assert {"assadi", "vienna"} <= found
    assert not {"iran", "germany", "sunday"} & found


def test_reports_of_one_arrest_join_across_documents() -> None:
    first = "An Iranian diplomat posted to Vienna, Assadollah Assadi, was arrested in Germany on Sunday."
    events = [
        ev("a", first, date="2018-07-01", perpetrators=[Perpetrator("Assadollah Assadi")]),
        ev("b", "The following day German police detained the diplomat from Vienna.", date="2018-07-01"),
        ev("c", "Assadi was arrested in Germany in July 2018.", date="2018-07", perpetrators=[Perpetrator("Assadi")]),
    ]
    assert len(groups(events)) == 1


def test_dates_far_apart_never_join() -> None:
    a = ev("a", "Germany arrested a man.", date="2016-07")
    b = ev("b", "Germany arrested a man.", date="2018-07-01")
    assert conflict(Mention(a, DOCS["a"]), Mention(b, DOCS["b"])) == "dates too far apart"
    assert len(groups([a, b])) == 2


def test_an_undated_mention_cannot_report_a_later_event() -> None:
    later = ev("c", "Police arrested the suspect.", date="2020-01-10")
    early_report = ev("a", "Police arrested the suspect.")
    assert conflict(Mention(later, DOCS["c"]), Mention(early_report, DOCS["a"])) == "reported before it happened"


def test_cross_type_merging_is_never_done() -> None:
    plot = ev("a", "Police foiled a plot to bomb a rally near Paris.", "ATTACK", country="FRA")
    arrest = ev("a", "Police arrested a couple over the plot to bomb a rally near Paris.", "ARREST", 60, country="FRA")
    assert len(groups([plot, arrest])) == 2
    assert conflict(Mention(plot, DOCS["a"]), Mention(arrest, DOCS["a"])) == "different kinds of act"


def test_kill_and_attack_may_share_an_incident() -> None:
    kill = ev("a", "Russia tried to murder Sergei Skripal in Salisbury with a nerve agent.", "KILL", country="GBR",
              victims=["Sergei Skripal"])  # fmt: skip
    attack = ev("b", "The nerve agent attack on Sergei Skripal in Salisbury.", "ATTACK", country="GBR",
                victims=["Sergei Skripal"])  # fmt: skip
    assert len(groups([kill, attack])) == 1


def test_an_undated_repeat_in_one_document_joins_the_dated_mention() -> None:
    dated = ev("a", "The Netherlands expelled two Iranian diplomats on 7 June.", "EXPEL", country="NLD",
               date="2018-06-07", target=Actor(state="IRN"), count=2)  # fmt: skip
    repeat = ev("a", "The expulsion was not announced at the time.", "EXPEL", 200, country="NLD")
    assert len(groups([dated, repeat])) == 1


def test_different_targets_in_one_document_stay_apart() -> None:
    iran = ev("a", "The Netherlands expelled two Iranian diplomats in June.", "EXPEL", country="NLD",
              date="2018-06", target=Actor(state="IRN"), count=2)  # fmt: skip
    russia = ev("a", "In March it sent home two Russian diplomats.", "EXPEL", 100, country="NLD", date="2018-03",
                target=Actor(state="RUS"), count=2)  # fmt: skip
    assert len(groups([iran, russia])) == 2


def test_undated_mentions_years_apart_with_nothing_in_common_stay_apart() -> None:
    one = ev("a", "Germany expels Vietnamese spy over kidnapping.", "EXPEL", target=Actor(state="VNM"))
    other = ev("c", "Germany declared two Iranian embassy employees persona non grata.", "EXPEL", 10,
               target=Actor(state="IRN"))  # fmt: skip
    assert len(groups([one, other])) == 2


def test_places_far_apart_count_against_and_near_ones_for() -> None:
    berlin = Place("Berlin", 52.52, 13.40, 2950159, "DEU")
    munich = Place("Munich", 48.14, 11.58, 2867714, "DEU")
    a = Mention(ev("a", "A man was shot dead in Berlin.", "KILL", place=berlin), DOCS["a"])
    b = Mention(ev("b", "A man was shot dead in Munich.", "KILL", place=munich), DOCS["b"])
    c = Mention(ev("d", "A man was shot dead in a Berlin park.", "KILL", place=berlin), DOCS["d"])
    stats = BlockStats([a, b, c])
    assert features(a, b, stats)["place"] == -1.0
    assert features(a, c, stats)["place"] == 1.0


def test_result_does_not_depend_on_input_order() -> None:
    events = [
        ev("a", "Germany arrested an Iranian diplomat from Vienna.", date="2018-07-01"),
        ev("b", "German police detained the Vienna diplomat.", date="2018-07-01"),
        ev("c", "He had been arrested in Germany.", start=40),
        ev("a", "Germany arrested a Pakistani man in Bremen in 2016.", start=90, date="2016-07"),
        ev("d", "A second suspect was arrested in Bavaria.", start=5, date="2018-07-02"),
    ]
    expected = groups([Event(**{**e.__dict__, "incident_id": None}) for e in events])
    for seed in range(5):
        shuffled = [Event(**{**e.__dict__, "incident_id": None}) for e in events]
        random.Random(seed).shuffle(shuffled)
        assert groups(shuffled) == expected


def test_threshold_is_the_knob() -> None:
    scores = {(0, 1): 0.9, (1, 2): 0.6, (0, 2): 0.4}
    assert agglomerate(3, scores, set(), threshold=0.95).members == [[0], [1], [2]]
    assert agglomerate(3, scores, set(), threshold=0.8).members == [[0, 1], [2]]
    assert agglomerate(3, scores, set(), threshold=0.5).members == [[0, 1, 2]]


def test_cannot_links_block_a_join_through_a_third_item() -> None:
    scores = {(0, 1): 0.9, (1, 2): 0.9}
    assert agglomerate(3, scores, {(0, 2)}, threshold=0.5).members == [[0, 1], [2]]


def test_incident_confidence_grows_with_independent_reports() -> None:
    one = [ev("a", "Germany arrested an Iranian diplomat from Vienna.", date="2018-07-01", confidence=0.6)]
    two = [*one, ev("b", "German police arrested the Iranian diplomat from Vienna.", date="2018-07-01",
                    confidence=0.6)]  # fmt: skip
    single = merge_events([Event(**{**e.__dict__}) for e in one], DOCS)[0].confidence
    double = merge_events([Event(**{**e.__dict__}) for e in two], DOCS)
    assert len(double) == 1 and double[0].confidence > single
