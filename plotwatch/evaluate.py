"""Score extracted events against hand-labelled gold events.

The rules are those of ``shared/eval/SCHEMA.md`` and its reference scorer
``shared/eval/score.py``; this is plotwatch's own implementation of them, and
``tests/test_evaluate.py`` checks that both give the same numbers.

A predicted event can match a gold event of the same article when

- the types agree: the same type, or both in one group ({KILL, ATTACK} or
  {SURVEIL, SPY});
- the countries agree, when the gold line names a country;
- the dates are compatible, when both are given: one is a prefix of the other
  ("2018" ~ "2018-06" ~ "2018-06-30").

*Strict* scoring also wants the exact type, the same status (missing means
"actual") and, when the gold actor is a three-letter state code, the same
actor state.

Predictions of one article that share ``incident_id`` and ``type`` count once.
In each article, gold and predicted events are paired by a maximum matching
that prefers the most pairs and then the most agreeing attributes. Every
prediction on a distractor article is a false positive; gold lines and
predictions of articles missing from the article list are left out (the
latter are counted in ``unknown_doc_predictions``). ``dedup`` is the B-cubed
score of the predicted ``incident_id`` clustering against the gold
``incident`` ids, over the (lenient) matched events.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plotwatch.errors import InputError

Record = Mapping[str, Any]
Pair = tuple[int, int]  # (gold index, prediction index) within one article

TYPE_GROUPS: dict[str, str] = {"KILL": "VIOLENT", "ATTACK": "VIOLENT", "SURVEIL": "SPYING", "SPY": "SPYING"}
AGREEMENT_FIELDS = 6  # how many attributes agreement() compares
_MIN_PAIR_REWARD = 1000  # the reference scorer's weight of one pair against agreement


# --- results ------------------------------------------------------------------------------------


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts they come from."""

    precision: float
    recall: float
    f1: float
    tp: int
    predicted: int
    gold: int

    @classmethod
    def from_counts(cls, tp: int, predicted: int, gold: int) -> PRF:
        precision = tp / predicted if predicted else 0.0
        recall = tp / gold if gold else 0.0
        return cls(precision, recall, _f1(precision, recall), tp, predicted, gold)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass(frozen=True)
class Accuracy:
    """How often one attribute of the matched events agrees with the gold."""

    correct: int
    checked: int

    @property
    def value(self) -> float:
        return self.correct / self.checked if self.checked else 0.0


@dataclass(frozen=True)
class BCubed:
    """B-cubed precision, recall and F1 of a clustering, over ``matched`` items."""

    precision: float
    recall: float
    f1: float
    matched: int

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched": self.matched,
        }


@dataclass(frozen=True)
class EvalResult:
    """Everything ``score_events`` measures; ``to_dict()`` is the JSON of ``score.py --json``."""

    lenient: PRF
    strict: PRF
    per_type: dict[str, PRF]  # lenient, by gold type (tp, gold) and predicted type (predicted)
    attributes: dict[str, Accuracy]
    dedup: BCubed
    distractor_predictions: int
    unknown_doc_predictions: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "unknown_doc_predictions": self.unknown_doc_predictions,
            "distractor_predictions": self.distractor_predictions,
            "lenient": self.lenient.to_dict(),
            "strict": self.strict.to_dict(),
            "per_type": {name: prf.to_dict() for name, prf in self.per_type.items()},
            "attributes": {name: round(acc.value, 4) for name, acc in self.attributes.items()},
            "dedup": self.dedup.to_dict(),
        }


# --- comparing one gold event with one prediction ----------------------------------------------


