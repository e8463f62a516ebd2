"""Merge time and memory as the database grows (issue 7): 10,000 → 100,000 events, which must stay near-linear.

The events are generated here (no extraction): incidents of every type in
40 countries (a few of them most of the news), each reported 1 to 6 times,
over the years a feed of ``EVENTS_PER_YEAR`` events covers (so a database ten
times larger spans ten times the years, as one that grows does). A mention is
dated to the day, the month or the year, or undated (30%, as in the gold
sets); some are follow-ups published months or years later, repeats in the
same document or wire copies. Each incident has its own words, place, names,
sponsor or target state and count, which its mentions share in part.

For each size, each in a fresh process (peak memory is the process's VmHWM):

- ``full``: ``merge_events`` of all N events;
- ``incremental``: a store holding N events merged, then 10% more added and
  ``merge_store`` run again (the path ``plotwatch run`` takes);
- ``block``: the adversarial case, N/20 events of one type in one country
  over one year (one block, all of it inside a few date windows);
- ``store``: ``merge_store`` end to end on a SQLite store (signatures,
  clustering, links and cases, writes): the first merge of N events
  (``first_*``), then the merge after 10% more arrive, with the seconds in
  clustering (``stage._cluster_store``, the blocks read and clustered one at a
  time) and in ``link_incidents`` told apart.

It prints one JSON row per run and the ratios of the largest size to the
smallest: time per event and peak memory.

    python -m benchmarks.merge [--sizes 10000,20000,50000,100000] [--runs full,incremental,block,store]
                               [--store-sizes 1000,2000,4000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.run import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
EVENTS_PER_YEAR = 10_000
START = date(2010, 1, 1)
COUNTRIES = ["GBR", "DEU", "FRA", "USA", "NLD", "TUR", "SWE", "BEL", "CAN", "DNK", "AUT", "ITA", "ESP", "NOR",
             "AUS", "CHE", "POL", "GRC", "IRL", "CZE", "FIN", "PRT", "HUN", "ROU", "BGR", "SRB", "ALB", "GEO",
             "UKR", "LTU", "LVA", "EST", "KEN", "ZAF", "UGA", "THA", "MYS", "JPN", "KOR", "NZL"]  # fmt: skip
SPONSORS = ["IRN", "RUS", "CHN", "TUR", "SAU", "RWA", "BLR", "PRK", "EGY", "ERI", "VNM", "PAK"]
TYPES = {"ARREST": 18, "CHARGE": 8, "CONVICT": 6, "RELEASE": 3, "EXPEL": 10, "SUMMON": 6, "RECALL": 2,
         "RESTORE": 1, "SANCTION": 6, "SEVER": 1, "KILL": 6, "ATTACK": 8, "KIDNAP": 4, "SURVEIL": 6, "SPY": 10,
         "THREATEN": 5}  # fmt: skip
HOSTILE = {"KILL", "ATTACK", "KIDNAP", "SURVEIL", "SPY", "THREATEN"}
PLACED = HOSTILE | {"ARREST"}
COUNTED = {"ARREST", "CHARGE", "EXPEL", "CONVICT"}
PHRASES = {"ARREST": ["police arrested", "officers detained", "authorities held"],
           "CHARGE": ["prosecutors charged", "an indictment named"], "CONVICT": ["a court convicted",
           "judges sentenced"], "RELEASE": ["authorities released", "freed"], "EXPEL": ["expelled",
           "ordered out"], "SUMMON": ["summoned the ambassador of", "called in the envoy of"],
           "RECALL": ["recalled its ambassador from"], "RESTORE": ["restored relations with"],
           "SANCTION": ["imposed sanctions on", "froze assets of"], "SEVER": ["cut diplomatic ties with"],
           "KILL": ["was shot dead", "was poisoned"], "ATTACK": ["a bomb plot targeted", "gunmen attacked"],
           "KIDNAP": ["was abducted", "agents kidnapped"], "SURVEIL": ["followed and photographed",
           "watched the home of"], "SPY": ["spied on exiles", "collected information on"],
           "THREATEN": ["threatened", "sent death threats to"]}  # fmt: skip
COMMON = ["security", "intelligence", "service", "government", "agents", "exiles", "dissident", "embassy",
          "investigation", "officials", "ministry", "suspects", "activist", "journalist", "opposition",
          "diaspora", "community", "network", "foreign", "state"]  # fmt: skip
SYLLABLES = ["ka", "lo", "mir", "ven", "tor", "sa", "bel", "dun", "ri", "gas", "hol", "ne", "pra", "vik", "zen",
             "tam", "or", "lis", "ber", "cu", "mon", "fa", "ged", "ish", "wal"]  # fmt: skip


def pseudo_word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


class World:
    """The fixed vocabulary of a generated feed: topic words, surnames, towns of every country."""

    def __init__(self, rng: random.Random) -> None:
        self.words = sorted({pseudo_word(rng, 3) for _ in range(8000)})
        self.surnames = sorted({pseudo_word(rng, 3).title() for _ in range(3000)})
        self.towns: dict[str, list[tuple[str, float, float, int]]] = {}
        for rank, country in enumerate(COUNTRIES):
            lat, lon = rng.uniform(-35, 60), rng.uniform(-120, 140)
            self.towns[country] = [
                (pseudo_word(rng, 2).title() + "burg", lat + rng.uniform(-3, 3), lon + rng.uniform(-3, 3),
                 1_000_000 + rank * 100 + k)
                for k in range(12)
            ]  # fmt: skip
        self.country_weights = [1 / (rank + 1) for rank in range(len(COUNTRIES))]


def _incident(world: World, rng: random.Random, day: date, type_: str | None, country: str | None) -> dict[str, Any]:
    type_ = type_ or rng.choices(list(TYPES), weights=list(TYPES.values()))[0]
    country = country or rng.choices(COUNTRIES, weights=world.country_weights)[0]
    names = rng.sample(world.surnames, rng.randint(1, 2)) if rng.random() < 0.4 else []
    return {
        "type": type_, "country": country, "day": day, "words": rng.sample(world.words, 5),
        "state": rng.choice(SPONSORS), "count": rng.randint(1, 6) if type_ in COUNTED and rng.random() < 0.5 else None,
        "town": rng.choice(world.towns[country]) if type_ in PLACED else None, "names": names,
        "status": "planned" if type_ in HOSTILE and rng.random() < 0.05 else "actual",
    }  # fmt: skip


def _date(rng: random.Random, day: date) -> str | None:
    roll = rng.random()
    if roll < 0.30:
        return None
    if roll < 0.33:
        return f"{day.year}"
    if roll < 0.45:
        return f"{day.year}-{day.month:02d}"
    return (day + timedelta(days=1 if rng.random() < 0.05 else 0)).isoformat()


def _sentence(incident: dict[str, Any], rng: random.Random) -> str:
    parts = [rng.choice(PHRASES[incident["type"]]), *rng.sample(incident["words"], 3), *rng.sample(COMMON, 2)]
    parts += [name for name in incident["names"] if rng.random() < 0.7]
    if incident["town"] and rng.random() < 0.6:
        parts += ["in", incident["town"][0]]
    text = " ".join(parts)
    return text[0].upper() + text[1:] + "."


class Feed:
    """Generated events with their documents' facts and texts, in publication (ingestion) order."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.docs: dict[str, Any] = {}  # doc_id -> DocInfo
        self.texts: dict[str, str] = {}

    def add_doc(self, published: date, copy_of: str | None = None) -> str:
        from plotwatch.merge import DocInfo

        doc_id = f"m{len(self.docs):07d}"
        self.docs[doc_id] = DocInfo(published=published.isoformat(), seq=len(self.docs), copy_of=copy_of)
        self.texts[doc_id] = f"Report {doc_id}."  # a wire copy's text is not its original's
        return doc_id

    def add_event(self, doc_id: str, sentence: str, incident: dict[str, Any], rng: random.Random, dated: bool) -> None:
        start = len(self.texts[doc_id]) + 1
        self.texts[doc_id] = f"{self.texts[doc_id]} {sentence}"
        self.events.append(_event(doc_id, sentence, start, incident, rng, dated))

    def by_document(self, share: float = 1.0) -> list[tuple[Any, list[Any]]]:
        """(Document, events) in publication order: the first ``share`` of the documents if < 1, else all."""
        from plotwatch.models import Document

        events: dict[str, list[Any]] = {doc_id: [] for doc_id in self.docs}
        for event in self.events:
            events[event.doc_id].append(event)
        order = sorted((doc_id for doc_id in self.docs if events[doc_id]), key=lambda d: self.docs[d].published)
        return [(Document(doc_id=doc_id, text=self.texts[doc_id], published=self.docs[doc_id].published,
                          source="bench"), events[doc_id]) for doc_id in order]  # fmt: skip


