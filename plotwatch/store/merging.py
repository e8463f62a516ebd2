"""Reading and writing the merge stage's tables (``merge_schema.py``), on a connection.

``Store`` exposes these as methods; they are functions here so that one merge
can write incidents, members, history, corroboration, links and cases in a
single transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, RowMapping, Select, bindparam, delete, exists, func, insert, or_, select, update

from plotwatch.store.merge_schema import (
    cases,
    document_index,
    incident_corroboration,
    incident_links,
    incident_members,
    incident_redirects,
    incident_reviews,
    merge_settings,
    review_decisions,
)
from plotwatch.store.schema import documents, events

STREAM = 1000  # rows fetched at a time when streaming
CHUNK = 500  # ids in one IN (...) list

__all__ = [
    "MergeRows",
    "assign_seq",
    "block_events",
    "count_indexed",
    "doc_facts",
    "event_kinds",
    "forward_map",
    "has_unsigned",
    "read_members",
    "read_redirects",
    "replace_rows",
    "resolve_redirect",
    "save_redirects",
    "save_rows",
    "set_signatures",
    "unsigned_texts",
]


def assign_seq(conn: Connection, doc_id: str) -> int:
    """Give a newly stored document the next ingestion number (documents ingested earlier seed ids)."""
    last = conn.execute(select(func.max(document_index.c.seq))).scalar()
    seq = int(last or 0) + 1
    conn.execute(insert(document_index).values(doc_id=doc_id, seq=seq))
    return seq


def index_missing(conn: Connection) -> int:
    """Number documents that have no ingestion number (stored by an older plotwatch), in ingestion order."""
    missing = (
        select(documents.c.doc_id)
        .where(~documents.c.doc_id.in_(select(document_index.c.doc_id)))
        .order_by(documents.c.ingested_at, documents.c.doc_id)
    )
    n = 0
    for row in conn.execute(missing).all():
        assign_seq(conn, row.doc_id)
        n += 1
    return n


def _facts_query() -> Select[Any]:
    return (
        select(
            documents.c.doc_id,
            documents.c.published,
            documents.c.source,
            documents.c.url,
            document_index.c.seq,
            document_index.c.copy_of,
            document_index.c.similarity,
        )
        .join(document_index, document_index.c.doc_id == documents.c.doc_id)
        .order_by(document_index.c.seq)
    )


def doc_facts(conn: Connection, doc_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """doc_id, published, source, url, seq, copy_of and similarity of the documents ``doc_ids`` (default: every
    document), by ingestion order (for ``doc_ids``: within each chunk of ids)."""
    if doc_ids is None:
        return [dict(row._mapping) for row in conn.execute(_facts_query())]
    ids = sorted(set(doc_ids))
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), CHUNK):
        query = _facts_query().where(documents.c.doc_id.in_(ids[start : start + CHUNK]))
        rows.extend(dict(row._mapping) for row in conn.execute(query))
    return rows


def event_kinds(conn: Connection) -> list[tuple[str, str | None, int]]:
    """The distinct (type, country) of the stored events, each with its number of events:
    what the merge's blocks are made of."""
    query = select(events.c.type, events.c.country, func.count()).group_by(events.c.type, events.c.country)
    return [(row[0], row[1], int(row[2])) for row in conn.execute(query)]


def block_events(conn: Connection, types: Collection[str], countries: Collection[str | None]) -> Iterator[RowMapping]:
    """The events rows of ``types`` in ``countries`` (None: no country), by document and position, streamed.

    Each row also has its document's facts: ``doc_published``, ``doc_source``,
    ``doc_seq``, ``doc_copy_of``; ``doc_seq`` is None when the document is
    not stored or not numbered.
    """
    known = [country for country in countries if country is not None]
    where = [events.c.country.in_(known)] if known else []
    if None in countries:
        where.append(events.c.country.is_(None))
    query = (
        select(
            events,
            documents.c.published.label("doc_published"),
            documents.c.source.label("doc_source"),
            document_index.c.seq.label("doc_seq"),
            document_index.c.copy_of.label("doc_copy_of"),
        )
        .select_from(events.outerjoin(documents, documents.c.doc_id == events.c.doc_id))
        .outerjoin(document_index, document_index.c.doc_id == documents.c.doc_id)
        .where(events.c.type.in_(sorted(types)) & or_(*where))
        .order_by(events.c.doc_id, events.c.evidence_start, events.c.event_id)
    )
    yield from conn.execution_options(yield_per=STREAM).execute(query).mappings()


