"""Scoring predicted links against hand-labelled ones (``data/sample/links.jsonl``).

Gold links name gold incidents (``{"kind", "from", "to"}``). A predicted
incident stands for the gold incident most of its matched events belong to
(events matched as ``plotwatch.evaluate`` matches them); a predicted link is
right when its kind and both mapped ends are a gold link. Precision counts
the predicted links whose two ends map to gold incidents; recall counts the
gold links whose two ends were found (``recall_found``) and all of them
(``recall_all``), so extraction misses and linking misses can be told apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from plotwatch.evaluate import collapse, match_article

__all__ = ["LinkScore", "incident_map", "score_links"]


@dataclass
class LinkScore:
    precision: float
    recall_found: float
    recall_all: float
    tp: int
    predicted: int
    gold_found: int
    gold: int
    wrong: list[tuple[str, str, str]]
    missed: list[tuple[str, str, str]]


def incident_map(gold: Sequence[Mapping[str, Any]], predictions: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """predicted incident id → the gold incident most of its matched events belong to."""
    gold_by: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    pred_by: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for line in gold:
        gold_by[line["article_id"]].append(line)
    for record in predictions:
        pred_by[record["doc_id"]].append(record)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for doc_id, preds in pred_by.items():
        golds = gold_by.get(doc_id, [])
        kept = collapse([dict(p) for p in preds])
        for i, j in match_article(golds, kept):
            votes[kept[j]["incident_id"]][golds[i]["incident"]] += 1
    return {incident: counts.most_common(1)[0][0] for incident, counts in votes.items()}


def score_links(
    gold_links: Iterable[Mapping[str, str]], mapping: Mapping[str, str], predicted: Iterable[Mapping[str, Any]]
) -> LinkScore:
    """Precision and recall of ``predicted`` links (store rows) against ``gold_links``."""
    gold = {(link["kind"], link["from"], link["to"]) for link in gold_links}
    found_incidents = set(mapping.values())
    mapped = {
        (row["kind"], mapping[row["source_id"]], mapping[row["target_id"]])
        for row in predicted
        if row["source_id"] in mapping and row["target_id"] in mapping
    }
    mapped = {link for link in mapped if link[1] != link[2]}
    tp = mapped & gold
    findable = {link for link in gold if link[1] in found_incidents and link[2] in found_incidents}
    return LinkScore(
        precision=len(tp) / len(mapped) if mapped else 0.0,
        recall_found=len(tp & findable) / len(findable) if findable else 0.0,
        recall_all=len(tp) / len(gold) if gold else 0.0,
        tp=len(tp),
        predicted=len(mapped),
        gold_found=len(findable),
        gold=len(gold),
        wrong=sorted(mapped - gold),
        missed=sorted(findable - tp),
    )