def _event(doc_id: str, sentence: str, start: int, incident: dict[str, Any], rng: random.Random, dated: bool) -> Any:
    from plotwatch.models import Actor, Event, Evidence, Perpetrator, Place

    type_, town = incident["type"], incident["town"]
    place = Place(town[0], town[1], town[2], town[3], incident["country"]) if town and rng.random() < 0.8 else Place()
    state = Actor(state=incident["state"]) if rng.random() < 0.6 else Actor()
    named = [name for name in incident["names"] if rng.random() < 0.6]
    return Event(
        doc_id=doc_id, type=type_, evidence=Evidence(sentence, start, start + len(sentence)),
        status=incident["status"], date=_date(rng, incident["day"]) if dated else None, country=incident["country"],
        place=place, actor=state if type_ in HOSTILE else Actor(), target=Actor() if type_ in HOSTILE else state,
        count=incident["count"] if rng.random() < 0.6 else None,
        perpetrators=[Perpetrator(name) for name in named] if type_ != "KILL" else [],
        victims=named if type_ == "KILL" else [], confidence=round(rng.uniform(0.4, 0.9), 2),
        trigger=incident["type"].lower(),
    )  # fmt: skip


def _report(feed: Feed, world_rng: random.Random, incident: dict[str, Any], docs: list[str]) -> None:
    """One more mention of ``incident``: a repeat in one of its documents, a wire copy, or a new report."""
    rng = world_rng
    roll = rng.random()
    if docs and roll < 0.10:  # "the expulsion": undated, in a document that reported it
        feed.add_event(rng.choice(docs), _sentence(incident, rng), incident, rng, dated=False)
        return
    if docs and roll < 0.15:  # a wire copy: the same sentence, published the same day or the next
        original = rng.choice(docs)
        published = date.fromisoformat(feed.docs[original].published) + timedelta(days=rng.randint(0, 1))
        doc_id = feed.add_doc(published, copy_of=original)
        first = next(event for event in reversed(feed.events) if event.doc_id == original)
        feed.add_event(doc_id, first.evidence.text, incident, rng, dated=first.date is not None)
        docs.append(doc_id)
        return
    lag = rng.randint(0, 7) if rng.random() < 0.85 else rng.randint(30, 1000)  # news, or a follow-up
    doc_id = feed.add_doc(incident["day"] + timedelta(days=lag))
    feed.add_event(doc_id, _sentence(incident, rng), incident, rng, dated=True)
    docs.append(doc_id)


