"""The extractor on hand-written sentences: what is an event, and its arguments."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


def only(events, type_):  # type: ignore[no-untyped-def]
    found = [e for e in events if e.type == type_]
    assert len(found) == 1, [(e.type, e.evidence.text) for e in events]
    return found[0]


def test_expulsion_with_actor_target_count_and_date(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("The Netherlands expelled two Iranian diplomats on Tuesday, the foreign ministry said.",
                          published="2018-06-08")  # fmt: skip
    event = only(events, "EXPEL")
    assert event.actor.state == "NLD"
    assert event.target.state == "IRN"
    assert event.country == "NLD"
    assert event.count == 2
    assert event.date == "2018-06-05"
    assert event.scope == "transnational"


def test_passive_arrest_takes_country_from_place(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("An Iranian diplomat was arrested in Germany on Sunday.", published="2018-07-02")
    event = only(events, "ARREST")
    assert event.country == "DEU"
    assert event.target.state == "IRN"
    assert event.date == "2018-07-01"


def test_capital_as_metonym_and_recall_partner(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("Copenhagen recalled its ambassador from Tehran on 30 October.", published="2018-10-31")
    event = only(events, "RECALL")
    assert event.actor.state == "DNK"
    assert event.target.state == "IRN"
    assert event.date == "2018-10-30"


@pytest.mark.parametrize(
    "text",
    [
        "Opposition groups urged European governments to expel Iranian diplomats.",
        "Some governments could impose sanctions if new plots come to light.",
        "Denmark did not expel any Iranian diplomats.",
        "Will Britain expel Russian diplomats?",
        "Iran has long murdered dissidents abroad.",
        "The league sanctioned the football club for crowd trouble.",
    ],
)
def test_not_events(extract_text, text: str) -> None:  # type: ignore[no-untyped-def]
    assert extract_text(text) == []


def test_foiled_plot_is_planned(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("Police in Belgium foiled an Iranian plot to bomb a rally in Villepinte, near Paris.")
    event = only(events, "ATTACK")
    assert event.status == "planned"
    assert event.country == "FRA"


def test_hedge_sets_flag(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("A Norwegian man suspected of spying on Iranian exiles was arrested in Denmark.")
    arrest = only(events, "ARREST")
    assert arrest.country == "DNK"
    assert arrest.hedged is True


def test_evidence_offsets_point_into_text(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = "Title line about expulsions\n\nLONDON — Britain expelled 23 Russian diplomats on Wednesday."
    events = extract_text(text, published="2018-03-15")
    event = only(events, "EXPEL")
    assert text[event.evidence.start : event.evidence.end] == event.evidence.text
    assert event.count == 23
    assert event.evidence.text.startswith("Britain expelled")


def test_pipeline_contract_is_consistent(nlp) -> None:  # type: ignore[no-untyped-def]
    analysis = nlp.analyze_pipes()
    assert not any(analysis["problems"].values())
    names = nlp.pipe_names
    assert names.index("plotwatch_sentences") < names.index("parser")


@pytest.mark.parametrize("transform", [str.upper, str.lower])
def test_case_blind_text_gives_the_same_event(extract_text, transform) -> None:  # type: ignore[no-untyped-def]
    from plotwatch.extract.casing import parse_text

    original = "Title\n\nThe Netherlands expelled two Iranian diplomats on Tuesday, the foreign ministry said."
    text = transform(original)
    events = extract_text(parse_text(text), published="2018-06-08")
    event = only(events, "EXPEL")
    assert (event.actor.state, event.target.state, event.date) == ("NLD", "IRN", "2018-06-05")
    assert len(parse_text(text)) == len(text)


def test_truecasing_keeps_offsets_and_original_evidence() -> None:
    from plotwatch.extract.casing import needs_truecasing, truecase

    text = "BRUSSELS — BELGIAN POLICE ARRESTED A COUPLE CARRYING EXPLOSIVES. IRAN DENIED ANY ROLE IN THE PLOT."
    assert needs_truecasing(text) and not needs_truecasing("Belgian police arrested a couple in Brussels on Saturday.")
    cased = truecase(text)
    assert len(cased) == len(text) and cased.lower() == text.lower()
    assert "Belgian" in cased and "Iran" in cased and "Brussels" in cased


def test_reciprocal_expulsions_target_each_other(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = "Canada and India each expelled six of the other's diplomats on Monday."
    events = extract_text(text, published="2024-10-15")
    pairs = {(e.actor.state, e.target.state) for e in events if e.type == "EXPEL"}
    assert pairs == {("CAN", "IND"), ("IND", "CAN")}


def test_named_suspect_takes_the_nationality_the_story_gave_him(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Title\n\nThe Iranian diplomat Assadollah Assadi was stopped near Aschaffenburg. "
            "German police arrested Assadi in Bavaria on Sunday.")
    arrest = [e for e in extract_text(text, published="2018-07-02") if e.type == "ARREST"][-1]
    assert arrest.target.state == "IRN"
    assert arrest.country == "DEU"


def test_coordinated_subjects_give_one_event_each(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("In Europe, Germany, France and Poland each said they would expel four Russian diplomats.")
    assert {e.actor.state for e in events if e.type == "EXPEL"} == {"DEU", "FRA", "POL"}


def test_a_date_opening_the_sentence_dates_the_main_clause(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("On 9 May, two days after Poland closed a consulate, Russia expelled five Polish diplomats.",
                          published="2022-05-12")  # fmt: skip
    expelled = [e for e in events if e.type == "EXPEL" and e.actor.state == "RUS"]
    assert [e.date for e in expelled] == ["2022-05-09"]


def test_a_date_at_the_end_of_the_sentence_still_counts(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = "Aid has slowed sharply since the banker was poisoned in Vienna on 3 February."
    events = extract_text(text, published="2021-02-20")
    assert [e.date for e in events if e.type in {"KILL", "ATTACK"}] == ["2021-02-03"]


STORY = """Sweden expels Chinese diplomats

