"""Settings of one ingest call: size caps, CSV columns, feed links, fetching.

Every field has a default that suits a batch of news files; ``read_inputs``
takes one ``IngestOptions`` (or builds the default one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plotwatch import __version__
from plotwatch.ingest.limits import MAX_DECOMPRESSED_BYTES, MAX_FETCH_BYTES, MAX_RAW_KEPT, MAX_TEXT_CHARS

USER_AGENT = f"plotwatch/{__version__} (news research; reads robots.txt)"
"""What plotwatch calls itself on the web; robots.txt rules for "plotwatch" apply to it."""

ROBOTS_AGENT = "plotwatch"


@dataclass(frozen=True)
class FetchOptions:
    """How URLs are fetched (httpx)."""

    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # a whole response, however slowly it trickles in
    retries: int = 3  # after the first try, for timeouts, connection errors, 429 and 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_retry_after: float = 120.0  # a longer Retry-After is an error (try again later)
    max_bytes: int = MAX_FETCH_BYTES  # decoded body size cap
    per_host_interval: float = 1.0  # seconds between two requests to one host
    max_redirects: int = 5
    respect_robots: bool = True


@dataclass(frozen=True)
class CsvOptions:
    """Which CSV column holds which document field.

    ``columns`` maps a document field ("id", "url", "title", "published",
    "text", "html", "language", "source") to a column name; fields not given
    are looked up by their own name and a few usual aliases ("body",
    "content", "headline", "link", "date").
    """

    columns: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None  # None: "\t" for .tsv, else guessed from the header line


@dataclass(frozen=True)
class IngestOptions:
    """Everything ``read_inputs`` can be told."""

    max_chars: int = MAX_TEXT_CHARS  # one document's text
    max_decompressed: int = MAX_DECOMPRESSED_BYTES  # one .gz file or .zip member, unpacked
    max_raw_kept: int = MAX_RAW_KEPT  # originals up to this size travel with the document
    follow_links: bool = False  # fetch the page each feed item links to
    csv: CsvOptions = field(default_factory=CsvOptions)
    fetch: FetchOptions = field(default_factory=FetchOptions)


def parse_columns(pairs: list[str]) -> dict[str, str]:
    """``["text=body", "published=date"]`` → ``{"text": "body", "published": "date"}``; ValueError when malformed."""
    from plotwatch.ingest.tabular import FIELDS  # tabular imports this module

    columns: dict[str, str] = {}
    for pair in pairs:
        field_name, sep, column = pair.partition("=")
        field_name, column = field_name.strip().lower(), column.strip()
        if not sep or not column or field_name not in FIELDS:
            raise ValueError(f"{pair!r} is not FIELD=COLUMN with FIELD one of {', '.join(FIELDS)}")
        columns[field_name] = column
    return columns