def generate(count: int, seed: int = 7, type_: str | None = None, country: str | None = None,
             days: int | None = None) -> Feed:  # fmt: skip
    """``count`` events; incidents over ``days`` (default: as many as EVENTS_PER_YEAR takes), reproducible."""
    rng = random.Random(seed)
    world = World(rng)
    span = days or max(30, round(count / EVENTS_PER_YEAR * 365))
    feed = Feed()
    while len(feed.events) < count:
        incident = _incident(world, rng, START + timedelta(days=rng.randrange(span)), type_, country)
        docs: list[str] = []
        for _ in range(min(6, 1 + int(rng.expovariate(0.7)))):
            _report(feed, rng, incident, docs)
    del feed.events[count:]
    return feed


def _incidents_rows(incidents: list[Any]) -> dict[str, Any]:
    sizes = [len(incident.events) for incident in incidents]
    return {"incidents": len(incidents), "largest_incident": max(sizes, default=0)}


def _held(feed: Feed, count: int) -> list[tuple[Any, list[Any]]]:
    """The documents published first that hold ``count`` events (the database before it grew)."""
    held, total = [], 0
    for document, events in feed.by_document():
        if total >= count:
            break
        held.append((document, events))
        total += len(events)
    return held


def _blocks(mentions: list[Any]) -> dict[str, Any]:
    from plotwatch.merge import block_key

    sizes: dict[Any, int] = {}
    for mention in mentions:
        sizes[block_key(mention)] = sizes.get(block_key(mention), 0) + 1
    return {"blocks": len(sizes), "largest_block": max(sizes.values())}


