"""Writing records as JSON Lines or CSV, one at a time."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO


def ordered(record: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """``record`` with ``keys`` first, in that order (the schema's order), then the rest."""
    first = {key: record[key] for key in keys if key in record}
    return {**first, **{key: value for key, value in record.items() if key not in first}}


def write_jsonl(records: Iterable[dict[str, Any]], keys: Sequence[str], out: TextIO) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(ordered(record, keys), ensure_ascii=False) + "\n")
        n += 1
    return n


def flat_value(value: Any) -> Any:
    """A CSV cell: lists as JSON, booleans as true/false, None as empty."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted columns: {"place": {"name": x}} -> {"place.name": x}."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = flat_value(value)
    return flat


def write_csv(records: Iterable[dict[str, Any]], columns: Sequence[str], out: TextIO) -> int:
    """A header of ``columns``, then one row a record; a field not in ``columns`` is an error."""
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    n = 0
    for record in records:
        writer.writerow(flatten(record))
        n += 1
    return n
