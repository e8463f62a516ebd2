"""The incident filters shared by the list, the map, the timeline and their JSON twins."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlencode

from plotwatch.models import EVENT_TYPES

STATUSES = ("actual", "attempted", "planned", "denied")
REVIEWS = ("", "confirmed", "unreviewed", "rejected", "all")
SCOPES = ("default", "transnational", "all")
SORTS = ("date", "sources", "confidence")
_STATE = re.compile(r"^(?:[A-Z]{3}|EU)$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_AGENCY = re.compile(r"^[\w.-]{1,80}$")


class FilterError(ValueError):
    """A filter value that cannot be used; the message names the parameter and what is allowed."""


@dataclass(frozen=True)
class Filters:
    """What the user asked for; every field optional (``review=""``: all but rejected)."""

    type: str | None = None
    status: str | None = None
    actor: str | None = None  # the state behind it (ISO alpha-3)
    country: str | None = None  # the host country, where it happened
    agency: str | None = None
    since: str | None = None
    until: str | None = None
    min_confidence: float | None = None
    min_sources: int | None = None
    review: str = ""
    scope: str = "default"
    sort: str = "date"

    def params(self, **changes: Any) -> dict[str, str]:
        """The non-default filters as query parameters, with ``changes`` applied."""
        values = asdict(replace(self, **changes))
        defaults = asdict(Filters())
        return {key: str(value) for key, value in values.items() if value is not None and value != defaults[key]}

    def query(self, **changes: Any) -> str:
        """``params`` as a query string (no leading "?")."""
        return urlencode(self.params(**changes))


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        shown = ", ".join(repr(item) for item in allowed)
        raise FilterError(f"{name}={value!r} is not allowed; use one of {shown}")
    return value


def _pattern(name: str, value: str, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.match(value):
        raise FilterError(f"{name}={value!r}: expected {what}")
    return value


def _number(name: str, value: str, kind: type[float] | type[int], low: float, high: float) -> Any:
    try:
        number = kind(value)
    except ValueError:
        raise FilterError(f"{name}={value!r}: expected a number from {low} to {high}") from None
    if not low <= number <= high:
        raise FilterError(f"{name}={value!r}: expected a number from {low} to {high}")
    return number


def _parse_one(name: str, value: str) -> Any:
    if name == "type":
        return _choice(name, value.upper(), EVENT_TYPES)
    if name == "status":
        return _choice(name, value, STATUSES)
    if name in ("actor", "country"):
        return _pattern(name, value.upper(), _STATE, "an ISO 3166 alpha-3 code such as IRN, or EU")
    if name == "agency":
        return _pattern(name, value, _AGENCY, "an agency id such as irn-mois")
    if name in ("since", "until"):
        return _pattern(name, value, _DATE, "a date YYYY, YYYY-MM or YYYY-MM-DD")
    if name == "min_confidence":
        return _number(name, value, float, 0, 1)
    if name == "min_sources":
        return _number(name, value, int, 0, 10_000)
    if name == "review":
        return _choice(name, value, REVIEWS)
    if name == "scope":
        return _choice(name, value, SCOPES)
    return _choice(name, value, SORTS)


FIELDS = tuple(Filters.__dataclass_fields__)


def parse_filters(query: Mapping[str, str]) -> Filters:
    """Filters from query parameters; empty values are ignored, bad ones raise FilterError."""
    values = {name: _parse_one(name, raw.strip()) for name in FIELDS if (raw := query.get(name, "")).strip()}
    return Filters(**values)


def parse_page(query: Mapping[str, str]) -> int:
    raw = query.get("page", "").strip() or "1"
    return int(_number("page", raw, int, 1, 1_000_000))
