"""GeoJSON, PLOVER-style JSON and ACLED-like CSV exports of incidents, read back by their readers' rules."""

from __future__ import annotations

import csv
import io
import json

from jsonschema import Draft202012Validator

from plotwatch.analyze import IncidentFacts
from plotwatch.export.interop import ACLED_COLUMNS, PLOVER, acled, geojson, plover
from plotwatch.models import EVENT_TYPES

INCIDENTS = [
    IncidentFacts("inc-1", "KILL", "DEU", "2019-08-23", "RUS", None, "2019-08-24", "KILL in DEU", 52.52, 13.4),
    IncidentFacts("inc-2", "EXPEL", "DEU", "2019-12", None, "RUS", "2019-12-04", "EXPEL in DEU"),
    IncidentFacts("inc-3", "RECALL", None, None, "NLD", "IRN", "2018-03-08", "RECALL"),
]
PLOVER_CATEGORIES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                     "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}  # fmt: skip


def _check_feature(feature: dict[str, object]) -> None:
    """RFC 7946: a Feature has a Point geometry of [lon, lat] within range, and an object of properties."""
    assert feature["type"] == "Feature"
    geometry = feature["geometry"]
    assert isinstance(geometry, dict) and geometry["type"] == "Point"
    lon, lat = geometry["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert isinstance(feature["properties"], dict)


def test_geojson_is_a_feature_collection_of_points() -> None:
    collection = json.loads(json.dumps(geojson(INCIDENTS)))
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == ["inc-1"]
    for feature in collection["features"]:
        _check_feature(feature)
    assert collection["features"][0]["geometry"]["coordinates"] == [13.4, 52.52]
    assert collection["features"][0]["properties"]["actor_state"] == "RUS"


def test_every_type_maps_to_a_plover_category() -> None:
    assert set(PLOVER) == set(EVENT_TYPES)
    assert {category for category, _ in PLOVER.values()} <= PLOVER_CATEGORIES
    schema = {"type": "object", "required": ["id", "date", "event_type", "actor", "recipient"],
              "properties": {"event_type": {"enum": sorted(PLOVER_CATEGORIES)}}}  # fmt: skip
    validator = Draft202012Validator(schema)
    records = json.loads(json.dumps([plover(i) for i in INCIDENTS]))
    for record in records:
        validator.validate(record)
    assert records[2]["date"] == "2018-03-08" and records[2]["date_precision"] == "undated"


def test_acled_csv_reads_back() -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(acled(i) for i in INCIDENTS)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["event_type"] for row in rows] == [
        "Violence against civilians", "Strategic developments", "Strategic developments"]  # fmt: skip
    assert [row["time_precision"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["latitude"] == "52.52" and rows[1]["latitude"] == ""
