"""The extractor against raw spaCy on the same text (issue 3's benchmark; part of ``make bench``).

On a generated corpus (``benchmarks/corpus.py``: news-like relevant and
irrelevant articles that the benchmark writes itself), it measures
documents/second and words/second of

- raw spaCy: ``nlp.pipe`` of the same English model, without plotwatch's
  components (the baseline);
- the full extractor: ``plotwatch.extract.extract`` (language routing,
  relevance prefilter, truecasing, the same model with plotwatch's
  components, the rules that build event records),

and prints the extractor's rate as a ratio of raw spaCy's, on relevant-only
text and on the realistic mix (5% relevant). The two alternate in rounds on
the same documents and each keeps its fastest round, so that a machine shared
with other work slows both alike; compare ratios, not absolute rates.

    python -m benchmarks.extract [--relevant 300] [--mix 1000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from benchmarks.corpus import articles

__all__ = ["compare", "main"]


def _documents(count: int, relevant: float, seed: int) -> list[Any]:
    from plotwatch.models import Document

    return [
        Document(doc_id=article["id"], text=article["text"], title=article["title"], published=article["published"])
        for article in articles(count, relevant=relevant, seed=seed)
    ]


def compare(label: str, documents: list[Any], rounds: int) -> dict[str, Any]:
    """Raw spaCy and the full extractor on ``documents``, alternating; rates and the ratio."""
    import spacy

    from plotwatch.extract import MODEL, extract, load_pipeline

    raw = spacy.load(MODEL)
    load_pipeline()
    texts = [document.text for document in documents]
    n_words = sum(len(text.split()) for text in texts)
    times = {"raw": float("inf"), "full": float("inf")}
    events = 0
    for _ in range(rounds):
        start = time.perf_counter()
        for _doc in raw.pipe(texts, batch_size=64):
            pass
        times["raw"] = min(times["raw"], time.perf_counter() - start)
        start = time.perf_counter()
        events = sum(len(found) for _, found in extract(documents))
        times["full"] = min(times["full"], time.perf_counter() - start)
    row: dict[str, Any] = {"what": label, "docs": len(documents), "words": n_words, "events": events}
    for name, seconds in times.items():
        row[f"{name}_docs_per_s"] = round(len(documents) / seconds, 1)
        row[f"{name}_words_per_s"] = round(n_words / seconds)
    row["ratio"] = round(times["raw"] / times["full"], 2)
    return row


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relevant", type=int, default=300, help="relevant-only documents (0: skip)")
    parser.add_argument("--mix", type=int, default=1000, help="documents of the 5%% relevant mix (0: skip)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON lines")
    args = parser.parse_args(argv)
    runs = [("relevant-only text", args.relevant, 1.0), ("realistic mix, 5% relevant", args.mix, 0.05)]
    rows = [compare(label, _documents(count, share, args.seed), args.rounds) for label, count, share in runs if count]
    for row in rows:
        if args.json:
            print(json.dumps(row))
            continue
        print(f"\n== full extractor vs raw spaCy nlp.pipe: {row['what']}, {row['docs']} documents, "
              f"{row['words']} words, {row['events']} events")  # fmt: skip
        print(f"  raw spaCy       {row['raw_docs_per_s']:>8} docs/s {row['raw_words_per_s']:>9} words/s")
        print(f"  full extractor  {row['full_docs_per_s']:>8} docs/s {row['full_words_per_s']:>9} words/s")
        print(f"  ratio (extractor / raw spaCy): {row['ratio']}x")
    sys.stdout.flush()
    return rows


if __name__ == "__main__":
    main()
