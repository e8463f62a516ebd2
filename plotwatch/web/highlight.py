"""Evidence highlighting: a document's text cut into plain and marked segments.

The segments are plain strings; the templates escape them and wrap the marked
ones in ``<mark>``. Nothing here produces markup, so hostile article text stays
text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CONTEXT = 320  # characters of context either side of an evidence sentence


@dataclass(frozen=True)
class Segment:
    text: str
    mark: bool = False
    key: str | None = None  # the event the marked text supports

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "mark": self.mark, "key": self.key}


def locate(text: str, evidence: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the evidence is in ``text``: its offsets when they match, else its first occurrence."""
    if 0 <= start < end <= len(text) and text[start:end] == evidence:
        return start, end
    if evidence:
        found = text.find(evidence)
        if found >= 0:
            return found, found + len(evidence)
    return None


def _context_start(text: str, start: int) -> int:
    """The start of the evidence's paragraph, or a word start at most CONTEXT characters back."""
    paragraph = text.rfind("\n\n", 0, start)
    paragraph = 0 if paragraph < 0 else paragraph + 2
    earliest = start - CONTEXT
    if paragraph >= earliest:
        return paragraph
    space = text.find(" ", earliest, start)
    return space + 1 if space >= 0 else earliest


def _context_end(text: str, end: int) -> int:
    """The end of the evidence's paragraph, or a word end at most CONTEXT characters on."""
    paragraph = text.find("\n\n", end)
    paragraph = len(text) if paragraph < 0 else paragraph
    latest = end + CONTEXT
    if paragraph <= latest:
        return paragraph
    space = text.rfind(" ", end, latest)
    return space if space >= 0 else latest


def excerpt(text: str, start: int, end: int, key: str | None = None) -> list[Segment]:
    """The evidence ``text[start:end]`` marked, with some context, "…" where the text was cut."""
    left = min(_context_start(text, start), start)
    right = max(_context_end(text, end), end)
    segments = [Segment("…" if left > 0 else ""), Segment(text[left:start]), Segment(text[start:end], True, key)]
    segments += [Segment(text[end:right]), Segment("…" if right < len(text) else "")]
    return [segment for segment in segments if segment.text]


def highlight_all(text: str, spans: Sequence[tuple[int, int, str]]) -> list[Segment]:
    """The whole ``text`` with every span (start, end, key) marked; overlapping spans are joined."""
    segments: list[Segment] = []
    position = 0
    for start, end, key in sorted(spans):
        start = max(start, position)
        if end <= start:
            continue
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], True, key))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments
