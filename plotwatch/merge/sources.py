"""Corroboration: how many documents, sources and independent sources stand behind an incident.

The source registry (``data/sources.json``, or the file named by the
``PLOTWATCH_SOURCES`` environment variable) says who owns which outlet:
``name``, ``aliases``, ``domains``, ``owner``, ``state_affiliated`` and
``state``. A document's source is found by its ``source`` field (name or
alias) or its URL's domain; an outlet not in the registry is its own owner.

- documents: every document that reports the incident;
- sources: distinct outlets (a wire copy republished elsewhere adds one);
- independent sources: distinct owners, where a wire copy counts as its
  original's owner (so it adds nothing) and outlets of one owner count once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from plotwatch.errors import ConfigError

__all__ = ["ENV_VAR", "Registry", "Source", "corroboration", "load_registry"]

ENV_VAR = "PLOTWATCH_SOURCES"


@dataclass(frozen=True)
class Source:
    name: str
    owner: str
    state_affiliated: bool = False
    state: str | None = None
    registered: bool = True


@dataclass
class Registry:
    by_name: dict[str, Source] = field(default_factory=dict)
    by_domain: dict[str, Source] = field(default_factory=dict)

    def source_of(self, name: str | None, url: str | None) -> Source | None:
        """The outlet of a document, from its source name or its URL; None when neither is known."""
        if name and (found := self.by_name.get(name.strip().casefold())):
            return found
        domain = _domain(url)
        if domain:
            parts = domain.split(".")
            for start in range(len(parts) - 1):
                if found := self.by_domain.get(".".join(parts[start:])):
                    return found
        label = (name or "").strip() or domain
        return Source(name=label, owner=label, registered=False) if label else None


def _domain(url: str | None) -> str:
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.").lower()


def _entry(item: Mapping[str, Any], where: str) -> tuple[Source, list[str], list[str]]:
    try:
        name = str(item["name"])
        source = Source(name, str(item.get("owner") or name), bool(item.get("state_affiliated")), item.get("state"))
        aliases = [name, *map(str, item.get("aliases", []))]
        return source, aliases, [str(domain).lower() for domain in item.get("domains", [])]
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{where}: a source entry lacks a name or is malformed ({item!r}); fix it") from exc


def parse_registry(text: str, where: str) -> Registry:
    """A registry from the JSON text of a sources file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{where}: not valid JSON ({exc}); fix the sources file") from exc
    items = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(f'{where}: expected {{"sources": [...]}}; see plotwatch/merge/data/sources.json')
    registry = Registry()
    for item in items:
        source, aliases, domains = _entry(item, where)
        for alias in aliases:
            registry.by_name.setdefault(alias.casefold(), source)
        for domain in domains:
            registry.by_domain.setdefault(domain, source)
    return registry


@lru_cache(maxsize=8)
def _load(path: str | None) -> Registry:
    if path is None:
        text = resources.files("plotwatch.merge").joinpath("data", "sources.json").read_text("utf-8")
        return parse_registry(text, "plotwatch/merge/data/sources.json")
    try:
        return parse_registry(Path(path).read_text("utf-8"), path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the sources file ({exc}); check {ENV_VAR}") from exc


def load_registry(path: str | None = None) -> Registry:
    """The registry at ``path``, else at $PLOTWATCH_SOURCES, else the bundled one."""
    return _load(path or os.environ.get(ENV_VAR) or None)


def corroboration(
    doc_ids: Sequence[str], facts: Mapping[str, Mapping[str, Any]], registry: Registry
) -> dict[str, Any]:
    """Counts and the per-source list for one incident; ``facts`` maps doc_id to source, url, copy_of."""
    outlets: dict[str, dict[str, Any]] = {}
    owners: set[str] = set()
    copies = 0
    for doc_id in doc_ids:
        fact = facts.get(doc_id, {})
        source = registry.source_of(fact.get("source"), fact.get("url")) or Source(doc_id, doc_id, registered=False)
        original = fact.get("copy_of")
        copies += bool(original)
        first = facts.get(original, {}) if original else fact
        owner = registry.source_of(first.get("source"), first.get("url")) or source
        owners.add(owner.owner)
        outlet = outlets.setdefault(source.name, {
            "source": source.name, "owner": source.owner, "state_affiliated": source.state_affiliated,
            "state": source.state, "doc_ids": [], "copies": 0,
        })  # fmt: skip
        outlet["doc_ids"].append(doc_id)
        outlet["copies"] += bool(original)
    return {
        "n_documents": len(doc_ids),
        "n_copies": copies,
        "n_sources": len(outlets),
        "n_independent": len(owners),
        "state_affiliated": sum(1 for outlet in outlets.values() if outlet["state_affiliated"]),
        "sources": sorted(outlets.values(), key=lambda outlet: (-len(outlet["doc_ids"]), outlet["source"])),
    }
