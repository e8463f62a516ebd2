"""plotwatch: state-sponsored plots abroad and host-state responses, from the news."""

from __future__ import annotations

from plotwatch.errors import PlotwatchError
from plotwatch.models import Document, Event, Incident

__all__ = ["Document", "Event", "Incident", "PlotwatchError", "__version__", "run"]
__version__ = "0.1.0"


def run(paths: list[str], db: str) -> object:
    """Ingest, extract and merge ``paths`` into ``db`` (see plotwatch.pipeline.run)."""
    from plotwatch.pipeline import run as _run

    return _run(paths, db)
