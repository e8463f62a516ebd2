"""Size caps that keep one oversized input from exhausting memory.

``MAX_TEXT_CHARS`` is the default; ``read_inputs(..., max_chars=N)`` changes it
for one call.
"""

from __future__ import annotations

MAX_TEXT_CHARS = 5_000_000
"""Default cap on one document's text, in characters after normalisation."""

BYTES_PER_CHAR = 8
"""Raw input (file, or JSONL line) may be this many bytes per allowed character.

Generous on purpose: markup and JSON escapes take room. The exact check is on
the extracted text; this one only stops us from reading a huge file whole.
"""


MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024
"""Default cap on what one compressed file (.gz) or archive member (.zip) unpacks to.

A zip bomb unpacks a few kilobytes into gigabytes; reading stops at this cap
and the input is reported. A larger real file can be split or unpacked first.
"""

MAX_FETCH_BYTES = 20 * 1024 * 1024
"""Default cap on one fetched web page or feed, decoded."""

MAX_RAW_KEPT = 1024 * 1024
"""Originals up to this many bytes are kept with their document; larger ones by hash and size only."""


def raw_limit(max_chars: int) -> int:
    """The most bytes read for one document before it is refused unread."""
    return max_chars * BYTES_PER_CHAR


def hint(max_chars: int) -> str:
    """What to do about a document over the cap (one line)."""
    return f"split it, or pass a larger max_chars than {max_chars:,} to plotwatch.ingest.read_inputs"


def too_long_text(chars: int, max_chars: int) -> str:
    return f"document text is {chars:,} characters, over the {max_chars:,}-character cap; {hint(max_chars)}"


def too_many_bytes(what: str, max_chars: int) -> str:
    limit = raw_limit(max_chars)
    return f"{what} is over {limit:,} bytes, the cap for one document; {hint(max_chars)}"


def too_big_unpacked(limit: int) -> str:
    return (
        f"the file unpacks to more than {limit:,} bytes (a zip bomb, or an archive too large to read); "
        "unpack it and give the files, or raise IngestOptions.max_decompressed"
    )
