"""Tests of plotwatch.evaluate: the matching rules, and agreement with the reference scorer."""

from __future__ import annotations

import copy
import importlib.util
import itertools
import json
import random
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from plotwatch.errors import InputError
from plotwatch.evaluate import (
    assign,
    bcubed,
    format_report,
    load_jsonl,
    score_events,
    state_code,
)

EVAL_DIR = Path("/work/shared/eval")
ARTICLES: list[dict[str, Any]] = [{"id": "a1"}, {"id": "a2"}, {"id": "a3"}, {"id": "x1", "distractor": True}]


def gold(article: str = "a1", incident: str = "inc-1", **fields: Any) -> dict[str, Any]:
    """A gold line (SCHEMA.md) of a KILL in the Netherlands on 30 June 2018 by Iran."""
    line: dict[str, Any] = {"article_id": article, "incident": incident, "type": "KILL", "status": "actual"}
    line |= {"date": "2018-06-30", "country": "NLD", "actor": "IRN", "target": "IRN", "count": None}
    return line | fields


def pred(doc: str = "a1", incident: str | None = "p-1", **fields: Any) -> dict[str, Any]:
    """An exported event that agrees with ``gold()`` in every attribute."""
    line: dict[str, Any] = {"doc_id": doc, "incident_id": incident, "type": "KILL", "status": "actual"}
    line |= {"date": "2018-06-30", "country": "NLD", "actor": {"state": "IRN"}, "target": {"state": "IRN"}}
    return line | {"count": None} | fields


