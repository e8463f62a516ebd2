"""Analytics on hand-built incidents with known answers: recall durations, unified responses, lags, rates."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from plotwatch.analyze import analyze, load_facts, recall_episodes, unified_for_incident, unified_in_window
from plotwatch.store import Store, open_store
from plotwatch.store.merge_schema import cases, incident_links
from plotwatch.store.schema import incidents


def _incident(
    incident_id: str,
    type_: str,
    date_: str | None,
    country: str | None = None,
    actor: str | None = None,
    target: str | None = None,
    first: str | None = None,
) -> dict[str, Any]:
    return {
        "incident_id": incident_id,
        "type": type_,
        "country": country,
        "date": date_,
        "date_end": None,
        "actor_state": actor,
        "target_state": target,
        "n_events": 1,
        "n_documents": 1,
        "confidence": 0.9,
        "first_reported": first or date_,
        "last_reported": first or date_,
        "label": f"{type_} {incident_id}",
    }


def _link(source: str, target: str) -> dict[str, Any]:
    return {
        "link_id": f"lnk-{source}-{target}",
        "kind": "response_to",
        "source_id": source,
        "target_id": target,
        "rule": "same_sentence",
        "evidence_doc": None,
        "evidence_text": None,
        "confidence": 0.9,
    }


POISONING = [
    _incident("plot", "ATTACK", "2018-03-04", "GBR", actor="RUS"),
    _incident("plot-2", "KILL", None, "DEU", actor="RUS", first="2019-08-25"),
    _incident("plot-3", "KIDNAP", "2019", "TUR", actor="IRN"),
    # Salisbury-like: four states expel Russian diplomats within a week, a fifth much later, RUS answers in kind.
    _incident("ex-gbr", "EXPEL", "2018-03-14", "GBR", target="RUS"),
    _incident("ex-usa", "EXPEL", "2018-03-26", "USA", target="RUS"),
    _incident("ex-deu", "EXPEL", "2018-03-26", "DEU", target="RUS"),
    _incident("ex-fra", "EXPEL", "2018-03-27", "FRA", target="RUS"),
    _incident("ex-aus", "EXPEL", "2018-06-01", "AUS", target="RUS"),
    _incident("ex-rus", "EXPEL", "2018-03-30", "RUS", target="GBR"),
    _incident("sum-gbr", "SUMMON", "2018-03-05", "GBR", target="RUS"),
    _incident("ex-deu-2", "EXPEL", "2019-12-04", "DEU", target="RUS"),
    # Recalls: one restored after 145 days, one never restored, one restore of another pair.
    _incident("rec-nld", "RECALL", "2018-03-08", None, actor="NLD", target="IRN"),
    _incident("res-nld", "RESTORE", "2018-07-31", None, actor="NLD", target="IRN"),
    _incident("rec-dnk", "RECALL", "2018-10-30", "DNK", actor="DNK", target="IRN"),
    _incident("res-dnk-old", "RESTORE", "2018-01-02", "DNK", actor="DNK", target="IRN"),
    _incident("res-swe", "RESTORE", "2019-01-01", None, actor="SWE", target="IRN"),
    _incident("rec-mys", "RECALL", "2017-02", "MYS", actor="MYS", target="PRK"),
    _incident("res-mys", "RESTORE", "2017-05", "MYS", actor="MYS", target="PRK"),
]
LINKS = [_link(r, "plot") for r in ("ex-gbr", "ex-usa", "ex-deu", "ex-fra", "ex-aus", "sum-gbr")]
LINKS.append(_link("ex-deu-2", "plot-2"))
CASE_STEPS = [
    {"incident_id": "arr", "type": "ARREST", "date": "2020-01-10", "country": "DEU"},
    {"incident_id": "chg", "type": "CHARGE", "date": "2020-02-09", "country": "DEU"},
    {"incident_id": "cvt", "type": "CONVICT", "date": None, "country": "DEU"},
    {"incident_id": "rel", "type": "RELEASE", "date": "2024-08-01", "country": "DEU"},
]
CASE = {
    "case_id": "case-1",
    "kind": "legal",
    "label": "ARREST → CHARGE → CONVICT → RELEASE",
    "country": "DEU",
    "start": "2020-01-10",
    "end": "2024-08-01",
    "duration_days": None,
    "plot_id": "plot-2",
    "steps": CASE_STEPS,
}
LEGAL = [
    _incident("arr", "ARREST", "2020-01-10", "DEU"),
    _incident("chg", "CHARGE", "2020-02-09", "DEU"),
    _incident("cvt", "CONVICT", None, "DEU", first="2021-12-15"),
    _incident("rel", "RELEASE", "2024-08-01", "DEU"),
]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    built = open_store(str(tmp_path / "analyze.db"))
    with built.engine.begin() as conn:
        conn.execute(insert(incidents), POISONING + LEGAL)
        conn.execute(insert(incident_links), LINKS)
        conn.execute(insert(cases), [CASE])
    return built


def test_recall_durations_and_recalls_never_reversed(store: Store) -> None:
    episodes = {e["recall_id"]: e for e in recall_episodes(load_facts(store), as_of=date(2019, 10, 30))}
    assert episodes["rec-nld"]["restore_id"] == "res-nld"
    assert episodes["rec-nld"]["duration_days"] == 145
    assert episodes["rec-nld"]["precision"] == "day"
    # A restore dated before the recall does not close it: Denmark's recall stays open, 365 days on.
    assert episodes["rec-dnk"]["restore_id"] is None
    assert episodes["rec-dnk"]["reversed"] is False
    assert episodes["rec-dnk"]["days_open"] == 365
    # Month precision counts from the first of each month: February 1 to May 1.
    assert episodes["rec-mys"]["duration_days"] == 89
    assert episodes["rec-mys"]["precision"] == "month"
    assert len(episodes) == 3


def test_unified_response_to_one_incident(store: Store) -> None:
    facts = load_facts(store)
    groups = {g["type"]: g for g in unified_for_incident(facts, "plot", days=14)}
    assert groups["EXPEL"]["n_states"] == 4
    assert groups["EXPEL"]["states"] == ["DEU", "FRA", "GBR", "USA"]
    assert groups["SUMMON"]["n_states"] == 1
    wider = {g["type"]: g for g in unified_for_incident(facts, "plot", days=90)}
    assert wider["EXPEL"]["n_states"] == 5


def test_unified_response_in_a_window(store: Store) -> None:
    facts = load_facts(store)
    found = unified_in_window(facts, since="2018-03-20", until="2018-03", days=7)
    assert [(g["type"], g["against"], g["n_states"]) for g in found] == [("EXPEL", "RUS", 3)]
    assert found[0]["incident_ids"] == ["ex-deu", "ex-usa", "ex-fra"]
    # Russia's expulsions in return are not part of the unified response.
    assert all(
        "RUS" not in g["states"] for g in unified_in_window(facts, days=30, min_states=1) if g["against"] == "RUS"
    )
    assert unified_in_window(facts, since="2019", days=30) == []


def test_lags_rates_and_legal_steps(store: Store) -> None:
    result = analyze(store)
    plots = {p["incident_id"]: p for p in result.plots}
    lags = {r["incident_id"]: r["lag_days"] for r in plots["plot"]["responses"]}
    assert lags == {"sum-gbr": 1, "ex-gbr": 10, "ex-usa": 22, "ex-deu": 22, "ex-fra": 23, "ex-aus": 89}
    # Undated plot: the lag counts from its first report.
    assert plots["plot-2"]["responses"][0]["lag_days"] == 101
    hosts = {h["state"]: h for h in result.hosts}
    assert hosts["GBR"]["rate"] == 1.0
    assert hosts["GBR"]["by_type"]["EXPEL"]["median_lag_days"] == 22
    assert hosts["TUR"]["rate"] == 0.0 and hosts["TUR"]["median_lag_days"] is None
    rus = next(p for p in result.perpetrators if p["state"] == "RUS")
    assert rus["by_year"] == {"2018": ["plot"], "2019": ["plot-2"]}
    assert rus["by_country"] == {"DEU": ["plot-2"], "GBR": ["plot"]}
    legal = result.legal[0]
    assert (legal["days_to_charge"], legal["days_to_verdict"], legal["days_to_release"]) == (30, 705, 1665)
    assert analyze(store, state="IRN").totals["hostile"] == 1
    assert analyze(store, since="2019").totals["hostile"] == 2
