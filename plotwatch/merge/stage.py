"""The merge step of a run, on a store: copies, clustering, stable ids, reviews, corroboration, links.

``merge_store`` re-clusters only the blocks that changed since the last merge
(new or re-extracted events); the other blocks keep their incidents as they
were. Since clustering a block depends on that block's mentions only, this
equals a full re-run (``full=True``, or a new ``MERGE_VERSION``).

It reads the store a block at a time (the blocks come from the distinct
event types and countries): one block's events with their documents' facts,
whose mentions are dropped once the block is clustered. Corroboration reads
the facts of the documents in incidents only.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, RowMapping

from plotwatch.merge import BlockKey, block_key, build_incident, cluster_block
from plotwatch.merge.cluster import THRESHOLD
from plotwatch.merge.ids import Previous, relabel, stable_ids
from plotwatch.merge.links import link_incidents
from plotwatch.merge.mentions import TYPE_GROUPS, DocInfo, Mention
from plotwatch.merge.near_dup import CopyIndex
from plotwatch.merge.sources import corroboration, load_registry
from plotwatch.models import Event, Incident
from plotwatch.review.apply import apply_decisions
from plotwatch.store import Store, merging
from plotwatch.store.migrations import utc_now
from plotwatch.store.rows import row_to_event

__all__ = [
    "MERGE_VERSION",
    "Clustered",
    "MergeOutcome",
    "cluster_blocks",
    "member_rows",
    "merge_store",
    "sign_documents",
]

log = logging.getLogger(__name__)
# Bump when comparators, weights or the threshold change: the next run re-clusters every block.
MERGE_VERSION = f"merge-2/t{THRESHOLD}"  # 2: word-weight sums with math.fsum (the same bits in any process)
SIGNATURES_BATCH = 1000  # signatures written per statement


@dataclass
class Clustered:
    """The machine incidents of a merge, the id history it adds, and how many blocks were clustered again."""

    incidents: list[Incident]
    redirects: list[dict[str, Any]]
    reclustered_blocks: int
    kept_blocks: int


@dataclass
class MergeOutcome:
    incidents: list[Incident]
    reclustered_blocks: int
    kept_blocks: int
    copies: int


def sign_documents(store: Store) -> int:
    """MinHash-sign the documents not signed yet and record which are near-copies; returns copies found."""
    with store.engine.connect() as conn:  # streamed: the texts are signed as they come, not listed
        if not merging.has_unsigned(conn):
            return 0
        index = CopyIndex(capacity=merging.count_indexed(conn))
        for doc_id, values, copy_of in merging.signatures(conn):
            index.add_known(doc_id, values, copy_of)
        for doc_id, text in merging.unsigned_texts(conn):
            index.add_new(doc_id, text)
    copies = 0
    with store.engine.begin() as conn:
        rows = []
        for doc_id, signature, copy_of, estimate in index.resolve():
            rows.append((doc_id, signature.tolist(), copy_of, estimate))
            copies += copy_of is not None
            if len(rows) == SIGNATURES_BATCH:
                merging.set_signatures(conn, rows)
                rows = []
        merging.set_signatures(conn, rows)
    return copies


def _doc_info(row: RowMapping) -> DocInfo:
    """The facts of an event's document, from a ``merging.block_events`` row (none when it is not numbered)."""
    if row["doc_seq"] is None:
        return DocInfo()
    return DocInfo(published=row["doc_published"], seq=row["doc_seq"], copy_of=row["doc_copy_of"],
                   source=row["doc_source"])  # fmt: skip


def _clean(block: Sequence[Mention], previous: Previous, members_of: Mapping[str, set[str]]) -> bool:
    """Whether the block holds exactly the events the previous merge clustered (nothing new, nothing gone)."""
    olds = set()
    for mention in block:
        old = previous.incident_of.get(mention.event.event_id)
        if old is None:
            return False
        olds.add(old)
    known = set().union(*(members_of[old] for old in olds)) if olds else set()
    return known == {mention.event.event_id for mention in block}