def tps(golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> tuple[int, int]:
    """(lenient tp, strict tp)."""
    result = score_events(golds, ARTICLES, preds)
    return result.lenient.tp, result.strict.tp


# --- compatibility rules ------------------------------------------------------------------------


def test_identical_event_matches_strictly() -> None:
    assert tps([gold()], [pred()]) == (1, 1)


@pytest.mark.parametrize(
    ("gold_type", "pred_type"), [("KILL", "ATTACK"), ("ATTACK", "KILL"), ("SURVEIL", "SPY")]
)
def test_type_groups_match_leniently_only(gold_type: str, pred_type: str) -> None:
    assert tps([gold(type=gold_type)], [pred(type=pred_type)]) == (1, 0)


@pytest.mark.parametrize(
    ("gold_type", "pred_type"), [("KILL", "SURVEIL"), ("EXPEL", "ARREST"), ("SPY", "ATTACK")]
)
def test_types_outside_a_group_never_match(gold_type: str, pred_type: str) -> None:
    assert tps([gold(type=gold_type)], [pred(type=pred_type)]) == (0, 0)


def test_country_must_agree_when_gold_names_one() -> None:
    assert tps([gold(country="NLD")], [pred(country="BEL")]) == (0, 0)
    assert tps([gold(country="NLD")], [pred(country="")]) == (0, 0)
    assert tps([gold(country="")], [pred(country="BEL")]) == (1, 1)


@pytest.mark.parametrize(
    ("gold_date", "pred_date", "matches"),
    [
        ("2018-06-30", "2018", True),
        ("2018", "2018-06-30", True),
        ("2018-06", "2018-06-30", True),
        ("2018-06-30", "", True),
        ("", "2019-01-01", True),
        ("2018-06", "2018-07", False),
        ("2018-06-30", "2018-06-29", False),
        ("2018", "2019-06", False),
    ],
)
def test_dates_match_when_one_is_a_prefix(gold_date: str, pred_date: str, matches: bool) -> None:
    assert tps([gold(date=gold_date)], [pred(date=pred_date)]) == (int(matches), int(matches))


def test_strict_wants_the_status_and_missing_means_actual() -> None:
    assert tps([gold(status="planned")], [pred(status="actual")]) == (1, 0)
    assert tps([gold(status="actual")], [pred(status=None)]) == (1, 1)
    assert tps([gold(status="planned")], [pred(status="planned")]) == (1, 1)


def test_strict_wants_the_actor_state_when_gold_has_one() -> None:
    assert tps([gold(actor="IRN")], [pred(actor={"state": "RUS"})]) == (1, 0)
    assert tps([gold(actor="IRN")], [pred(actor=None)]) == (1, 0)
    assert tps([gold(actor="IRN")], [pred(actor="irn")]) == (1, 1)
    assert tps([gold(actor="IRN")], [pred(actor={"id": "IRN"})]) == (1, 1)
    assert tps([gold(actor="Hezbollah")], [pred(actor={"state": "RUS"})]) == (1, 1)
    assert tps([gold(actor="")], [pred(actor={"state": "RUS"})]) == (1, 1)


def test_state_code_reads_dicts_and_strings() -> None:
    assert state_code({"state": "irn"}) == "IRN"
    assert state_code({"state": None, "id": "DEU"}) == "DEU"
    assert state_code(" NLD ") == "NLD"
    assert state_code("EU") == ""
    assert state_code("Hezbollah") == ""
    assert state_code(None) == ""


def test_events_match_only_within_their_article() -> None:
    assert tps([gold(article="a1")], [pred(doc="a2")]) == (0, 0)


# --- collapse, distractors, unknown documents ---------------------------------------------------


def test_predictions_sharing_incident_and_type_count_once_per_article() -> None:
    result = score_events([gold()], ARTICLES, [pred(), pred(date="2018"), pred(date="2019")])
    assert (result.lenient.tp, result.lenient.predicted) == (1, 1)
    assert result.attributes["date"].correct == 1  # the first of the collapsed lines is kept


def test_collapse_keeps_other_types_articles_and_lines_without_incident() -> None:
    preds = [pred(), pred(type="ATTACK"), pred(doc="a2"), pred(incident=None), pred(incident="")]
    result = score_events([gold()], ARTICLES, preds)
    assert result.lenient.predicted == 5
    assert result.lenient.tp == 1


def test_distractor_predictions_are_counted_and_are_false_positives() -> None:
    preds = [pred(doc="x1"), pred(doc="x1"), pred(doc="x1", incident="p-2"), pred()]
    result = score_events([gold()], ARTICLES, preds)
    assert result.distractor_predictions == 3  # every line, before collapsing
    assert result.lenient.predicted == 3  # two collapsed lines on x1, one on a1
    assert result.lenient.precision == pytest.approx(1 / 3)
    assert result.per_type["KILL"].predicted == 3


def test_predictions_on_unknown_documents_are_counted_apart() -> None:
    result = score_events([gold()], ARTICLES, [pred(), pred(doc="nowhere"), {"type": "KILL"}])
    assert result.unknown_doc_predictions == 2
    assert result.lenient.predicted == 1


def test_gold_of_unlisted_articles_is_left_out() -> None:
    result = score_events([gold(), gold(article="zz")], ARTICLES, [pred()])
    assert result.lenient.gold == 1


def test_lines_without_type_are_rejected() -> None:
    with pytest.raises(InputError, match="prediction #2"):
        score_events([gold()], ARTICLES, [pred(), pred(type=None)])


# --- maximum matching ---------------------------------------------------------------------------


def test_matching_prefers_more_pairs_over_closer_pairs() -> None:
    golds = [
        gold(incident="g-a", country="FRA", date="2018", status="actual"),
        gold(incident="g-b", country="", date="2018-06-30", status="planned"),
    ]
    # p-1 agrees more with g-b, but only p-1 can match g-a; a greedy choice would pair one.
    preds = [pred(incident="p-1", country="FRA", status="planned"), pred(incident="p-2", country="BEL")]
    assert tps(golds, preds) == (2, 1)


def test_matching_prefers_the_prediction_that_agrees_most() -> None:
    preds = [pred(incident="p-far", status="planned", date="2018"), pred(incident="p-near")]
    result = score_events([gold()], ARTICLES, preds)
    assert result.lenient.tp == 1
    assert result.attributes["status"].value == 1.0
    assert result.attributes["date"].value == 1.0


def _brute_force(cost: list[list[int]]) -> int:
    size = len(cost)
    return min(sum(cost[r][c] for c, r in enumerate(rows)) for rows in itertools.permutations(range(size)))


@pytest.mark.parametrize("seed", range(20))
def test_assign_finds_a_minimum_cost_assignment(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.randint(1, 6)
    cost = [
        [rng.choice([2000, 994, 995, 997, 1000, rng.randint(0, 50)]) for _ in range(size)]
        for _ in range(size)
    ]
    rows = assign(cost)
    assert sorted(rows) == list(range(size))
    assert sum(cost[r][c] for c, r in enumerate(rows)) == _brute_force(cost)


# --- per type, attributes, dedup ----------------------------------------------------------------


def test_per_type_counts_gold_type_for_tp_and_predicted_type_for_predictions() -> None:
    result = score_events([gold(type="KILL")], ARTICLES, [pred(type="ATTACK")])
    assert result.per_type["KILL"].to_dict() == {
        "precision": 0.0, "recall": 1.0, "f1": 0.0, "tp": 1, "predicted": 0, "gold": 1,
    }  # fmt: skip
    assert result.per_type["ATTACK"].to_dict() == {
        "precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "predicted": 1, "gold": 0,
    }  # fmt: skip


def test_attributes_are_checked_only_where_gold_names_them() -> None:
    golds = [gold(country="", date="", actor="Hezbollah", target="dissidents", count=None)]
    result = score_events(golds, ARTICLES, [pred()])
    assert set(result.attributes) == {"type", "status"}
    result = score_events([gold(count=2)], ARTICLES, [pred(count=3, type="ATTACK", target={"state": "ISR"})])
    accuracy = {name: acc.value for name, acc in result.attributes.items()}
    expected = {"type": 0.0, "status": 1.0, "date": 1.0, "country": 1.0, "actor_state": 1.0}
    assert accuracy == expected | {"target_state": 0.0, "count": 0.0}


def test_bcubed_of_a_hand_computed_clustering() -> None:
    # items: (x, p), (x, q), (y, q): precision 1, 1/2, 1/2; recall 1/2, 1/2, 1.
    score = bcubed([("x", "p"), ("x", "q"), ("y", "q")])
    assert (score.precision, score.recall, score.f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert score.matched == 3
    assert bcubed([]).f1 == 0.0


def test_dedup_clusters_matched_events_across_articles() -> None:
    golds = [gold("a1", "x"), gold("a2", "x"), gold("a3", "y")]
    preds = [pred("a1", "p"), pred("a2", "q"), pred("a3", "q"), pred("a3", "r", type="EXPEL")]
    dedup = score_events(golds, ARTICLES, preds).dedup
    assert dedup.matched == 3  # the unmatched EXPEL is not clustered
    assert dedup.f1 == pytest.approx(2 / 3)


def test_predictions_without_incident_id_are_singletons() -> None:
    golds = [gold("a1", "x"), gold("a2", "x")]
    dedup = score_events(golds, ARTICLES, [pred("a1", None), pred("a2", None)]).dedup
    assert (dedup.precision, dedup.recall) == pytest.approx((1.0, 0.5))


# --- output -------------------------------------------------------------------------------------


def test_to_dict_has_the_reference_shape_and_rounding() -> None:
    result = score_events([gold(), gold(incident="inc-2", type="EXPEL")], ARTICLES, [pred(), pred("x1")])
    data = result.to_dict()
    assert list(data) == [
        "unknown_doc_predictions", "distractor_predictions", "lenient", "strict",
        "per_type", "attributes", "dedup",
    ]  # fmt: skip
    assert data["lenient"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "predicted": 2, "gold": 2}
    assert data["dedup"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "matched": 1}
    assert json.loads(json.dumps(data)) == data


def test_format_report_lists_types_totals_and_warnings() -> None:
    result = score_events([gold()], ARTICLES, [pred(), pred("x1"), pred("nowhere")])
    report = format_report(result)
    assert "KILL" in report
    assert "strict" in report and "lenient" in report
    assert "dedup B-cubed" in report
    assert "predictions on distractor articles: 1" in report
    assert "not in the article list: 1" in report


def test_load_jsonl_reads_objects_and_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"a": 1}\n\n  \n{"b": "\u2028"}\n', encoding="utf-8")
    assert load_jsonl(path) == [{"a": 1}, {"b": "\u2028"}]


def test_load_jsonl_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"a": 1}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"events\.jsonl:2"):
        load_jsonl(path)
    path.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a JSON object"):
        load_jsonl(path)
    with pytest.raises(InputError, match="cannot be read"):
        load_jsonl(tmp_path / "missing.jsonl")


