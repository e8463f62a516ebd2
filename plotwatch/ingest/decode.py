"""Bytes to text: byte-order mark, UTF-8, a declared charset, then detection."""

from __future__ import annotations

import codecs

import charset_normalizer

# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
_SAMPLE_BYTES = 8192
_MAX_CONTROL_SHARE = 0.05

NOT_TEXT = "the file is binary or in an unknown encoding, not text; convert it to UTF-8 text or HTML"


def decode_bytes(data: bytes, declared: str | None = None) -> str | None:
    """The text in ``data``, or None when it does not look like text at all.

    ``declared`` is a charset the input names itself (an HTML meta tag); it is
    tried after UTF-8, which is checked strictly and is right far more often.
    """
    if not data:
        return ""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data, encoding)
    if looks_binary(data):
        return None
    text = _strict(data, "utf-8") or _strict(data, declared)
    if text is not None:
        return text
    best = charset_normalizer.from_bytes(data).best()
    return None if best is None else str(best)


def looks_binary(data: bytes) -> bool:
    """True when many of the first bytes are control bytes text never has."""
    sample = data[:_SAMPLE_BYTES]
    if not sample:
        return False
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls / len(sample) > _MAX_CONTROL_SHARE


def _strict(data: bytes, encoding: str | None) -> str | None:
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
