"""Near-duplicate documents: wire copies and lightly edited republications (MinHash + LSH).

Each document's text becomes a set of word shingles (``SHINGLE`` words in a
row), summarised by a MinHash signature (datasketch, ``NUM_PERM`` hash
functions, fixed seed so signatures are stable across runs). Locality-sensitive
hashing finds earlier documents that share a band (``BANDS`` bands of ``ROWS``
values: datasketch's ``MinHashLSH`` choice for ``COPY_THRESHOLD``); of those,
the ones whose estimated Jaccard similarity is at least ``COPY_THRESHOLD`` are
copies, and the new document is recorded as a copy of the earliest one (the
first copy, never a copy of a copy). A copy keeps its events (they carry its
own evidence offsets) and joins the incidents of its original
(``compare.wire_copy``), but it counts once for corroboration.

A signature is computed as datasketch's ``MinHash.update_batch`` computes it
(SHA-1's first four bytes of each shingle, the MurmurHash3 finalizer, then the
seeded affine permutations in uint32), without building a ``MinHash`` per
document and with the shingles cut from one encoded string: the values are
the same (``tests/test_throughput_near_dup.py`` compares them).

Signatures live in one numpy array (512 bytes a document), and the
documents that share a band are found by sorting each band's values once,
not through a Python index per band: the copies found are exactly those a
``MinHashLSH`` queried document by document would give
(``tests/test_merge_near_dup.py`` compares them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha1
from itertools import accumulate

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

__all__ = ["COPY_THRESHOLD", "CopyIndex", "Signed", "find_copies", "signature", "similarity"]

SHINGLE = 4
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch 2 permutation scheme; stored signatures depend on it
# Estimated Jaccard similarity of the shingle sets above which a document is a copy.
COPY_THRESHOLD = 0.5
BANDS, ROWS = 25, 5  # what MinHashLSH(threshold=0.5, num_perm=128) picks (its false-positive/negative weights)
_WORD = re.compile(r"\w+", re.UNICODE)
EMPTY = np.uint32(0xFFFFFFFF)  # the signature of a text without words
HASH_CHUNK = 4096  # shingles permuted at once: a (HASH_CHUNK, NUM_PERM) uint32 array, 2 MB
PAIRS = 1 << 13  # candidate pairs compared at once: two (PAIRS, NUM_PERM) arrays, 4 MB each
Values = npt.NDArray[np.uint32]
Rows = npt.NDArray[np.intp]


def shingles(text: str) -> set[bytes]:
    """Lower-cased word n-grams of ``text`` (the whole text when it is shorter than one shingle)."""
    return set(_shingle_list(text))


def _shingle_list(text: str) -> list[bytes]:
    """The shingles of ``text`` in order, repeats included (a repeat leaves a minimum unchanged)."""
    tokens = [token.lower().encode("utf-8") for token in _WORD.findall(text)]
    if len(tokens) <= SHINGLE:
        return [b" ".join(tokens)] if tokens else []
    joined = b" ".join(tokens)  # shingle i is joined[starts[i] : starts[i + SHINGLE] - 1]
    starts = list(accumulate((len(token) + 1 for token in tokens), initial=0))
    return [joined[start : end - 1] for start, end in zip(starts, starts[SHINGLE:], strict=False)]


@lru_cache(maxsize=1)
def _permutations() -> tuple[Values, Values]:
    """The seeded permutations (a, b), drawn once as datasketch draws them for every MinHash it builds."""
    a, b = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    return np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)


def _fmix32(values: Values) -> Values:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix of every input hash); uint32 products wrap."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def signature_array(text: str) -> Values:
    """The MinHash signature of ``text`` as a uint32 array (all 2**32 - 1 when it has no word)."""
    digests = b"".join([sha1(shingle).digest()[:4] for shingle in _shingle_list(text)])
    hashes = _fmix32(np.frombuffer(digests, dtype="<u4").astype(np.uint32))
    a, b = _permutations()
    values = np.full(NUM_PERM, EMPTY, dtype=np.uint32)
    for start in range(0, len(hashes), HASH_CHUNK):
        np.minimum(values, (hashes[start : start + HASH_CHUNK, None] * a + b).min(axis=0), out=values)
    return values


def signature(text: str) -> list[int]:
    """The MinHash signature of ``text`` as plain integers (storable as JSON)."""
    return [int(value) for value in signature_array(text)]


def similarity(a: Sequence[int] | Values, b: Sequence[int] | Values) -> float:
    """Estimated Jaccard similarity of two signatures (the share of equal values, as datasketch's ``jaccard``)."""
    left, right = np.asarray(a, dtype=np.uint32), np.asarray(b, dtype=np.uint32)
    return float(np.count_nonzero(left == right)) / float(len(left))


@dataclass(frozen=True)
class Signed:
    """A document's signature and, if it is a copy, its original."""

    doc_id: str
    values: list[int]
    copy_of: str | None = None
    similarity: float | None = None


class _Rows:
    """A 2-D uint32 array, one signature a row, with room for ``capacity`` rows from the start (pages no row
    reaches are never touched), doubled when full: the rows are copied once, never through a third array."""

    def __init__(self, capacity: int = 1024) -> None:
        self.data: Values = np.empty((max(1, capacity), NUM_PERM), dtype=np.uint32)
        self.size = 0

    def append(self, values: Values) -> None:
        if self.size == len(self.data):
            grown = np.empty((2 * len(self.data), NUM_PERM), dtype=np.uint32)
            grown[: self.size] = self.data
            self.data = grown
        self.data[self.size] = values
        self.size += 1

    def view(self) -> Values:
        return self.data[: self.size]


def _band_groups(rows: Values) -> Iterator[Rows]:
    """Row numbers (ascending) of each group of two or more rows with equal values in one band."""
    for band in range(BANDS):
        values = np.ascontiguousarray(rows[:, band * ROWS : (band + 1) * ROWS])
        _, group = np.unique(values, axis=0, return_inverse=True)
        order = np.argsort(group.ravel(), kind="stable")
        ordered = group.ravel()[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        sizes = np.diff(np.r_[starts, len(ordered)])
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
            yield order[start : start + size]


def _pairs(members: Rows, first_new: int) -> Iterator[tuple[Rows, Rows]]:
    """(later, earlier) row pairs of one group, the later row new, about ``PAIRS`` at a time."""
    later: list[Rows] = []
    earlier: list[Rows] = []
    count = 0
    for position in range(1, len(members)):
        if members[position] < first_new:
            continue
        later.append(np.full(position, members[position]))
        earlier.append(members[:position])
        count += position
        if count >= PAIRS:
            yield np.concatenate(later), np.concatenate(earlier)
            later, earlier, count = [], [], 0
    if count:
        yield np.concatenate(later), np.concatenate(earlier)


class CopyIndex:
    """Signatures of documents in ingestion order: ``known`` ones (signed by earlier runs) then new ones.

    ``capacity``: how many documents will be added, when known (the signatures are then never copied).
    """

    def __init__(self, threshold: float = COPY_THRESHOLD, capacity: int = 1024) -> None:
        self.threshold = threshold
        self.rows = _Rows(capacity)
        self.doc_ids: list[str] = []
        self.copy_of: list[str | None] = []
        self.n_known = 0

    def add_known(self, doc_id: str, values: Sequence[int], copy_of: str | None) -> None:
        if len(self.doc_ids) > self.n_known:
            raise ValueError("add the known documents before the new ones")
        self._add(doc_id, np.asarray(values, dtype=np.uint32), copy_of)
        self.n_known += 1

    def add_new(self, doc_id: str, text: str) -> None:
        self._add(doc_id, signature_array(text), None)

    def _add(self, doc_id: str, values: Values, copy_of: str | None) -> None:
        self.rows.append(values)
        self.doc_ids.append(doc_id)
        self.copy_of.append(copy_of)

    def _matches(self) -> dict[int, tuple[int, float]]:
        """For each new row that copies an earlier one: the earliest such row and the similarity."""
        rows = self.rows.view()
        best: dict[int, tuple[int, float]] = {}
        for members in _band_groups(rows):
            for later, earlier in _pairs(members, self.n_known):
                equal = np.count_nonzero(rows[later] == rows[earlier], axis=1)
                copies = equal >= self.threshold * NUM_PERM  # the estimate below, without dividing every pair
                for new, old, count in zip(later[copies].tolist(), earlier[copies].tolist(), equal[copies].tolist(),
                                           strict=True):  # fmt: skip
                    estimate = float(count) / float(NUM_PERM)
                    if estimate >= self.threshold and (new not in best or old < best[new][0]):
                        best[new] = (old, estimate)
        return best

    def resolve(self) -> Iterator[tuple[str, Values, str | None, float | None]]:
        """(doc_id, signature, copy_of, similarity) of each new document, in order."""
        matches = self._matches()
        for row in range(self.n_known, len(self.doc_ids)):
            hit = matches.get(row)
            if hit is not None:
                earlier = hit[0]
                self.copy_of[row] = self.copy_of[earlier] or self.doc_ids[earlier]
            yield (self.doc_ids[row], self.rows.view()[row], self.copy_of[row],
                   None if hit is None else round(hit[1], 3))  # fmt: skip


def find_copies(known: Iterable[Signed], new: Iterable[tuple[str, str]]) -> list[Signed]:
    """Sign the ``new`` (doc_id, text) pairs, in order, and say which copy an earlier document.

    ``known`` are the documents signed before (with their own ``copy_of``); a
    copy points at the first copy, so a copy of a copy points at the original.
    """
    index = CopyIndex()
    for signed in known:
        index.add_known(signed.doc_id, signed.values, signed.copy_of)
    for doc_id, text in new:
        index.add_new(doc_id, text)
    return [Signed(doc_id, values.tolist(), copy_of, estimate) for doc_id, values, copy_of, estimate in index.resolve()]
