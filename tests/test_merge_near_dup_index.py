"""The numpy near-duplicate index finds exactly the copies that datasketch's MinHashLSH finds."""

from __future__ import annotations

import random

from datasketch import MinHash, MinHashLSH

from plotwatch.merge import near_dup
from plotwatch.merge.near_dup import COPY_THRESHOLD, NUM_PERM, SCHEME, SEED, Signed, find_copies, signature


def reference_copies(known: list[Signed], new: list[tuple[str, str]]) -> list[tuple[str, str | None, float | None]]:
    """The definition, written with datasketch's own objects: query an LSH index document by document."""
    lsh = MinHashLSH(threshold=COPY_THRESHOLD, num_perm=NUM_PERM)
    order: dict[str, int] = {}
    values: dict[str, list[int]] = {}
    original: dict[str, str | None] = {}

    def minhash(sig: list[int]) -> MinHash:
        return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=sig, scheme=SCHEME)

    def add(doc_id: str, sig: list[int], copy_of: str | None) -> None:
        order[doc_id], values[doc_id], original[doc_id] = len(order), sig, copy_of
        lsh.insert(doc_id, minhash(sig))

    for item in known:
        add(item.doc_id, item.values, item.copy_of)
    found: list[tuple[str, str | None, float | None]] = []
    for doc_id, text in new:
        sig = signature(text)
        hits = []
        for candidate in lsh.query(minhash(sig)):
            estimate = minhash(sig).jaccard(minhash(values[candidate]))
            if estimate >= COPY_THRESHOLD:
                hits.append((order[candidate], candidate, estimate))
        copy_of, similarity = None, None
        if hits:
            _, hit, estimate = min(hits)
            copy_of, similarity = original[hit] or hit, round(estimate, 3)
        found.append((doc_id, copy_of, similarity))
        add(doc_id, sig, copy_of)
    return found


def edited_corpus(count: int, seed: int) -> list[tuple[str, str]]:
    """Stories, and republications of them with a few words changed, dropped or added (some of copies)."""
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(400)]
    texts: list[str] = []
    for _ in range(count):
        if texts and rng.random() < 0.5:
            words = rng.choice(texts).split()
            for _ in range(rng.randint(0, 12)):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            words = words[: rng.randint(len(words) * 4 // 5, len(words))] + rng.sample(vocabulary, rng.randint(0, 9))
        else:
            words = rng.choices(vocabulary, k=rng.randint(3, 220))
        texts.append(" ".join(words))
    return [(f"d{number:04d}", text) for number, text in enumerate(texts)]


def test_the_index_finds_the_copies_minhashlsh_finds() -> None:
    corpus = edited_corpus(400, seed=3)
    expected = reference_copies([], corpus)
    found = [(item.doc_id, item.copy_of, item.similarity) for item in find_copies([], corpus)]
    assert found == expected
    assert 50 < sum(copy_of is not None for _, copy_of, _ in found) < 350  # both kinds are there


def test_known_documents_from_an_earlier_run_give_the_same_copies() -> None:
    corpus = edited_corpus(300, seed=5)
    first = find_copies([], corpus[:180])
    known = [Signed(item.doc_id, item.values, item.copy_of) for item in first]
    assert [(s.doc_id, s.copy_of, s.similarity) for s in find_copies(known, corpus[180:])] == reference_copies(
        known, corpus[180:]
    )


def test_large_groups_are_compared_in_pieces(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    corpus = edited_corpus(200, seed=11) + [(f"same{n}", "one story told again and again") for n in range(30)]
    whole = find_copies([], corpus)
    monkeypatch.setattr(near_dup, "PAIRS", 5)
    assert find_copies([], corpus) == whole
    assert whole[-1].copy_of == "same0"


def test_no_documents_and_empty_texts() -> None:
    assert find_copies([], []) == []
    empty = find_copies([], [("a", ""), ("b", "...")])
    assert [(item.copy_of, item.similarity) for item in empty] == [(None, None), ("a", 1.0)]