# --- agreement with the reference scorer --------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    path = EVAL_DIR / "score.py"
    if not path.exists():
        pytest.skip(f"reference scorer not found at {path}")
    spec = importlib.util.spec_from_file_location("plotwatch_reference_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dev_set() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if not (EVAL_DIR / "dev" / "gold.jsonl").exists():
        pytest.skip("dev set not found")
    return load_jsonl(EVAL_DIR / "dev" / "gold.jsonl"), load_jsonl(EVAL_DIR / "dev" / "articles.jsonl")


def as_prediction(line: dict[str, Any]) -> dict[str, Any]:
    return {
        "doc_id": line["article_id"], "incident_id": line["incident"], "type": line["type"],
        "status": line["status"], "date": line["date"], "country": line["country"],
        "actor": {"state": line["actor"]}, "target": {"state": line["target"]}, "count": line["count"],
    }  # fmt: skip


TYPES = ["KILL", "ATTACK", "SURVEIL", "SPY", "ARREST", "EXPEL", "SUMMON", "SANCTION"]
EDITS: dict[str, Callable[[random.Random, Any], Any]] = {
    "type": lambda rng, p: {"KILL": "ATTACK", "ATTACK": "KILL", "SURVEIL": "SPY"}.get(p, rng.choice(TYPES)),
    "status": lambda rng, p: rng.choice(["planned", "attempted", None, "actual"]),
    "date": lambda rng, p: rng.choice([p[:4], p[:7], "", "2017-01-01", p + "-01" if len(p) == 7 else p]),
    "country": lambda rng, p: rng.choice(["", "FRA", "EU", p]),
    "actor": lambda rng, p: rng.choice([p["state"], "RUS", {"state": "IRN"}, {"id": p["state"]}, None]),
    "count": lambda rng, p: rng.choice([None, 1, 2, 3]),
}


def perturb(golds: list[dict[str, Any]], articles: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Drop, change, duplicate and add events; rename and merge incident ids; shuffle the lines."""
    rng = random.Random(seed)
    incidents = sorted({g["incident"] for g in golds})
    pool = [f"pred-{n}" for n in range(len(incidents) * rng.choice([1, 1, 2]) // 2 + 1)]
    rename = {name: rng.choice(pool) if rng.random() < 0.3 else f"pred-{name}" for name in incidents}
    preds = []
    for line in golds:
        if rng.random() < 0.15:
            continue
        p = as_prediction(line)
        p["incident_id"] = rng.choice([rename[line["incident"]]] * 8 + [None, ""])
        for name, edit in EDITS.items():
            if rng.random() < 0.15:
                p[name] = edit(rng, p[name])
        preds.append(p)
        if rng.random() < 0.15:
            preds.append(p | {"status": rng.choice(["planned", "actual"]), "date": ""})
    for _ in range(rng.randint(3, 12)):
        extra = as_prediction(rng.choice(golds)) | {"incident_id": f"extra-{rng.randint(0, 5)}"}
        extra["doc_id"] = rng.choice([a["id"] for a in articles] + ["not-an-article"])
        preds.append(extra)
    rng.shuffle(preds)
    return preds


def test_gold_as_predictions_scores_perfectly(
    dev_set: tuple[list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    golds, articles = dev_set
    result = score_events(golds, articles, [as_prediction(g) for g in golds])
    assert result.lenient.f1 == result.strict.f1 == result.dedup.f1 == 1.0
    assert result.lenient.tp == len(golds)


@pytest.mark.parametrize("case", ["gold", "empty", "types-only", *[f"seed-{n}" for n in range(12)]])
def test_agrees_with_reference_scorer(
    case: str, reference: ModuleType, dev_set: tuple[list[dict[str, Any]], list[dict[str, Any]]]
) -> None:
    golds, articles = dev_set
    if case == "gold":
        preds = [as_prediction(g) for g in golds]
    elif case == "empty":
        preds = []
    elif case == "types-only":
        preds = [{"doc_id": g["article_id"], "type": g["type"]} for g in golds]
    else:
        preds = perturb(golds, articles, int(case.removeprefix("seed-")))
    expected = reference.score(copy.deepcopy(golds), copy.deepcopy(articles), copy.deepcopy(preds))
    assert score_events(golds, articles, preds).to_dict() == expected