def has_unsigned(conn: Connection) -> bool:
    """Whether some document has no MinHash signature yet."""
    return bool(conn.execute(select(exists().where(document_index.c.minhash.is_(None)))).scalar())


def count_indexed(conn: Connection) -> int:
    """How many documents have an ingestion number (signed or not): room for every signature."""
    return int(conn.execute(select(func.count()).select_from(document_index)).scalar() or 0)


def signatures(conn: Connection) -> Iterator[tuple[str, list[int], str | None]]:
    """(doc_id, MinHash values, copy_of) of every signed document, in ingestion order, streamed."""
    query = (
        select(document_index.c.doc_id, document_index.c.minhash, document_index.c.copy_of)
        .where(document_index.c.minhash.is_not(None))
        .order_by(document_index.c.seq)
    )
    for row in conn.execution_options(yield_per=STREAM).execute(query):
        yield row.doc_id, row.minhash, row.copy_of


def unsigned_texts(conn: Connection) -> Iterator[tuple[str, str]]:
    """(doc_id, text) of the documents without a signature yet, in ingestion order, streamed."""
    query = (
        select(document_index.c.doc_id, documents.c.text)
        .join(documents, documents.c.doc_id == document_index.c.doc_id)
        .where(document_index.c.minhash.is_(None))
        .order_by(document_index.c.seq)
    )
    for row in conn.execution_options(yield_per=STREAM).execute(query):
        yield row.doc_id, row.text


def set_signature(
    conn: Connection, doc_id: str, values: list[int], copy_of: str | None, similarity: float | None
) -> None:
    set_signatures(conn, [(doc_id, values, copy_of, similarity)])


def set_signatures(conn: Connection, rows: Sequence[tuple[str, list[int], str | None, float | None]]) -> None:
    """Record (doc_id, values, copy_of, similarity) of many documents in one statement."""
    if not rows:
        return
    query = (
        update(document_index)
        .where(document_index.c.doc_id == bindparam("b_doc_id"))
        .values(minhash=bindparam("b_minhash"), copy_of=bindparam("b_copy_of"), similarity=bindparam("b_similarity"))
    )
    params = [
        {"b_doc_id": doc_id, "b_minhash": values, "b_copy_of": copy_of, "b_similarity": similarity}
        for doc_id, values, copy_of, similarity in rows
    ]
    conn.execute(query, params)


def read_members(conn: Connection) -> list[dict[str, Any]]:
    """The machine clustering of the last merge: one row per event."""
    return [dict(row._mapping) for row in conn.execute(select(incident_members))]


def read_redirects(conn: Connection) -> list[dict[str, Any]]:
    """Every recorded old id → new id, with its kind (merged, split, review) and when."""
    query = select(incident_redirects).order_by(incident_redirects.c.at, incident_redirects.c.old_id)
    return [dict(row._mapping) for row in conn.execute(query)]


FOLLOWED = ("merged", "review")


def forward_map(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """old id → new id for ids that live on in another incident (merges, machine or human)."""
    return {row["old_id"]: row["new_id"] for row in rows if row["kind"] in FOLLOWED}


def resolve_redirect(forward: Mapping[str, str], incident_id: str) -> str:
    """Follow old → new ids to the current one (a chain of merges ends at the last id)."""
    seen = {incident_id}
    while incident_id in forward:
        incident_id = forward[incident_id]
        if incident_id in seen:
            break
        seen.add(incident_id)
    return incident_id


def save_redirects(conn: Connection, machine: Sequence[Mapping[str, Any]], review: Sequence[Mapping[str, Any]],
                   live: Iterable[str]) -> None:  # fmt: skip
    """Add this merge's machine redirects, replace the review ones, and un-redirect live ids."""
    conn.execute(delete(incident_redirects).where(incident_redirects.c.kind == "review"))
    for row in machine:
        same = (incident_redirects.c.old_id == row["old_id"]) & (incident_redirects.c.new_id == row["new_id"])
        conn.execute(delete(incident_redirects).where(same))
    rows = [dict(row) for row in (*machine, *review)]
    if rows:
        conn.execute(insert(incident_redirects), rows)
    ids = list(live)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        gone = incident_redirects.c.old_id.in_(part) & incident_redirects.c.kind.in_(FOLLOWED)
        conn.execute(delete(incident_redirects).where(gone))


TABLES = {
    "members": incident_members,
    "corroboration": incident_corroboration,
    "links": incident_links,
    "cases": cases,
}


def replace_rows(conn: Connection, name: str, rows: Sequence[dict[str, Any]]) -> None:
    """Rewrite one of the merge's derived tables (members, corroboration, links, cases)."""
    table = TABLES[name]
    conn.execute(delete(table))
    if rows:
        conn.execute(insert(table), list(rows))


def get_setting(conn: Connection, key: str) -> str | None:
    return conn.execute(select(merge_settings.c.value).where(merge_settings.c.key == key)).scalar()


def set_setting(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(merge_settings).where(merge_settings.c.key == key))
    conn.execute(insert(merge_settings).values(key=key, value=value))


def decisions(conn: Connection) -> list[dict[str, Any]]:
    """Active human merge/split decisions, oldest first."""
    query = select(review_decisions).where(review_decisions.c.active.is_(True)).order_by(review_decisions.c.id)
    return [dict(row._mapping) for row in conn.execute(query)]


@dataclass
class MergeRows:
    """Everything a merge writes besides the incidents themselves (``Store.save_merge``)."""

    members: list[dict[str, Any]] = field(default_factory=list)
    corroboration: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    machine_redirects: list[dict[str, Any]] = field(default_factory=list)
    review_redirects: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)


