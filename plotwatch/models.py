"""Dataclasses that carry data between the pipeline stages.

These are the contract between ``ingest``, ``extract``, ``resolve``, ``merge``,
``store`` and ``export``: a stage takes and returns these types and nothing
else. The JSON shape of an exported event (DESIGN.md, "Event record") is
``Event.to_record()``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EVENT_TYPES: tuple[str, ...] = (
    "KILL", "ATTACK", "KIDNAP", "SURVEIL", "SPY", "THREATEN",
    "ARREST", "CHARGE", "CONVICT", "RELEASE", "EXPEL", "SUMMON",
    "RECALL", "RESTORE", "SANCTION", "SEVER",
)  # fmt: skip
HOSTILE_TYPES = frozenset({"KILL", "ATTACK", "KIDNAP", "SURVEIL", "SPY", "THREATEN"})
RESPONSE_TYPES = frozenset(EVENT_TYPES) - HOSTILE_TYPES

Status = Literal["actual", "attempted", "planned", "denied"]
Scope = Literal["transnational", "domestic", "unknown"]
ActorKind = Literal["state", "agency", "group", "person", "diplomat", "dissident",
                    "journalist", "community", "official", "other"]  # fmt: skip


def content_hash(text: str) -> str:
    """The document id: SHA-256 of the whitespace-normalised text."""
    normal = " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Document:
    """One ingested article. ``doc_id`` is the input's own id (or the hash)."""

    doc_id: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    language: str | None = None
    source: str | None = None
    origin: str | None = None  # where it was read: "path:line"
    reader: str = "text"
    # Provenance (optional, left out of ==): when and how the original was fetched, and what it was.
    fetched_at: str | None = field(default=None, compare=False)  # ISO 8601 UTC; a WARC record's capture date
    http_status: int | None = field(default=None, compare=False)  # of the response the text came from
    raw_size: int | None = field(default=None, compare=False)  # bytes of the original (page, file, line)
    raw_sha256: str | None = field(default=None, compare=False)  # SHA-256 of those bytes, hex
    raw: bytes | None = field(default=None, repr=False, compare=False)  # the original, when small enough to keep

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class IngestError:
    """A piece of input that could not be read; the batch goes on without it."""

    origin: str  # file and position, e.g. "articles.jsonl:12"
    message: str


@dataclass
class Actor:
    """A participant resolved to a canonical id (ISO alpha-3 for states)."""

    id: str | None = None
    name: str | None = None
    state: str | None = None
    kind: str | None = None
    text: str | None = None


@dataclass
class Place:
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    country: str | None = None


@dataclass
class Evidence:
    """The supporting sentence; ``doc.text[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass
class Perpetrator:
    text: str
    kind: Literal["person", "organization"] = "person"


@dataclass
class Event:
    """One event mention with its arguments and evidence (DESIGN.md)."""

    doc_id: str
    type: str
    evidence: Evidence
    status: Status = "actual"
    hedged: bool = False
    scope: Scope = "unknown"
    date: str | None = None
    date_end: str | None = None
    country: str | None = None
    place: Place = field(default_factory=Place)
    actor: Actor = field(default_factory=Actor)
    target: Actor = field(default_factory=Actor)
    count: int | None = None
    perpetrators: list[Perpetrator] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)
    physical_targets: list[str] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    confidence: float = 0.5
    extractor: str = ""
    trigger: str = ""
    incident_id: str | None = None
    event_id: str = ""

    def __post_init__(self) -> None:
        if not self.event_id:
            key = f"{self.doc_id}|{self.type}|{self.evidence.start}|{self.evidence.end}|{self.trigger}"
            self.event_id = "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def to_record(self, document: Document | None = None) -> dict[str, Any]:
        """The DESIGN.md event record (export contract)."""
        record = asdict(self)
        record.pop("trigger")
        record.pop("place")
        place = asdict(self.place)
        place.pop("country")
        record["place"] = place
        record["doc_url"] = document.url if document else None
        record["published"] = document.published if document else None
        return record


@dataclass
class Incident:
    """A cluster of events of one type describing the same real-world event."""

    incident_id: str
    type: str
    events: list[Event]
    confidence: float = 0.5

    @property
    def documents(self) -> set[str]:
        return {event.doc_id for event in self.events}


@dataclass
class RunStats:
    """What one ``run`` did, for the CLI to print."""

    documents_read: int = 0
    documents_new: int = 0
    events: int = 0
    incidents: int = 0
    errors: list[IngestError] = field(default_factory=list)
