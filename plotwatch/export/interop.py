"""Incidents in the layouts of other tools: GeoJSON, PLOVER-style JSON, an ACLED-like CSV.

Each reads the incidents as the analytics do (``analyze.load_facts``: review
edits applied, rejected incidents left out). The mapping of the 16 event types
to PLOVER categories and ACLED event types is documented in docs/exports.md.
"""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

from plotwatch.analyze import IncidentFacts, load_facts
from plotwatch.analyze.facts import precision
from plotwatch.store import Store

__all__ = ["ACLED_COLUMNS", "INTEROP_FORMATS", "PLOVER", "write_interop"]

# type -> (PLOVER event category, PLOVER mode; None when the report does not say how)
PLOVER: dict[str, tuple[str, str | None]] = {
    "KILL": ("ASSAULT", None), "ATTACK": ("ASSAULT", None), "KIDNAP": ("COERCE", "seize"),
    "SURVEIL": ("COERCE", "surveil"), "SPY": ("COERCE", "surveil"), "THREATEN": ("THREATEN", "coerce"),
    "ARREST": ("COERCE", "seize"), "CHARGE": ("ACCUSE", "allege"), "CONVICT": ("COERCE", "punish"),
    "RELEASE": ("CONCEDE", "release"), "EXPEL": ("COERCE", "expel"), "SUMMON": ("ACCUSE", "disapprove"),
    "RECALL": ("SANCTION", "reduce_relations"), "RESTORE": ("COOPERATE", "restore_relations"),
    "SANCTION": ("SANCTION", "sanction"), "SEVER": ("SANCTION", "break_relations"),
}  # fmt: skip
# type -> (ACLED event_type, sub_event_type)
ACLED = {
    "KILL": ("Violence against civilians", "Attack"), "ATTACK": ("Violence against civilians", "Attack"),
    "KIDNAP": ("Violence against civilians", "Abduction/forced disappearance"),
    "ARREST": ("Strategic developments", "Arrests"),
}  # fmt: skip
OTHER = ("Strategic developments", "Other")
ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
                 "plotwatch_type", "actor1", "actor2", "iso3", "latitude", "longitude", "geo_precision",
                 "source", "notes")  # fmt: skip
TIME_PRECISION = {"day": 1, "month": 2, "year": 3}
INTEROP_FORMATS = ("geojson", "plover", "acled")


def _properties(incident: IncidentFacts) -> dict[str, Any]:
    return {"incident_id": incident.incident_id, "type": incident.type, "date": incident.date,
            "first_reported": incident.first_reported, "country": incident.country,
            "actor_state": incident.actor_state, "target_state": incident.target_state, "label": incident.label,
            "hostile": incident.hostile}  # fmt: skip


def geojson(incidents: list[IncidentFacts]) -> dict[str, Any]:
    """A FeatureCollection of the geocoded incidents as points ([lon, lat], WGS 84)."""
    placed = [i for i in incidents if i.lat is not None and i.lon is not None]
    features = [{"type": "Feature", "id": i.incident_id, "properties": _properties(i),
                 "geometry": {"type": "Point", "coordinates": [i.lon, i.lat]}} for i in placed]  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def plover(incident: IncidentFacts) -> dict[str, Any]:
    category, mode = PLOVER[incident.type]
    return {"id": incident.incident_id, "date": incident.date or incident.first_reported,
            "date_precision": precision(incident.date) or "undated", "event_type": category, "mode": mode,
            "actor": incident.actor_state, "recipient": incident.target_state, "country": incident.country,
            "latitude": incident.lat, "longitude": incident.lon, "plotwatch_type": incident.type,
            "event_text": incident.label}  # fmt: skip


def acled(incident: IncidentFacts) -> dict[str, Any]:
    event_type, sub = ACLED.get(incident.type, OTHER)
    when = incident.date or incident.first_reported
    return {"event_id_cnty": incident.incident_id, "event_date": when, "year": when[:4] if when else "",
            "time_precision": TIME_PRECISION.get(precision(incident.date) or "", 3), "event_type": event_type,
            "sub_event_type": sub, "plotwatch_type": incident.type, "actor1": incident.actor_state or "",
            "actor2": incident.target_state or "", "iso3": incident.country or "",
            "latitude": "" if incident.lat is None else incident.lat,
            "longitude": "" if incident.lon is None else incident.lon,
            "geo_precision": 1 if incident.lat is not None else "", "source": "plotwatch",
            "notes": incident.label}  # fmt: skip


def write_interop(store: Store, fmt: str, out: TextIO) -> int:
    """Write every live incident as ``fmt`` (geojson, plover, acled) to ``out``; returns the records written."""
    incidents = sorted(
        load_facts(store).incidents.values(), key=lambda i: (i.date or i.first_reported or "", i.incident_id)
    )
    if fmt == "geojson":
        collection = geojson(incidents)
        json.dump(collection, out, ensure_ascii=False)
        return len(collection["features"])
    if fmt == "plover":
        json.dump([plover(i) for i in incidents], out, ensure_ascii=False, indent=1)
        return len(incidents)
    writer = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(acled(i) for i in incidents)
    return len(incidents)