def _kept(block: Sequence[Mention], previous: Previous, confidence: Mapping[str, float]) -> list[Incident]:
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in block:
        groups[previous.incident_of[mention.event.event_id]].append(mention)
    return [build_incident(members, confidence[old], old) for old, members in sorted(groups.items())]


def _recluster(block: list[Mention], previous: Previous, redirects: list[dict[str, Any]]) -> list[Incident]:
    incidents = cluster_block(block)
    by_event = {mention.event.event_id: mention for mention in block}
    clusters = [[by_event[event.event_id] for event in incident.events] for incident in incidents]
    plan = stable_ids(clusters, [incident.incident_id for incident in incidents], previous)
    for incident, new_id in zip(incidents, plan.ids, strict=True):
        if new_id != incident.incident_id:
            relabel(incident, new_id)
    now = utc_now()
    redirects.extend({"old_id": old, "new_id": new, "kind": "merged", "at": now} for old, new in plan.merged)
    redirects.extend({"old_id": old, "new_id": new, "kind": "split", "at": now} for old, new in plan.split)
    return incidents


def _member_row(incident: Incident, event: Event, seed: bool) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "incident_id": incident.incident_id,
        "doc_id": event.doc_id,
        "type": event.type,
        "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "seed": seed,
        "confidence": incident.confidence,
    }


