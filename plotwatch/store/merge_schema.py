"""Tables of the merge stage: document order and copies, incident history, corroboration, links, cases, reviews.

They live in their own ``MetaData`` (not ``schema.metadata``, which migration 1
creates whole): migration 3 creates them. A later change to one of these
tables needs a migration of its own, and migration 3 must then get a frozen
copy of the definition as it is here.

- ``document_index``: ingestion order (``seq``: earlier documents seed incident
  ids), the MinHash signature and the document it is a near-copy of.
- ``incident_members``: the machine clustering of the last merge (event →
  incident), from which the next merge keeps incident ids stable.
- ``incident_redirects``: old incident id → new id, when incidents were merged
  or split (links from outside keep working).
- ``incident_corroboration``: documents, distinct and independent sources.
- ``incident_links``: response → hostile incident (``response_to``), with the
  evidence sentence or the rule, and a confidence.
- ``cases``: legal cases (arrest → charge → conviction → release) and recall
  episodes (recall → restore), with their steps in order.
- ``review_decisions``: human merge and split decisions, re-applied after
  every merge (confirm, reject and edits are in the web app's
  ``incident_reviews``).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Index, Integer, MetaData, String, Table, Text

from plotwatch.store.schema import JSONText

metadata = MetaData()

document_index = Table(
    "document_index",
    metadata,
    Column("doc_id", String, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("minhash", JSONText),  # list of integers, or NULL before the near-duplicate pass
    Column("copy_of", String),  # doc_id of the first copy, when this document is a near-duplicate
    Column("similarity", Float),  # estimated Jaccard similarity with copy_of
    Index("ix_document_index_seq", "seq"),
)

incident_members = Table(
    "incident_members",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("incident_id", String, nullable=False),
    Column("doc_id", String, nullable=False),
    Column("type", String, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("seed", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),  # of the machine incident
    Index("ix_incident_members_incident", "incident_id"),
    Index("ix_incident_members_doc", "doc_id"),
)

incident_redirects = Table(
    "incident_redirects",
    metadata,
    Column("old_id", String, primary_key=True),
    Column("new_id", String, primary_key=True),
    Column("kind", String, nullable=False),  # merged (old id lives on as new) | split (new split off old) | review
    Column("at", String, nullable=False),
)

incident_corroboration = Table(
    "incident_corroboration",
    metadata,
    Column("incident_id", String, primary_key=True),
    Column("n_documents", Integer, nullable=False),
    Column("n_copies", Integer, nullable=False),
    Column("n_sources", Integer, nullable=False),
    Column("n_independent", Integer, nullable=False),
    Column("state_affiliated", Integer, nullable=False),
    Column("sources", JSONText, nullable=False),
)

incident_links = Table(
    "incident_links",
    metadata,
    Column("link_id", String, primary_key=True),
    Column("kind", String, nullable=False),  # response_to | case_step | recall_episode
    Column("source_id", String, nullable=False),  # the response (or the later step)
    Column("target_id", String, nullable=False),  # the hostile incident (or the earlier step)
    Column("rule", String, nullable=False),
    Column("evidence_doc", String),
    Column("evidence_text", Text),
    Column("confidence", Float, nullable=False),
    Index("ix_incident_links_source", "source_id"),
    Index("ix_incident_links_target", "target_id"),
)

cases = Table(
    "cases",
    metadata,
    Column("case_id", String, primary_key=True),
    Column("kind", String, nullable=False),  # legal | recall
    Column("label", String, nullable=False),
    Column("country", String),
    Column("start", String),
    Column("end", String),
    Column("duration_days", Integer),
    Column("plot_id", String),  # the hostile incident the case answers, if known
    Column("steps", JSONText, nullable=False),  # [{incident_id, type, date, country}], in order
)

review_decisions = Table(
    "review_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("action", String, nullable=False),  # merge | split
    Column("incident_id", String, nullable=False),
    Column("other_id", String),  # merge: the incident folded into incident_id
    Column("event_ids", JSONText, nullable=False),  # split: the events moved out
    Column("who", String, nullable=False),
    Column("at", String, nullable=False),
    Column("why", Text, nullable=False),
    Column("active", Boolean, nullable=False),
)

merge_settings = Table(
    "merge_settings",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

# Handles on the web app's review overlay and audit log (created by migration 2, defined in
# plotwatch/web/tables.py), for the review functions and exports: not created by migration 4.
EDITABLE = ("type", "country", "date", "date_end", "actor_state", "target_state", "label")
shared = MetaData()
incident_reviews = Table(
    "incident_reviews", shared, Column("incident_id", String, primary_key=True), Column("status", String),
    *(Column(name, String) for name in EDITABLE), Column("event_ids", JSONText), Column("updated_at", String),
    Column("updated_by", String),
)  # fmt: skip
audit_log = Table(
    "audit_log", shared, Column("id", Integer, primary_key=True, autoincrement=True), Column("at", String),
    Column("user_name", String), Column("action", String), Column("target_kind", String), Column("target_id", String),
    Column("before", JSONText), Column("after", JSONText), Column("reason", Text),
)  # fmt: skip
