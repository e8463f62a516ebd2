"""Near-duplicate documents: wire copies and lightly edited republications (MinHash + LSH).

Each document's text becomes a set of word shingles (``SHINGLE`` words in a
row), summarised by a MinHash signature (datasketch, ``NUM_PERM`` hash
functions, fixed seed so signatures are stable across runs). An LSH index
finds earlier documents whose estimated Jaccard similarity is at least
``COPY_THRESHOLD``; the new document is recorded as a copy of the earliest
one (the first copy, never a copy of a copy). A copy keeps its events (they
carry its own evidence offsets) and joins the incidents of its original
(``compare.wire_copy``), but it counts once for corroboration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

__all__ = ["COPY_THRESHOLD", "CopyFinder", "Signed", "find_copies", "signature", "similarity"]

SHINGLE = 4
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch 2 permutation scheme; stored signatures depend on it
# Estimated Jaccard similarity of the shingle sets above which a document is a copy.
COPY_THRESHOLD = 0.5
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    """Lower-cased word n-grams of ``text`` (the whole text when it is shorter than one shingle)."""
    tokens = [token.lower() for token in _WORD.findall(text)]
    if len(tokens) <= SHINGLE:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE]).encode("utf-8") for i in range(len(tokens) - SHINGLE + 1)}


def signature(text: str) -> list[int]:
    """The MinHash signature of ``text`` as plain integers (storable as JSON)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(sorted(shingles(text)))
    return [int(value) for value in minhash.hashvalues]


def _minhash(values: Sequence[int]) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=list(values), scheme=SCHEME)


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(_minhash(a).jaccard(_minhash(b)))


@dataclass(frozen=True)
class Signed:
    """A document's signature and, if it is a copy, its original."""

    doc_id: str
    values: list[int]
    copy_of: str | None = None
    similarity: float | None = None


class CopyFinder:
    """An LSH index of documents seen so far, in ingestion order."""

    def __init__(self, threshold: float = COPY_THRESHOLD) -> None:
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.order: dict[str, int] = {}
        self.values: dict[str, list[int]] = {}

    def add(self, doc_id: str, values: list[int]) -> None:
        if doc_id in self.order:
            return
        self.order[doc_id] = len(self.order)
        self.values[doc_id] = values
        self.lsh.insert(doc_id, _minhash(values))

    def original_of(self, values: list[int]) -> tuple[str, float] | None:
        """The earliest indexed document this signature is a copy of, with the similarity."""
        found = []
        for candidate in self.lsh.query(_minhash(values)):
            estimate = similarity(values, self.values[candidate])
            if estimate >= self.threshold:
                found.append((self.order[candidate], candidate, estimate))
        if not found:
            return None
        _, doc_id, estimate = min(found)
        return doc_id, round(estimate, 3)


def find_copies(known: Iterable[Signed], new: Iterable[tuple[str, str]]) -> list[Signed]:
    """Sign the ``new`` (doc_id, text) pairs, in order, and say which copy an earlier document.

    ``known`` are the documents signed before (with their own ``copy_of``); a
    copy points at the first copy, so a copy of a copy points at the original.
    """
    finder = CopyFinder()
    original: dict[str, str | None] = {}
    for signed in known:
        finder.add(signed.doc_id, signed.values)
        original[signed.doc_id] = signed.copy_of
    result = []
    for doc_id, text in new:
        values = signature(text)
        hit = finder.original_of(values)
        copy_of, estimate = (None, None) if hit is None else (original.get(hit[0]) or hit[0], hit[1])
        result.append(Signed(doc_id, values, copy_of, estimate))
        finder.add(doc_id, values)
        original[doc_id] = copy_of
    return result
