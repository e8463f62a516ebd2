"""Checking export records against the JSON Schemas in ``plotwatch/schemas``."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

KINDS = ("event", "incident", "case", "link")


@cache
def _schema(kind: str) -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"unknown record kind {kind!r}: use one of {', '.join(KINDS)}")
    text = resources.files("plotwatch.schemas").joinpath(f"{kind}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(_schema(kind))


def load_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of the ``kind`` ("event" or "incident") record (a copy)."""
    return copy.deepcopy(_schema(kind))


def validate_record(record: dict[str, Any], kind: str) -> None:
    """Raise ``jsonschema.ValidationError`` (the most relevant one) if ``record`` breaks its schema."""
    _validator(kind).validate(record)


def flat_columns(kind: str) -> list[str]:
    """The record's fields in schema order, nested objects as dotted names (place.name)."""
    schema = _schema(kind)
    return _flatten_properties(schema, schema, "")


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not ref:
        return node
    target: dict[str, Any] = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def _flatten_properties(node: dict[str, Any], root: dict[str, Any], prefix: str) -> list[str]:
    columns: list[str] = []
    for name, child in node["properties"].items():
        child = _resolve(child, root)
        if child.get("type") == "object" and "properties" in child:
            columns.extend(_flatten_properties(child, root, f"{prefix}{name}."))
        else:
            columns.append(prefix + name)
    return columns
