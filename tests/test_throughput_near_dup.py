"""MinHash signatures computed without datasketch's per-document objects are datasketch's signatures."""

from __future__ import annotations

import random
import re

import numpy as np
from datasketch import MinHash

from plotwatch.merge import near_dup
from plotwatch.merge.near_dup import NUM_PERM, SCHEME, SEED, shingles, signature, signature_array

WORD = re.compile(r"\w+", re.UNICODE)


def datasketch_signature(text: str) -> list[int]:
    """The definition: a datasketch MinHash updated with the set of lower-cased 4-word shingles."""
    tokens = [token.lower() for token in WORD.findall(text)]
    if len(tokens) <= 4:
        grams = {" ".join(tokens).encode("utf-8")} if tokens else set()
    else:
        grams = {" ".join(tokens[i : i + 4]).encode("utf-8") for i in range(len(tokens) - 3)}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(sorted(grams))
    return [int(value) for value in minhash.hashvalues]


def odd_texts(count: int, seed: int) -> list[str]:
    """Texts of letters whose lower case is longer or odd (İ, ß, ligatures, combining marks), digits, underscores."""
    rng = random.Random(seed)
    pieces = ["İ", "ß", "ǅ", "Σ", "ﬁ", "é", "e\u0301", "Wire", "said", "x1", "_", "—", "'", "日本", "  ", "\n\n"]
    return ["".join(rng.choice(pieces) + rng.choice([" ", "", "-"]) for _ in range(rng.randint(0, 60)))
            for _ in range(count)]  # fmt: skip


TEXTS = [
    "",
    "   \n\n  ",
    "—",
    "One",
    "Two words",
    "a b c d",
    "a b c d e",
    "The wire story said the wire story said the wire story said.",  # repeated shingles
    "Britain expelled two Russian diplomats on Monday, accusing them of plotting attacks on exiles.",
    "İSTANBUL — Straße, ΣΟΦΙΑ and ﬁnance: Ünïcödé wörds here.",
]


def test_signatures_equal_datasketch_on_plain_and_odd_text() -> None:
    for text in [*TEXTS, *odd_texts(300, seed=5)]:
        assert signature(text) == datasketch_signature(text), text


def test_a_text_without_words_has_the_empty_signature() -> None:
    assert signature("") == signature(" — ") == [2**32 - 1] * NUM_PERM
    assert shingles("") == set()


def test_long_texts_are_permuted_in_chunks_with_the_same_result(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(f"w{n % 997} v{n % 13}" for n in range(6000))
    whole = signature_array(text)
    monkeypatch.setattr(near_dup, "HASH_CHUNK", 7)
    assert np.array_equal(signature_array(text), whole)
    assert whole.tolist() == datasketch_signature(text)
