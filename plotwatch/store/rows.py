"""Conversions between the model dataclasses and table rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from plotwatch.models import Actor, Document, Event, Evidence, Perpetrator, Place

ACTOR_FIELDS = ("id", "name", "state", "kind", "text")
LIST_FIELDS = ("victims", "physical_targets", "weapons")
# A result row as a mapping (SQLAlchemy's RowMapping is keyed by names and columns).
RowMap = Mapping[Any, Any]


def document_to_row(doc: Document, ingested_at: str, content_hash: str | None = None) -> dict[str, Any]:
    """The documents row of ``doc`` (``content_hash``: its ``doc.content_hash``, when the caller has it)."""
    return {
        "id": content_hash or doc.content_hash,
        "doc_id": doc.doc_id,
        "url": doc.url,
        "title": doc.title,
        "source": doc.source,
        "published": doc.published,
        "language": doc.language,
        "text": doc.text,
        "reader": doc.reader,
        "origin": doc.origin,
        "ingested_at": ingested_at,
    }


def row_to_document(row: RowMap) -> Document:
    return Document(
        doc_id=row["doc_id"],
        text=row["text"],
        url=row["url"],
        title=row["title"],
        published=row["published"],
        language=row["language"],
        source=row["source"],
        origin=row["origin"],
        reader=row["reader"],
    )


def _actor_to_row(role: str, actor: Actor) -> dict[str, Any]:
    return {f"{role}_{name}": getattr(actor, name) for name in ACTOR_FIELDS}


def _row_to_actor(role: str, row: RowMap) -> Actor:
    return Actor(**{name: row[f"{role}_{name}"] for name in ACTOR_FIELDS})


def event_to_row(event: Event) -> dict[str, Any]:
    row: dict[str, Any] = {
        "event_id": event.event_id,
        "doc_id": event.doc_id,
        "incident_id": event.incident_id,
        "type": event.type,
        "status": event.status,
        "hedged": event.hedged,
        "scope": event.scope,
        "date": event.date,
        "date_end": event.date_end,
        "country": event.country,
        "place_name": event.place.name,
        "place_lat": event.place.lat,
        "place_lon": event.place.lon,
        "place_geonameid": event.place.geonameid,
        "place_country": event.place.country,
        "count": event.count,
        "perpetrators": [asdict(perpetrator) for perpetrator in event.perpetrators],
        "evidence_text": event.evidence.text,
        "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "confidence": event.confidence,
        "extractor": event.extractor,
        "trigger": event.trigger,
    }
    row.update({name: list(getattr(event, name)) for name in LIST_FIELDS})
    row.update(_actor_to_row("actor", event.actor))
    row.update(_actor_to_row("target", event.target))
    return row


def row_to_event(row: RowMap) -> Event:
    place = Place(
        name=row["place_name"],
        lat=row["place_lat"],
        lon=row["place_lon"],
        geonameid=row["place_geonameid"],
        country=row["place_country"],
    )
    return Event(
        doc_id=row["doc_id"],
        type=row["type"],
        evidence=Evidence(text=row["evidence_text"], start=row["evidence_start"], end=row["evidence_end"]),
        status=row["status"],
        hedged=bool(row["hedged"]),
        scope=row["scope"],
        date=row["date"],
        date_end=row["date_end"],
        country=row["country"],
        place=place,
        actor=_row_to_actor("actor", row),
        target=_row_to_actor("target", row),
        count=row["count"],
        perpetrators=[Perpetrator(**item) for item in row["perpetrators"]],
        victims=list(row["victims"]),
        physical_targets=list(row["physical_targets"]),
        weapons=list(row["weapons"]),
        confidence=row["confidence"],
        extractor=row["extractor"],
        trigger=row["trigger"],
        incident_id=row["incident_id"],
        event_id=row["event_id"],
    )


def event_record(row: RowMap) -> dict[str, Any]:
    """The export record of an events row joined with its document's url and published.

    The document is rebuilt without its text: ``Event.to_record`` reads only
    its url and published date, and loading every article's text to export
    events would be wasteful.
    """
    document = Document(doc_id=row["doc_id"], text="", url=row["doc_url"], published=row["doc_published"])
    return row_to_event(row).to_record(document)