STOCKHOLM — Sweden said on Wednesday it would expel two Chinese diplomats accused of watching Uyghur exiles.

Norway said it would send one home. Finland expelled a Chinese official the same afternoon after a separate inquiry.

Sweden, which expelled a Russian attache earlier this year, said the two had been warned before.

Foreign Minister Eva Lind also said China's ambassador had been summoned to hear the decision."""


def test_undated_responses_told_as_the_news_take_the_news_day(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text(STORY, published="2023-03-23")
    by_actor = {(e.type, e.actor.state): e.date for e in events if e.target.state != "RUS"}
    assert by_actor[("EXPEL", "SWE")] == "2023-03-22"
    assert by_actor[("EXPEL", "NOR")] == "2023-03-22"  # "said it would send one home": the same day's news
    assert by_actor[("SUMMON", "SWE")] == "2023-03-22"  # same acting and target states as the news
    assert by_actor[("EXPEL", "FIN")] is None  # "the same afternoon": counts from another event, not the news
    russian = [e for e in events if e.target.state == "RUS"]
    assert russian and all(e.date != "2023-03-22" for e in russian)  # background ("which expelled ... earlier")


def test_a_response_told_twice_takes_the_date_of_its_dated_mention(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Belgium recalls envoy\n\nBelgium has recalled its ambassador to Minsk.\n\n"
            "Foreign Minister Jan Peeters said Belgium recalled the ambassador from Belarus on Friday after the "
            "arrest of a Belgian journalist.")  # fmt: skip
    events = extract_text(text, published="2021-06-01")
    recalls = [e for e in events if e.type == "RECALL"]
    assert len(recalls) == 2 and {e.date for e in recalls} == {"2021-05-28"}


VICTIM_STORY = """Lithuania expels Belarusian envoy

VILNIUS — Lithuania expelled a Belarusian diplomat on Friday over the attempted murder of exiled blogger Andrei Sokal.

Sokal was found unconscious outside his flat in Kaunas on 2 March after drinking tea laced with poison.

Charges brought in 2020 against two men over an older plot against Sokal were later dropped."""


def test_a_plot_takes_the_date_told_of_its_victim_elsewhere(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text(VICTIM_STORY, published="2024-03-30")
    plots = [e for e in events if e.type in {"KILL", "ATTACK"}]
    assert plots and {e.date for e in plots} == {"2024-03-02"}  # not 2020: that date tells of the charges


def test_a_year_is_refined_by_another_mention_of_the_same_plot(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Court jails gunman\n\nA court jailed a Chechen gunman for the 2020 murder of a dissident in Vienna, "
            "which it said was ordered by Russia.\n\nThe dissident was shot dead in Vienna in July 2020.")  # fmt: skip
    events = extract_text(text, published="2022-01-12")
    assert {e.date for e in events if e.type == "KILL"} == {"2020-07"}


def test_a_yearless_day_in_a_recap_takes_the_story_year(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Court jails plotters\n\nA court in Lyon on Tuesday jailed two men for a 2019 plot against an exiled "
            "Chechen blogger.\n\nThe pair were arrested by French police in Lille on 12 May. The blogger's brother "
            "was arrested in Belgium the next day.\n\nIn March, prosecutors charged a third man in Paris.")  # fmt: skip
    events = extract_text(text, published="2021-02-10")
    arrests = sorted((e.date for e in events if e.type == "ARREST"), key=str)
    assert arrests == ["2019-05-12", "2019-05-13"]  # not 2020: the last May 12th before publication
    charges = [e.date for e in events if e.type == "CHARGE" and "March" in e.evidence.text]
    assert charges == ["2020-03"]  # a month alone, told in a recap, stays the one before publication


def test_mentions_with_different_counts_are_different_acts(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Sofia expels diplomats\n\nBulgaria is expelling 40 Russian diplomats, the prime minister announced.\n\n"
            "In April, Bulgaria expelled 10 Russian diplomats it accused of spying.")  # fmt: skip
    events = extract_text(text, published="2023-09-20")
    dates = {e.count: e.date for e in events if e.type == "EXPEL"}
    assert dates[10] == "2023-04" and dates[40] != "2023-04"


def test_a_range_fills_date_and_date_end(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("Two Iranian agents photographed the exile's flat in Oslo between 12 and 14 April, "
                          "police said.", published="2022-05-03")  # fmt: skip
    watched = [e for e in events if e.type in {"SURVEIL", "SPY"}]
    assert [(e.date, e.date_end) for e in watched] == [("2022-04-12", "2022-04-14")]


def test_wire_report_in_lower_case_has_its_role_fillers(extract_text) -> None:  # type: ignore[no-untyped-def]
    from plotwatch.extract.casing import parse_text

    text = "quito, 4 feb 92 -- masked gunmen kidnapped two engineers yesterday near the dam at coca."
    events = extract_text(parse_text(text), published="1992-02-04")
    kidnap = only(events, "KIDNAP")
    assert [p.text.lower() for p in kidnap.perpetrators] == ["masked gunmen"]  # not the dateline's city
    assert kidnap.victims == ["two engineers"]


def test_a_bombing_names_what_it_hit_and_where(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("A car bomb exploded outside the French consulate in Karachi on Friday, police said.",
                          published="2011-05-21")  # fmt: skip
    blasts = [e for e in events if e.type == "ATTACK" and e.physical_targets]
    assert blasts and "consulate" in blasts[0].physical_targets[0]
    assert blasts[0].place.name == "Karachi"  # "French" names the consulate, not where it happened
    assert "car bomb" in blasts[0].weapons


def test_violence_with_no_state_in_the_story_is_kept_as_domestic(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("Gunmen shot dead a village mayor as he left his home on Tuesday, police said.",
                          published="2019-08-15")  # fmt: skip
    killing = only(events, "KILL")
    assert killing.scope == "domestic"
    assert killing.perpetrators[0].text == "Gunmen" and killing.victims == ["village mayor"]


def test_the_state_spied_for_is_not_where_it_happened(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Prague arrests clerk\n\nCzech counter-intelligence arrested a Prague tax official on Monday. "
            "Prosecutors said he had collected information on exiles in Prague and passed it to Russia's "
            "military intelligence.")  # fmt: skip
    events = extract_text(text, published="2023-04-12")
    spying = [e for e in events if e.type in {"SURVEIL", "SPY"}]
    assert spying and all(e.country != "RUS" and e.place.name != "Russia" for e in spying)
    lured = extract_text("Agents lured the dissident to Iraq and seized him there in 2019.", published="2020-01-02")
    assert [e.place.name for e in lured if e.type == "KIDNAP"] == ["Iraq"]  # a destination is a place


def test_earlier_in_the_day_is_the_day_of_the_news(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Riga expels envoy\n\nLatvia expelled a Russian diplomat on Thursday over threats to exiled journalists."
            "\n\nA Latvian reporter was detained in Moscow on 3 May. Earlier in the day, the Latvian foreign ministry "
            "had summoned Russia's charge d'affaires.")  # fmt: skip
    events = extract_text(text, published="2023-06-09")
    assert [e.date for e in events if e.type == "SUMMON"] == ["2023-06-08"]  # not 3 May, the last day told


def test_an_arrest_happens_where_the_arresting_police_serve(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("Dutch police arrested two men on their way to a protest outside Brussels on Sunday.",
                          published="2022-10-03")  # fmt: skip
    assert only(events, "ARREST").country == "NLD"
    told = extract_text("Dutch officials confirmed that an Iranian envoy was detained in Germany on Sunday.",
                        published="2022-10-03")  # fmt: skip
    assert only(told, "ARREST").country == "DEU"  # no arresting state named: where the sentence says


def test_the_group_blamed_for_an_attack_is_its_perpetrator(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("A car bomb exploded outside a police station in Lima on Friday, injuring four officers. "
            "Police blamed the Shining Path for the attack.")  # fmt: skip
    events = extract_text(text, published="1989-03-04")
    named = [p.text for e in events if e.type == "ATTACK" for p in e.perpetrators]
    assert "Shining Path" in named


def test_scope_of_violence_at_home_and_against_exiles(extract_text) -> None:  # type: ignore[no-untyped-def]
    home = extract_text("LIMA, 3 MAR 89 -- Rebels dynamited two electricity pylons outside Lima overnight.",
                        published="1989-03-04")  # fmt: skip
    assert [e.scope for e in home if e.type == "ATTACK"] == ["domestic"]
    exile = extract_text("An exiled opposition journalist was shot dead in Madrid on Monday.", published="1990-12-04")
    assert [e.scope for e in exile if e.type == "KILL"] == ["unknown"]  # attribution may come later


def test_an_act_counted_back_from_the_main_clause(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = "On 12 May, two days after Norway expelled a Russian diplomat, Russia expelled a Norwegian diplomat."
    events = extract_text(text, published="2022-05-20")
    dates = {e.actor.state: e.date for e in events if e.type == "EXPEL"}
    assert dates == {"RUS": "2022-05-12", "NOR": "2022-05-10"}


def test_a_foiled_plot_is_dated_by_the_arrest_that_foiled_it(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Plot foiled\n\nDanish police on Sunday arrested two men near Aarhus, thwarting what prosecutors said "
            "was an Iranian plan to bomb a meeting of exiles in Aarhus.")  # fmt: skip
    events = extract_text(text, published="2021-09-14")
    assert {e.date for e in events if e.type in {"ATTACK", "KILL"}} == {"2021-09-12"}


def test_a_dated_definite_mention_dates_the_act_it_refers_to(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Vilnius recalls envoy\n\nLithuania has recalled its ambassador to Belarus for consultations.\n\n"
            "The foreign minister announced the recall on Friday, citing threats to exiled activists.")  # fmt: skip
    events = extract_text(text, published="2021-08-09")
    assert [e.date for e in events if e.type == "RECALL" and e.actor.state == "LTU"] == ["2021-08-06"]


def test_a_participle_dates_its_noun(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = "Sweden and Iran completed a prisoner swap brokered by Qatar on Saturday, officials said."
    events = extract_text(text, published="2024-06-17")
    assert {e.date for e in events if e.type == "RELEASE"} == {"2024-06-15"}
    plot = extract_text("Police said the bomb plot uncovered in March had targeted exiles in Oslo.",
                        published="2024-06-17")  # fmt: skip
    assert all(e.date is None for e in plot if e.type == "ATTACK")  # when it came to light is not when it happened


def test_a_present_perfect_act_is_dated_by_the_month_it_was_done_by(extract_text) -> None:  # type: ignore[no-untyped-def]
    said = extract_text("Latvia expels envoys\n\nLatvia has expelled two Russian diplomats, the foreign ministry "
                        "said on Wednesday.", published="2023-03-17")  # fmt: skip
    assert only(said, "EXPEL").date == "2023-03"  # expelled by Wednesday, not on it
    lead = extract_text("Court jails spy\n\nA Swedish court has convicted a former analyst of spying for Russia.",
                        published="2023-01-20")  # fmt: skip
    assert only(lead, "CONVICT").date == "2023-01"
    told = extract_text("Police hold six\n\nSpanish police have arrested six men suspected of spying on exiles, "
                        "officials said on Monday.\n\nThe six were arrested in raids late last month, police said.",
                        published="2023-05-10")  # fmt: skip
    assert {e.date for e in told if e.type == "ARREST"} == {"2023-04"}  # the later mention tells when


def test_at_the_time_is_the_time_last_told(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Exiles gathered for a rally in Vienna in March 2019. "
            "Two Iranians were detained in Vienna at the time.")  # fmt: skip
    assert only(extract_text(text, published="2022-09-08"), "ARREST").date == "2019-03"
    alone = extract_text("Two Iranians were detained in Vienna at the time.", published="2022-09-08")
    assert only(alone, "ARREST").date is None  # the time of nothing told is not the day of publication


def test_a_day_counted_from_a_month_is_not_that_month(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = "Police foiled the bomb plot in June 2018. A day later, an Iranian diplomat was arrested in Germany."
    assert only(extract_text(text, published="2019-01-10"), "ARREST").date is None


def test_a_participle_and_a_responsible_for_take_their_clause_date(extract_text) -> None:  # type: ignore[no-untyped-def]
    listed = extract_text("On 8 January, the EU put two Iranians on its terrorist list, freezing their assets.",
                          published="2019-01-09")  # fmt: skip
    assert [e.date for e in listed if e.trigger == "freezing"] == ["2019-01-08"]
    poisoned = extract_text("Britain said Russia was responsible for the poisoning of a former spy in Salisbury "
                            "on 4 March.", published="2018-03-27")  # fmt: skip
    assert [e.date for e in poisoned if e.type in {"KILL", "ATTACK"}] == ["2018-03-04"]


def test_a_date_said_in_passing_does_not_stop_the_news_day(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Envoys expelled\n\nThe United States announced on Monday that it was expelling 60 Russian diplomats."
            "\n\nUkraine, whose ties with Moscow have been frozen since 2014, expelled 13 Russian diplomats.")
    events = extract_text(text, published="2018-03-27")
    assert {e.actor.state: e.date for e in events if e.type == "EXPEL"} == {"USA": "2018-03-26", "UKR": "2018-03-26"}


def test_a_deadline_is_not_the_date_of_the_order(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = "Russia ordered 20 Czech diplomats to leave the country by the end of Monday, the ministry said on Sunday."
    assert only(extract_text(text, published="2021-04-19"), "EXPEL").date == "2021-04-18"


def test_a_month_is_refined_by_the_day_another_mention_tells(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Dutch expel two\n\nTHE HAGUE — The Netherlands ordered two Iranian diplomats to leave the country "
            "last month, the intelligence service said on Friday.\n\nA spokesman said the two Iranian diplomats "
            "had been expelled on 7 June.")  # fmt: skip
    events = extract_text(text, published="2018-07-07")
    assert {e.date for e in events if e.type == "EXPEL"} == {"2018-06-07"}


def test_a_year_is_not_a_count_and_a_conviction_told_twice_shares_its_date(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("BERLIN — Germany protested to Iran after a Pakistani man was convicted of spying for Tehran.\n\n"
            "The man, whom a Berlin court sentenced in March 2017 to four years in prison, had watched a politician.")
    events = [e for e in extract_text(text, published="2018-01-09") if e.type == "CONVICT"]
    assert {e.date for e in events} == {"2017-03"}
    sentenced = extract_text("VIENNA — Austria's regional court sentenced in May 2019 to three years in prison a "
                             "Turkish national.", published="2020-01-09")  # fmt: skip
    assert [e.count for e in sentenced if e.type == "CONVICT"] == [None]  # 2019 is the year, not a count


def test_the_people_inside_a_long_trigger_are_its_target(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Dutch recall envoy\n\nTHE HAGUE — The Netherlands has recalled its ambassador to Iran after Tehran "
            "expelled two Dutch diplomats.\n\nThe minister said Iran had declared the two Dutch diplomats persona "
            "non grata last month.")  # fmt: skip
    expulsions = [e for e in extract_text(text, published="2019-03-05") if e.type == "EXPEL"]
    assert {(e.target.state, e.count) for e in expulsions} == {("NLD", 2)}
    assert {e.date for e in expulsions} == {"2019-02"}  # told twice with the same number: one act


def test_reported_past_perfect_and_a_progressive_relative_clause(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Montenegro's decision to expel Russia's ambassador drew praise from Brussels on Friday, a day after the "
            "government in Podgorica said he and another Russian diplomat had been declared persona non grata.")
    declared = [e for e in extract_text(text, published="2022-06-18") if e.trigger.startswith("declared")]
    assert [e.date for e in declared] == ["2022-06"]  # done by the day it was said: of that month
    watched = extract_text("TIRANA — In March, Albanian police detained two Iranian men who were photographing the "
                           "homes of exiled dissidents.", published="2018-12-20")  # fmt: skip
    assert [e.date for e in watched if e.type == "SURVEIL"] == ["2018-03"]  # at the time of the arrest


def test_doers_outside_the_parse_of_the_act(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("QUITO, 4 MAY 90 -- A PROSECUTOR WAS ASSASSINATED TONIGHT WHEN THREE GUNMEN IN A TRUCK FIRED ON HIS HOUSE. "
            "POLICE SAID THE ASSASSINS USED A MACHINE GUN.")  # fmt: skip
    killed = [e for e in extract_text(text, published="1990-05-05") if e.type == "KILL"]
    assert killed and {p.text.lower() for p in killed[0].perpetrators} >= {"three gunmen", "assassins"}
    caught = extract_text("A union leader was stabbed to death in Lima on Sunday. Police arrested a former driver, "
                          "who they said had carried a knife.", published="1990-05-05")  # fmt: skip
    assert [p.text for e in caught if e.type in {"KILL", "ATTACK"} for p in e.perpetrators] == ["former driver"]
    blasted = extract_text("Rebels dynamited a bridge outside Lima overnight.", published="1990-05-05")
    assert "dynamite" in [w for e in blasted for w in e.weapons]


def test_ordered_out_of_a_country_is_that_country_expelling(extract_text) -> None:  # type: ignore[no-untyped-def]
    events = extract_text("Prime Minister Jan Novak ordered 18 Russian diplomats out of the Czech Republic.",
                          published="2021-04-19")  # fmt: skip
    event = only(events, "EXPEL")
    assert (event.actor.state, event.country, event.count) == ("CZE", "CZE", 18)


def test_an_undated_act_after_a_sentence_of_another_day_keeps_no_date(extract_text) -> None:  # type: ignore[no-untyped-def]
    text = ("Scout jailed\n\nLONDON — A Danish man who filmed a broadcaster's offices was convicted on Wednesday.\n\n"
            "He was sentenced to three years in prison on Friday. Jurors heard that he flew to London on 11 February "
            "and filmed the gate. Police arrested him in a cafe nearby.")  # fmt: skip
    arrests = [e for e in extract_text(text, published="2023-12-23") if e.type == "ARREST"]
    assert arrests and all(e.date != "2023-12-22" and e.date != "2023-12-20" for e in arrests)
