"""Throughput and memory of plotwatch on a generated news corpus (``make bench``; not part of ``make test``).

For each size it generates the corpus (``benchmarks/corpus.py``: 5% relevant),
then measures, in this one run and on the same documents:

- a bare regex scan for the trigger words, and the relevance prefilter;
- raw spaCy: the same English model's ``nlp.pipe`` (no plotwatch components);
- the full pipeline (``pipeline.run``: ingest, prefilter, extract, resolve,
  merge, store in SQLite), in a fresh process for its peak memory;
- the same on relevant-only text; the extractor alone against raw spaCy
  (``benchmarks/extract.py``); the Spark engine on local[2] against the local
  engine; the prefilter's loss of events on the gold sets;
- with ``--memory 10000,100000``: peak memory of the full pipeline (or, with
  ``--no-merge``, of ingest, prefilter and extraction) at each size, each in a
  fresh process, and the ratio of the largest to the smallest.

Rates are documents/second and words/second; ratios are against raw spaCy.
What each timing holds: raw spaCy times ``nlp.pipe`` over texts already in
memory (``spacy.load`` is shown as ``load_s``, not timed); the full pipeline
times ``pipeline.run`` from the JSONL file to the merged store, everything a
run does (reading, storing, prefilter, language routing, extraction,
resolving, near-duplicate signing, merging, every write), with its stages as
``reading_s``, ``extracting_s`` and ``merging_s``; the models it loads once per
process (the English pipeline, the language identifier, the prefilter's
automaton) are loaded before the clock starts and shown as ``load_s``.
Slow measurements run on a sample of ``--sample`` documents (a rate does not
depend on the corpus size); memory runs on the whole corpus.

    python -m benchmarks.run [--sizes 1000,10000] [--sample 1000] [--spark 400] [--workers 1]
    python -m benchmarks.run --memory 10000,100000 [--relevant-share 0.05] [--no-merge]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from benchmarks.corpus import write

ROOT = Path(__file__).resolve().parents[1]
GOLD_SETS = [ROOT / "plotwatch" / "data" / "sample", ROOT.parent / "shared" / "eval" / "dev"]


def load(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()[:limit]
    return [json.loads(line) for line in lines]


def words(texts: Iterable[str]) -> int:
    return sum(len(text.split()) for text in texts)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def rate(label: str, docs: int, n_words: int, seconds: float, base: float | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"what": label, "docs": docs, "seconds": round(seconds, 2),
                           "docs_per_s": round(docs / seconds, 1), "words_per_s": round(n_words / seconds)}  # fmt: skip
    if base:
        row["x_raw_spacy"] = round(row["docs_per_s"] / base, 2)
    return row


def trigger_regex() -> re.Pattern[str]:
    from plotwatch.extract.lexicon import load_triggers
    from plotwatch.extract.prefilter import inflections

    forms = {form for trigger in load_triggers("en") for form in inflections(trigger.lemmas[0], {})}
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b")


class StageClock:
    """A ``pipeline.Progress`` that notes when each stage starts: the seconds of each stage of one run."""

    def __init__(self) -> None:
        self.starts: list[tuple[str, float]] = []

    def start(self, stage: str, total: int | None) -> None:
        self.starts.append((stage, time.perf_counter()))

    def advance(self, count: int = 1) -> None:
        pass

    def seconds(self, end: float) -> dict[str, float]:
        ends = [start for _, start in self.starts[1:]] + [end]
        return {f"{stage}_s": round(stop - start, 2) for (stage, start), stop in zip(self.starts, ends, strict=True)}


def load_models() -> float:
    """Load what a run loads once per process (the English pipeline, the language identifier, the
    prefilter's automaton): model loading is not throughput, as raw spaCy's ``spacy.load`` is not."""
    from plotwatch.extract import load_pipeline
    from plotwatch.extract.language import detect_language
    from plotwatch.extract.prefilter import load_matcher

    return timed(lambda: (load_pipeline(), load_matcher(), detect_language("model loading")))


def pipeline_child(corpus: str, db: str, workers: int, merge: bool = True) -> None:
    """In a fresh process: the full pipeline on ``corpus`` (without the merge step unless ``merge``);
    prints seconds (and per stage), model loading seconds (not included) and peak memory as JSON."""
    from plotwatch import pipeline
    from plotwatch.models import RunStats
    from plotwatch.store import open_store

    clock = StageClock()

    def ingest_and_extract() -> None:
        with open_store(db) as store:
            stats = RunStats()
            pipeline.ingest_into(store, [corpus], stats, progress=clock)
            pipeline.extract_pending(store, stats, workers=workers, progress=clock)

    load_s = load_models()
    start = time.perf_counter()
    pipeline.run([corpus], db, workers=workers, progress=clock) if merge else ingest_and_extract()
    end = time.perf_counter()
    found = {"seconds": end - start, **clock.seconds(end), "load_s": round(load_s, 2), "peak_mb": round(peak_rss_mb())}
    print(json.dumps(found))


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, not ru_maxrss: a child's ru_maxrss
    starts from its parent's at the fork, so it would count the parent's memory too."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_pipeline(corpus: Path, folder: Path, workers: int = 1, merge: bool = True) -> dict[str, Any]:
    db = folder / f"{corpus.stem}.db"
    db.unlink(missing_ok=True)
    command = [sys.executable, "-m", "benchmarks.run", "--child", str(corpus), str(db), "--workers", str(workers)]
    command += [] if merge else ["--no-merge"]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    db.unlink(missing_ok=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def sample_file(articles: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(article) + "\n" for article in articles), encoding="utf-8")
    return path


def scans(texts: list[str], base: float) -> list[dict[str, Any]]:
    from plotwatch.extract.prefilter import is_relevant, load_matcher

    pattern = trigger_regex()
    load_matcher()
    n_words = words(texts)
    regex_s = timed(lambda: [pattern.findall(text.lower()) for text in texts])
    prefilter_s = timed(lambda: [is_relevant(text) for text in texts])
    kept = sum(map(is_relevant, texts))
    rows = [rate("bare regex scan (trigger word forms)", len(texts), n_words, regex_s, base),
            rate("relevance prefilter (is_relevant)", len(texts), n_words, prefilter_s, base)]  # fmt: skip
    rows[-1]["relevant_docs"] = kept
    return rows


def raw_spacy(texts: list[str]) -> dict[str, Any]:
    import spacy

    from plotwatch.extract import MODEL

    start = time.perf_counter()
    nlp = spacy.load(MODEL)
    load_s = time.perf_counter() - start
    seconds = timed(lambda: list(nlp.pipe(texts, batch_size=64)))
    row = rate("raw spaCy nlp.pipe (same model; texts in memory, spacy.load not timed)", len(texts), words(texts),
               seconds)  # fmt: skip
    row["load_s"] = round(load_s, 2)
    return row


def pipelines(label: str, corpus: Path, texts: list[str], base: float, folder: Path,
              workers: int = 1) -> list[dict[str, Any]]:  # fmt: skip
    found = run_pipeline(corpus, folder, workers)
    name = f"full pipeline ({label}{f', {workers} workers' if workers > 1 else ''}; model loading not timed)"
    row = rate(name, len(texts), words(texts), found.pop("seconds"), base)
    return [{**row, **found}]


def spark_vs_local(corpus: Path, texts: list[str], folder: Path) -> list[dict[str, Any]]:
    from plotwatch import pipeline
    from plotwatch.engines import spark as engine

    session = engine.spark_session("local[2]")
    try:
        start_s = timed(lambda: session.sparkContext.parallelize(range(2), 2).count())
        spark_s = timed(lambda: engine.run([str(corpus)], str(folder / "spark.db"), spark=session))
    finally:
        session.stop()
    local_s = timed(lambda: pipeline.run([str(corpus)], str(folder / "local.db")))
    rows = [rate("local engine (1 process)", len(texts), words(texts), local_s),
            rate("spark engine local[2] (after session start)", len(texts), words(texts), spark_s)]  # fmt: skip
    rows[-1]["x_local"] = round(local_s / spark_s, 2)
    rows[-1]["session_start_s"] = round(start_s, 1)
    return rows


def gold_loss() -> list[dict[str, Any]]:
    """Events the extractor finds in the gold sets with the prefilter (as wired) and without it."""
    from unittest import mock

    from plotwatch import extract as stage
    from plotwatch.extract import extract
    from plotwatch.ingest import read_inputs
    from plotwatch.models import Document

    rows = []
    for folder in GOLD_SETS:
        if not (folder / "articles.jsonl").exists():
            continue
        documents = [d for d in read_inputs([str(folder / "articles.jsonl")]) if isinstance(d, Document)]
        masked = {e.event_id for _, events in extract(documents) for e in events}
        with mock.patch.object(stage, "mask_irrelevant", lambda text: text):  # the parser sees every paragraph
            plain = {e.event_id for _, events in extract(documents) for e in events}
        name = f"extracted events kept by the prefilter ({folder.name})"
        rows.append({"what": name, "events": len(plain), "kept": len(plain & masked),
                     "lost": len(plain - masked), "added": len(masked - plain)})  # fmt: skip
    return rows


def bench_size(size: int, sample: int, folder: Path, workers: int) -> list[dict[str, Any]]:
    corpus = write(folder / f"corpus-{size}.jsonl", size)
    articles = load(corpus)
    texts = [article["text"] for article in articles]
    head = sample_file(articles[:sample], folder / f"sample-{sample}.jsonl")
    base_row = raw_spacy(texts[:sample])
    base = base_row["docs_per_s"]
    rows = [base_row, *scans(texts, base)]
    rows += pipelines(f"{min(size, sample)} docs, 5% relevant", head, texts[:sample], base, folder)
    if size > sample:
        rows += pipelines(f"{size} docs, 5% relevant", corpus, texts, base, folder)
    if workers > 1:
        rows += pipelines(f"{size} docs, 5% relevant", corpus, texts, base, folder, workers)
    return rows


def memory(sizes: list[int], share: float, folder: Path, merge: bool) -> list[dict[str, Any]]:
    """Peak memory (and rate) of the pipeline at each size, each in a fresh process."""
    rows = []
    what = "full pipeline" if merge else "ingest + prefilter + extract (no merge)"
    for size in sizes:
        corpus = write(folder / f"memory-{size}.jsonl", size, relevant=share)
        found = run_pipeline(corpus, folder, merge=merge)
        corpus.unlink()
        rows.append({"what": f"{what}, {size} docs, {share:.0%} relevant", "docs": size,
                     "seconds": round(found["seconds"]), "docs_per_s": round(size / found["seconds"], 1),
                     "peak_mb": found["peak_mb"]})  # fmt: skip
    if len(rows) >= 2:
        rows.append({"what": f"peak memory {sizes[-1]} / {sizes[0]} documents",
                     "ratio": round(rows[-1]["peak_mb"] / rows[0]["peak_mb"], 2)})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description="plotwatch benchmarks")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--spark", type=int, default=400, help="documents for Spark vs local (0: skip)")
    parser.add_argument("--workers", type=int, default=1, help="also run the pipeline with this many workers")
    parser.add_argument("--memory", help="sizes for peak memory alone, e.g. 10000,100000")
    parser.add_argument("--relevant-share", type=float, default=0.05, help="relevant share of the --memory corpora")
    parser.add_argument("--no-merge", action="store_true", help="ingest and extract only (with --memory)")
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "DB"))
    args = parser.parse_args()
    if args.child:
        pipeline_child(args.child[0], args.child[1], args.workers, merge=not args.no_merge)
        return
    if args.memory:
        with tempfile.TemporaryDirectory(prefix="plotwatch-bench-") as tmp:
            sizes = [int(size) for size in args.memory.split(",")]
            show(memory(sizes, args.relevant_share, Path(tmp), not args.no_merge), "peak memory by corpus size")
        return
    report(args)


def report(args: argparse.Namespace) -> None:
    from benchmarks import extract

    with tempfile.TemporaryDirectory(prefix="plotwatch-bench-") as tmp:
        folder = Path(tmp)
        sizes = [int(size) for size in args.sizes.split(",")]
        for size in sizes:
            show(bench_size(size, args.sample, folder, args.workers), f"{size} documents")
        relevant = load(write(folder / "relevant.jsonl", 300, relevant=1.0))
        texts = [article["text"] for article in relevant]
        base = raw_spacy(texts)
        show([base, *pipelines("relevant only", folder / "relevant.jsonl", texts, base["docs_per_s"], folder)],
             "relevant-only text, 300 documents")  # fmt: skip
        extract.main([])
        show(gold_loss(), "prefilter loss on the gold sets")
        if args.spark:
            spark_corpus = sample_file(load(folder / f"corpus-{sizes[0]}.jsonl", args.spark), folder / "spark.jsonl")
            spark_texts = [article["text"] for article in load(spark_corpus)]
            show(spark_vs_local(spark_corpus, spark_texts, folder), f"Spark vs local, {args.spark} docs")


def show(rows: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    print(f"\n== {title}")
    for row in rows:
        print("  " + ", ".join(f"{key}={value}" for key, value in row.items()))
    sys.stdout.flush()
    return rows


if __name__ == "__main__":
    main()