def _text(record: Record, key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def _status(record: Record) -> str:
    return _text(record, "status") or "actual"


def state_code(value: object) -> str:
    """The 3-letter state code of an actor or target (a dict with ``state`` or ``id``, or a string)."""
    if isinstance(value, Mapping):
        value = value.get("state") or value.get("id")
    code = value.strip() if isinstance(value, str) else ""
    return code.upper() if len(code) == 3 and code.isalpha() else ""


def dates_compatible(gold: str, predicted: str) -> bool:
    """True when either date is empty or one is a prefix of the other."""
    if not gold or not predicted:
        return True
    return gold.startswith(predicted) or predicted.startswith(gold)


def types_compatible(gold: str, predicted: str, *, strict: bool = False) -> bool:
    if strict:
        return gold == predicted
    return TYPE_GROUPS.get(gold, gold) == TYPE_GROUPS.get(predicted, predicted)


def _strict_extras_agree(gold: Record, pred: Record) -> bool:
    if _status(gold) != _status(pred):
        return False
    gold_actor = state_code(gold.get("actor"))
    return not gold_actor or state_code(pred.get("actor")) == gold_actor


def compatible(gold: Record, pred: Record, *, strict: bool = False) -> bool:
    """Whether ``pred`` may be matched with ``gold`` (see the module docstring)."""
    if not types_compatible(_text(gold, "type"), _text(pred, "type"), strict=strict):
        return False
    if strict and not _strict_extras_agree(gold, pred):
        return False
    gold_country = _text(gold, "country")
    if gold_country and _text(pred, "country") != gold_country:
        return False
    return dates_compatible(_text(gold, "date"), _text(pred, "date"))


def agreement(gold: Record, pred: Record) -> int:
    """How many attributes agree; among compatible predictions the matching prefers the closest."""
    same = (
        _text(gold, "type") == _text(pred, "type"),
        _status(gold) == _status(pred),
        _text(gold, "date") == _text(pred, "date"),
        state_code(gold.get("actor")) == state_code(pred.get("actor")),
        state_code(gold.get("target")) == state_code(pred.get("target")),
        gold.get("count") == pred.get("count"),
    )
    return sum(same)


def attribute_checks(gold: Record, pred: Record) -> dict[str, bool]:
    """Which attributes of a matched pair agree; attributes the gold leaves empty are not checked."""
    checks = {"type": _text(gold, "type") == _text(pred, "type"), "status": _status(gold) == _status(pred)}
    for key in ("date", "country"):
        if _text(gold, key):
            checks[key] = _text(pred, key) == _text(gold, key)
    for key in ("actor", "target"):
        gold_state = state_code(gold.get(key))
        if gold_state:
            checks[f"{key}_state"] = state_code(pred.get(key)) == gold_state
    if gold.get("count"):
        checks["count"] = pred.get("count") == gold["count"]
    return checks


# --- matching within one article ---------------------------------------------------------------


def collapse(predictions: Sequence[Record]) -> list[Record]:
    """One prediction per (incident_id, type), the first; predictions without incident_id all stay."""
    seen: set[tuple[Hashable, str]] = set()
    kept: list[Record] = []
    for pred in predictions:
        incident = pred.get("incident_id")
        if incident:
            key = (incident, _text(pred, "type"))
            if key in seen:
                continue
            seen.add(key)
        kept.append(pred)
    return kept


@dataclass
class _Hungarian:
    """Kuhn-Munkres with potentials, O(n^3): rows join one at a time by a shortest augmenting path.

    Indices are 1-based; column 0 is the root of each search. ``row_of[col]`` is
    the row assigned to a column (0 when free).
    """

    cost: Sequence[Sequence[float]]
    row_pot: list[float]
    col_pot: list[float]
    row_of: list[int]

    def add_row(self, row: int) -> None:
        size = len(self.cost)
        slack, via, in_tree = [math.inf] * (size + 1), [0] * (size + 1), [False] * (size + 1)
        self.row_of[0] = row
        col = 0
        while True:
            in_tree[col] = True
            col = self._grow(col, slack, via, in_tree)
            if self.row_of[col] == 0:
                break
        self._flip(col, via)

    def _grow(self, col: int, slack: list[float], via: list[int], in_tree: list[bool]) -> int:
        """Extend the tree from ``col``'s row, shift the potentials; return the nearest free column."""
        row = self.row_of[col]
        delta, nearest = math.inf, 0
        for j in range(1, len(slack)):
            if in_tree[j]:
                continue
            reduced = self.cost[row - 1][j - 1] - self.row_pot[row] - self.col_pot[j]
            if reduced < slack[j]:
                slack[j], via[j] = reduced, col
            if slack[j] < delta:
                delta, nearest = slack[j], j
        for j, inside in enumerate(in_tree):
            if inside:
                self.row_pot[self.row_of[j]] += delta
                self.col_pot[j] -= delta
            else:
                slack[j] -= delta
        return nearest

    def _flip(self, col: int, via: list[int]) -> None:
        while col:
            previous = via[col]
            self.row_of[col] = self.row_of[previous]
            col = previous


def assign(cost: Sequence[Sequence[float]]) -> list[int]:
    """A minimum-cost assignment of a square cost matrix: the row given to each column."""
    size = len(cost)
    solver = _Hungarian(cost, [0.0] * (size + 1), [0.0] * (size + 1), [0] * (size + 1))
    for row in range(1, size + 1):
        solver.add_row(row)
    return [row - 1 for row in solver.row_of[1:]]


def match_article(golds: Sequence[Record], preds: Sequence[Record], *, strict: bool = False) -> list[Pair]:
    """The most (gold, prediction) pairs, then the most agreement; ordered by prediction index.

    Each pair is rewarded more than any total of agreements, so a matching with
    one pair more always wins; the reward is the reference scorer's 1000 unless
    an article is large enough to need more.
    """
    if not golds or not preds:
        return []
    size = max(len(golds), len(preds))
    reward = max(_MIN_PAIR_REWARD, AGREEMENT_FIELDS * size + 1)
    unmatched = 2 * reward
    cost = [[unmatched] * size for _ in range(size)]
    for i, gold in enumerate(golds):
        for j, pred in enumerate(preds):
            if compatible(gold, pred, strict=strict):
                cost[i][j] = reward - agreement(gold, pred)
    rows = assign(cost)
    return [(row, col) for col, row in enumerate(rows) if cost[row][col] < unmatched]


# --- scoring a whole set -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Article:
    doc_id: str
    golds: list[Record]
    preds: list[Record]  # collapsed
    pairs: list[Pair]  # lenient matching


def _require_type(records: Sequence[Record], what: str) -> None:
    for number, record in enumerate(records, 1):
        if not _text(record, "type"):
            raise InputError(
                f"{what} #{number}", "has no 'type'", "every event needs one of SCHEMA.md's types"
            )


def _article_ids(articles: Sequence[Record], *, distractors_only: bool = False) -> set[str]:
    ids: set[str] = set()
    for article in articles:
        doc_id = article.get("article_id") or article.get("id")
        if isinstance(doc_id, str) and doc_id and (article.get("distractor") or not distractors_only):
            ids.add(doc_id)
    return ids


def _group(records: Sequence[Record], key: str) -> dict[Any, list[Record]]:
    grouped: dict[Any, list[Record]] = defaultdict(list)
    for record in records:
        grouped[record.get(key)].append(record)
    return grouped


def _per_type(articles: Sequence[_Article]) -> dict[str, PRF]:
    tp: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    for article in articles:
        gold.update(_text(g, "type") for g in article.golds)
        predicted.update(_text(p, "type") for p in article.preds)
        tp.update(_text(article.golds[i], "type") for i, _ in article.pairs)
    return {
        name: PRF.from_counts(tp[name], predicted[name], gold[name])
        for name in sorted(gold.keys() | predicted.keys())
    }


def _attribute_accuracy(articles: Sequence[_Article]) -> dict[str, Accuracy]:
    correct: Counter[str] = Counter()
    checked: Counter[str] = Counter()
    for article in articles:
        for i, j in article.pairs:
            for name, ok in attribute_checks(article.golds[i], article.preds[j]).items():
                checked[name] += 1
                correct[name] += ok
    return {name: Accuracy(correct[name], checked[name]) for name in sorted(checked)}


def _cluster_pairs(articles: Sequence[_Article]) -> list[tuple[Hashable, Hashable]]:
    """(gold incident, predicted incident) per matched event; a prediction without one is alone."""
    pairs: list[tuple[Hashable, Hashable]] = []
    for article in articles:
        for i, j in article.pairs:
            predicted = article.preds[j].get("incident_id") or f"{article.doc_id}:{j}"
            pairs.append((article.golds[i].get("incident"), predicted))
    return pairs


def bcubed(pairs: Sequence[tuple[Hashable, Hashable]]) -> BCubed:
    """B-cubed scores of the predicted clusters (second) against the gold clusters (first)."""
    if not pairs:
        return BCubed(0.0, 0.0, 0.0, 0)
    both = Counter(pairs)
    gold_sizes = Counter(gold for gold, _ in pairs)
    pred_sizes = Counter(pred for _, pred in pairs)
    precision = sum(both[pair] / pred_sizes[pair[1]] for pair in pairs) / len(pairs)
    recall = sum(both[pair] / gold_sizes[pair[0]] for pair in pairs) / len(pairs)
    return BCubed(precision, recall, _f1(precision, recall), len(pairs))


def score_events(
    gold: Sequence[Record], articles: Sequence[Record], predictions: Sequence[Record]
) -> EvalResult:
    """Score predicted events (``plotwatch export --what events``) against gold lines (SCHEMA.md)."""
    _require_type(gold, "gold line")
    _require_type(predictions, "prediction")
    ids = _article_ids(articles)
    gold_by, pred_by = _group(gold, "article_id"), _group(predictions, "doc_id")
    cases = []
    for doc in sorted(ids):
        golds, preds = gold_by.get(doc, []), collapse(pred_by.get(doc, []))
        cases.append(_Article(doc, golds, preds, match_article(golds, preds)))
    n_pred, n_gold = sum(len(c.preds) for c in cases), sum(len(c.golds) for c in cases)
    strict_tp = sum(len(match_article(c.golds, c.preds, strict=True)) for c in cases)
    return EvalResult(
        lenient=PRF.from_counts(sum(len(c.pairs) for c in cases), n_pred, n_gold),
        strict=PRF.from_counts(strict_tp, n_pred, n_gold),
        per_type=_per_type(cases),
        attributes=_attribute_accuracy(cases),
        dedup=bcubed(_cluster_pairs(cases)),
        distractor_predictions=sum(
            len(pred_by.get(d, [])) for d in _article_ids(articles, distractors_only=True)
        ),
        unknown_doc_predictions=sum(1 for p in predictions if p.get("doc_id") not in ids),
    )


# --- input and output --------------------------------------------------------------------------


def _parse_line(origin: str, line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            origin, f"not valid JSON ({exc.msg})", "each line must hold one JSON object"
        ) from exc
    if not isinstance(value, dict):
        raise InputError(origin, "is not a JSON object", "each line must hold one JSON object")
    return value


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON-lines file, one a line; blank lines are skipped."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = list(handle)
    except OSError as exc:
        raise InputError(str(path), f"cannot be read ({exc.strerror or exc})", "check the path") from exc
    except UnicodeDecodeError as exc:
        raise InputError(str(path), "is not UTF-8 text", "re-save the file as UTF-8") from exc
    return [_parse_line(f"{path}:{number}", line) for number, line in enumerate(lines, 1) if line.strip()]


def _prf_row(label: str, prf: PRF) -> str:
    return (
        f"{label:<10} {prf.precision:6.3f} {prf.recall:6.3f} {prf.f1:6.3f}"
        f" {prf.tp:5d} {prf.predicted:5d} {prf.gold:5d}"
    )


def format_report(result: EvalResult) -> str:
    """A plain-text report: per-type table, totals, attribute accuracy, dedup, distractors."""
    header = f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}"
    lines = [header, "-" * len(header)]
    lines += [_prf_row(name, prf) for name, prf in result.per_type.items()]
    lines += ["-" * len(header), _prf_row("lenient", result.lenient), _prf_row("strict", result.strict), ""]
    lines.append("attributes of matched events:")
    lines += [
        f"  {name:<13} {acc.value:6.3f}  ({acc.correct}/{acc.checked})"
        for name, acc in result.attributes.items()
    ]
    dedup = result.dedup
    lines.append(
        f"dedup B-cubed: P {dedup.precision:.3f}  R {dedup.recall:.3f}  F1 {dedup.f1:.3f}"
        f"  over {dedup.matched} matched events"
    )
    lines.append(f"predictions on distractor articles: {result.distractor_predictions}")
    if result.unknown_doc_predictions:
        lines.append(
            f"predictions naming documents not in the article list: {result.unknown_doc_predictions}"
        )
    return "\n".join(lines)
