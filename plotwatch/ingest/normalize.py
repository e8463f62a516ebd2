"""Text clean-up shared by every reader, so offsets mean the same everywhere."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# C0 and C1 controls except \t and \n, DEL, the BOM / zero-width no-break
# space, and lone surrogates (JSON can carry "\ud800"; they cannot be encoded).
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029\x85]")
_DATE_PREFIX = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?", re.DOTALL)


def normalize_text(text: str) -> str:
    """NFC, \\n line ends, no control characters but \\n and \\t; ends stripped."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _UNWANTED.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def normalize_line(text: str) -> str:
    """A one-line field (title, source): normalised, whitespace runs collapsed."""
    return " ".join(normalize_text(text).split())


def paragraphs(lines: str) -> str:
    """Join one-paragraph-per-line text with blank lines between paragraphs."""
    kept = (line.strip() for line in lines.split("\n"))
    return "\n\n".join(line for line in kept if line)


def iso_date(value: str) -> str | None:
    """``YYYY-MM-DD`` from a date or date-time string; None when it is not one."""
    match = _DATE_PREFIX.fullmatch(value.strip())
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


def language_code(tag: str) -> str | None:
    """The primary subtag of a language tag, lower case: "en-GB" → "en"."""
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if 2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha():
        return primary
    return None