def save_rows(conn: Connection, rows: MergeRows, live: Sequence[str]) -> None:
    for name in TABLES:
        replace_rows(conn, name, getattr(rows, name))
    save_redirects(conn, rows.machine_redirects, rows.review_redirects, live)
    for key, value in rows.settings.items():
        set_setting(conn, key, value)


def corroboration_of(conn: Connection, incident_id: str) -> dict[str, Any] | None:
    table = incident_corroboration
    row = conn.execute(select(table).where(table.c.incident_id == incident_id)).mappings().first()
    return dict(row) if row else None


def links_of(conn: Connection, incident_id: str | None, kind: str | None) -> list[dict[str, Any]]:
    table = incident_links
    query = select(table).order_by(table.c.kind, table.c.source_id, table.c.target_id)
    if incident_id is not None:
        query = query.where((table.c.source_id == incident_id) | (table.c.target_id == incident_id))
    if kind is not None:
        query = query.where(table.c.kind == kind)
    return [dict(row) for row in conn.execute(query).mappings()]


def cases_of(conn: Connection, incident_id: str | None) -> list[dict[str, Any]]:
    rows = [dict(row) for row in conn.execute(select(cases).order_by(cases.c.start, cases.c.case_id)).mappings()]
    if incident_id is None:
        return rows
    return [row for row in rows if any(step["incident_id"] == incident_id for step in row["steps"])]


def copies(conn: Connection) -> list[dict[str, Any]]:
    query = (
        select(document_index.c.doc_id, document_index.c.copy_of, document_index.c.similarity)
        .where(document_index.c.copy_of.is_not(None))
        .order_by(document_index.c.seq)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def enrich(conn: Connection, records: dict[str, dict[str, Any]]) -> None:
    """Add review status (edited fields applied), sources, links and case ids to incident records."""
    ids = list(records)
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        for row in conn.execute(select(incident_reviews).where(incident_reviews.c.incident_id.in_(part))).mappings():
            record = records[row["incident_id"]]
            record["review"] = row["status"] or "unreviewed"
            record.update({name: row[name] for name in EDITABLE_FIELDS if row[name] is not None})
        table = incident_corroboration
        for row in conn.execute(select(table).where(table.c.incident_id.in_(part))).mappings():
            found = dict(row)
            found.pop("incident_id")
            records[row["incident_id"]]["sources"] = found
        links = incident_links
        query = select(links).where(links.c.source_id.in_(part) | links.c.target_id.in_(part)).order_by(links.c.link_id)
        for row in conn.execute(query).mappings():
            link = {k: row[k] for k in ("link_id", "kind", "source_id", "target_id", "rule", "confidence")}
            for end in ("source_id", "target_id"):
                if row[end] in records and link not in records[row[end]]["links"]:
                    records[row[end]]["links"].append(link)
    for row in conn.execute(select(cases.c.case_id, cases.c.steps)).mappings():
        for step in row["steps"]:
            if step["incident_id"] in records:
                records[step["incident_id"]]["case_ids"].append(row["case_id"])


EDITABLE_FIELDS = ("type", "country", "date", "date_end", "actor_state", "target_state", "label")


def rejected(conn: Connection) -> set[str]:
    """Incidents a reviewer rejected."""
    query = select(incident_reviews.c.incident_id).where(incident_reviews.c.status == "rejected")
    return {row.incident_id for row in conn.execute(query)}