def member_rows(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """The ``incident_members`` rows of ``incidents`` (what the next merge reads as the previous one)."""
    return [
        _member_row(incident, event, position == 0)
        for incident in incidents
        for position, event in enumerate(incident.events)
    ]


def _previous(rows: Sequence[Mapping[str, Any]]) -> tuple[Previous, dict[str, set[str]], dict[str, float]]:
    members_of: dict[str, set[str]] = defaultdict(set)
    confidence: dict[str, float] = {}
    for row in rows:
        members_of[row["incident_id"]].add(row["event_id"])
        confidence[row["incident_id"]] = row["confidence"]
    return Previous.from_rows(rows), members_of, confidence


class _Blocks:
    """Blocks clustered one at a time against the previous merge: each keeps its incidents or is clustered again.

    Blocks may be added in any order; the result lists them by the position each was given.
    """

    def __init__(self, previous_rows: Sequence[Mapping[str, Any]], full: bool) -> None:
        self.previous, self.members_of, self.confidence = _previous(previous_rows)
        self.full = full
        self.parts: dict[int, tuple[list[Incident], list[dict[str, Any]]]] = {}
        self.reclustered = 0
        self.kept = 0

    def add(self, block: list[Mention], position: int | None = None) -> None:
        """Cluster (or keep) one block's mentions, whole; ``position`` orders the result (default: as added)."""
        position = len(self.parts) if position is None else position
        redirects: list[dict[str, Any]] = []
        if not self.full and _clean(block, self.previous, self.members_of):
            incidents = _kept(block, self.previous, self.confidence)
            self.kept += 1
        else:
            incidents = _recluster(block, self.previous, redirects)
            self.reclustered += 1
        self.parts[position] = (incidents, redirects)

    def result(self) -> Clustered:
        parts = [self.parts[position] for position in sorted(self.parts)]
        incidents = [incident for found, _ in parts for incident in found]
        redirects = [row for _, rows in parts for row in rows]
        return Clustered(incidents, redirects, self.reclustered, self.kept)


def cluster_blocks(
    mentions: Iterable[Mention], previous_rows: Sequence[Mapping[str, Any]] = (), full: bool = False
) -> Clustered:
    """The machine incidents of ``mentions``, block by block.

    A block that holds exactly the events the previous merge clustered
    (``previous_rows``: its ``member_rows``) keeps its incidents, unless
    ``full``; any other block is clustered again, its incidents keeping the
    previous ids where they can (``ids.py``).
    """
    blocks: dict[BlockKey, list[Mention]] = defaultdict(list)
    for mention in mentions:
        blocks[block_key(mention)].append(mention)
    clustered = _Blocks(previous_rows, full)
    for key in sorted(blocks):
        clustered.add(blocks[key])
    return clustered.result()


@dataclass
class BlockQuery:
    """What selects one block's events (a block key is (type group, country or "")), and how many there are."""

    types: set[str] = field(default_factory=set)
    countries: set[str | None] = field(default_factory=set)
    size: int = 0


def _block_queries(kinds: Iterable[tuple[str, str | None, int]]) -> list[BlockQuery]:
    """The queries of the blocks, in ``BlockKey`` order, from the distinct (type, country, events) of the events."""
    blocks: dict[BlockKey, BlockQuery] = defaultdict(BlockQuery)
    for type_, country, size in kinds:
        block = blocks[(TYPE_GROUPS.get(type_, type_), country or "")]
        block.types.add(type_)
        block.countries.add(country)
        block.size += size
    return [blocks[key] for key in sorted(blocks)]


def _block_mentions(conn: Connection, types: Collection[str], countries: Collection[str | None]) -> list[Mention]:
    rows = merging.block_events(conn, types, countries)
    return [Mention(row_to_event(row), _doc_info(row)) for row in rows]


def _cluster_store(conn: Connection, full: bool) -> Clustered:
    """``cluster_blocks`` of every stored event, reading the events of one block at a time."""
    full = full or merging.get_setting(conn, "merge_version") != MERGE_VERSION
    clustered = _Blocks(merging.read_members(conn), full)
    queries = _block_queries(merging.event_kinds(conn))
    # The largest block first: its working memory is freed before the other blocks' incidents pile up.
    for position in sorted(range(len(queries)), key=lambda k: (-queries[k].size, k)):
        block = _block_mentions(conn, queries[position].types, queries[position].countries)
        if block:  # empty only if its events went meanwhile (PostgreSQL reads each query's own snapshot)
            clustered.add(block, position)
    return clustered.result()


def _incident_facts(conn: Connection, incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    """``merging.doc_facts`` of the documents of ``incidents`` and of the originals they are copies of."""
    facts = merging.doc_facts(conn, {doc_id for incident in incidents for doc_id in incident.documents})
    known = {row["doc_id"] for row in facts}
    originals = {row["copy_of"] for row in facts if row["copy_of"] and row["copy_of"] not in known}
    return facts + merging.doc_facts(conn, originals)


def _corroboration_rows(incidents: Sequence[Incident], facts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    registry = load_registry()
    by_doc = {row["doc_id"]: row for row in facts}
    rows = []
    for incident in incidents:
        doc_ids = sorted(incident.documents, key=lambda doc_id: (by_doc.get(doc_id, {}).get("seq") or 0, doc_id))
        rows.append({"incident_id": incident.incident_id, **corroboration(doc_ids, by_doc, registry)})
    return rows


def merge_store(store: Store, full: bool = False) -> MergeOutcome:
    """Merge the store's events into incidents and store them with their history, sources, links and cases."""
    with store.engine.begin() as conn:
        merging.index_missing(conn)
    copies = sign_documents(store)
    with store.engine.connect() as conn:  # one block's mentions at a time (module docstring)
        decisions = merging.decisions(conn)
        history = merging.read_redirects(conn)
        clustered = _cluster_store(conn, full)
    machine, redirects = clustered.incidents, clustered.redirects
    settings = {"merge_version": MERGE_VERSION}
    rows = merging.MergeRows(members=member_rows(machine), machine_redirects=redirects, settings=settings)
    machine_history = [row for row in [*history, *redirects] if row["kind"] != "review"]  # reviews: re-derived
    forward = merging.forward_map(machine_history)
    final, rows.review_redirects = apply_decisions(machine, decisions, forward)
    with store.engine.connect() as conn:
        rows.corroboration = _corroboration_rows(final, _incident_facts(conn, final))
    links, cases = link_incidents(final)
    rows.links = [link.row() for link in {link.link_id: link for link in links}.values()]
    rows.cases = [case.row() for case in cases]
    store.save_merge(final, rows)
    log.info("merge: %d incidents, %d blocks re-clustered, %d kept", len(final), clustered.reclustered_blocks,
             clustered.kept_blocks)  # fmt: skip
    return MergeOutcome(final, clustered.reclustered_blocks, clustered.kept_blocks, copies)