def _timed(action: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    before = peak_rss_mb()
    start = time.perf_counter()
    result = action()
    return result, {"seconds": time.perf_counter() - start, "peak_mb": peak_rss_mb(), "peak_before_mb": before}


def run_full(count: int, seed: int, rows: str) -> dict[str, Any]:
    """``merge_events`` of the first ``count`` events of a feed of ``count`` * 1.1; its members saved to ``rows``."""
    from plotwatch.merge import mentions_of, merge_events
    from plotwatch.merge.stage import member_rows

    feed = generate(round(count * 1.1), seed)
    events = [event for _, events in _held(feed, count) for event in events]
    incidents, measured = _timed(lambda: merge_events(events, feed.docs))
    Path(rows).write_text(json.dumps(member_rows(incidents)), encoding="utf-8")
    return {**_blocks(mentions_of(events, feed.docs)), **measured, **_incidents_rows(incidents)}


def run_incremental(count: int, seed: int, rows: str) -> dict[str, Any]:
    """The whole feed (10% more events, the latest) merged as ``merge_store`` does after ``run_full``'s merge:
    blocks without a new event keep their incidents, the others are clustered again with stable ids."""
    from plotwatch.merge import mentions_of
    from plotwatch.merge.stage import cluster_blocks

    feed = generate(round(count * 1.1), seed)
    previous = json.loads(Path(rows).read_text(encoding="utf-8"))
    clustered, measured = _timed(lambda: cluster_blocks(mentions_of(feed.events, feed.docs), previous))
    return {"new_events": len(feed.events) - len(previous), **measured, **_incidents_rows(clustered.incidents),
            "reclustered_blocks": clustered.reclustered_blocks, "kept_blocks": clustered.kept_blocks}  # fmt: skip


def run_block(count: int, seed: int, rows: str) -> dict[str, Any]:
    """The adversarial case: ``count`` events of one type in one country within one year."""
    from plotwatch.merge import merge_events

    feed = generate(count, seed, type_="ARREST", country="GBR", days=365)
    incidents, measured = _timed(lambda: merge_events(feed.events, feed.docs))
    return {"blocks": 1, "largest_block": count, **measured, **_incidents_rows(incidents)}


def _store(db: str, pieces: Sequence[tuple[Any, list[Any]]]) -> None:
    from plotwatch.store import open_store

    with open_store(db) as store:
        for start in range(0, len(pieces), 2000):
            piece = pieces[start : start + 2000]
            store.add_documents([document for document, _ in piece])
            store.save_extractions([(document.doc_id, events) for document, events in piece], "bench")


# The functions of merge_store timed apart, and the name each is printed under.
STORE_PARTS = {"_cluster_store": "cluster_blocks", "link_incidents": "link_incidents"}


def _clocked(function: Callable[..., Any], spent: dict[str, float], name: str) -> Callable[..., Any]:
    def clocked(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start

    return clocked


def run_store(count: int, seed: int, rows: str) -> dict[str, Any]:
    """``merge_store`` end to end (signatures, clustering, links, cases, writes): first of a store of ``count``
    events never merged (``first_*``), then after 10% more events arrive; the time in clustering and in links
    and cases told apart."""
    feed = generate(round(count * 1.1), seed)
    held = _held(feed, count)
    db = str(Path(rows).with_suffix(".db"))
    _store(db, held)
    _, first = _merge_store(db)
    known = {document.doc_id for document, _ in held}
    _store(db, [piece for piece in feed.by_document() if piece[0].doc_id not in known])
    outcome, measured = _merge_store(db)
    return {**measured, **{f"first_{key}": value for key, value in first.items() if "peak" not in key},
            **_incidents_rows(outcome.incidents)}  # fmt: skip


def _merge_store(db: str) -> tuple[Any, dict[str, float]]:
    """``merge_store`` on ``db``, timed, with the seconds spent in ``STORE_PARTS``."""
    from plotwatch.merge import stage
    from plotwatch.store import open_store

    spent = dict.fromkeys(STORE_PARTS.values(), 0.0)
    originals = {name: getattr(stage, name) for name in STORE_PARTS}
    for name, function in originals.items():
        setattr(stage, name, _clocked(function, spent, STORE_PARTS[name]))
    try:
        with open_store(db) as store:
            outcome, measured = _timed(lambda: stage.merge_store(store))
    finally:
        for name, function in originals.items():
            setattr(stage, name, function)
    return outcome, {**measured, **{f"{name}_seconds": value for name, value in spent.items()}}


RUNS: dict[str, Callable[[int, int, str], dict[str, Any]]] = {
    "full": run_full,
    "incremental": run_incremental,
    "block": run_block,
    "store": run_store,
}


def _round(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else value


def measure(run: str, count: int, seed: int, rows: str) -> dict[str, Any]:
    """One run in a fresh process (its own peak memory)."""
    command = [sys.executable, "-m", "benchmarks.merge", "--child", run, "--count", str(count), "--seed", str(seed),
               "--rows", rows]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    row = {"run": run, "events": count, **json.loads(done.stdout.strip().splitlines()[-1])}
    print(json.dumps(row), flush=True)
    return row


def ratios(rows: list[dict[str, Any]], run: str, seconds: str = "seconds") -> dict[str, Any] | None:
    """Time per event (``seconds``) and peak memory (of the process, and added by the merge) of the largest size
    to the smallest."""
    found = sorted((row for row in rows if row["run"] == run), key=lambda row: row["events"])
    if len(found) < 2:
        return None
    small, large = found[0], found[-1]
    per_event = (large[seconds] / large["events"]) / (small[seconds] / small["events"])
    added = [max(1.0, row["peak_mb"] - row["peak_before_mb"]) for row in (small, large)]
    name = run if seconds == "seconds" else f"{run} {seconds}"
    return {"ratio": name, "events": f"{small['events']} -> {large['events']}", "x_events": large["events"] / small[
        "events"], "x_time_per_event": round(per_event, 2), "x_peak_mb": round(large["peak_mb"] / small["peak_mb"], 2),
        "x_merge_mb": round(added[1] / added[0], 2)}  # fmt: skip


RATIOS = [("full", "seconds"), ("incremental", "seconds"), ("store", "seconds"), ("store", "first_seconds"),
          ("store", "link_incidents_seconds"), ("store", "first_link_incidents_seconds")]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000,50000,100000", help="event counts, comma-separated")
    parser.add_argument("--runs", default="full,incremental,block,store", help="which runs, comma-separated")
    parser.add_argument("--block", type=int, default=5000, help="events in the one block of the block run")
    parser.add_argument("--store-sizes", help="event counts of the store run (default: --sizes)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", choices=sorted(RUNS), help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rows", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        found = RUNS[args.child](args.count, args.seed, args.rows)
        print(json.dumps({key: _round(value) for key, value in found.items()}))
        return
    runs, rows = args.runs.split(","), []
    with tempfile.TemporaryDirectory() as folder:
        for count in [int(size) for size in args.sizes.split(",")]:
            members = str(Path(folder) / f"members-{count}.json")
            rows += [measure(run, count, args.seed, members) for run in ("full", "incremental") if run in runs]
        if "block" in runs:
            rows.append(measure("block", args.block, args.seed, str(Path(folder) / "block")))
        for count in [int(size) for size in (args.store_sizes or args.sizes).split(",")] if "store" in runs else []:
            rows.append(measure("store", count, args.seed, str(Path(folder) / f"store-{count}")))
    for run, seconds in RATIOS:
        if (ratio := ratios(rows, run, seconds)) is not None:
            print(json.dumps(ratio), flush=True)


if __name__ == "__main__":
    main()
