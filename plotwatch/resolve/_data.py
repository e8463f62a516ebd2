"""Reading the resolver's data files and normalising the text looked up in them.

The files live in ``resolve/data/``: tab-separated, UTF-8, ``#`` starts a
comment line. Keys are compared in *folded* form (case-folded, accents and
typographic apostrophes removed) unless they are acronyms, which keep their case.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from plotwatch.errors import ConfigError

DATA_DIR = Path(__file__).parent / "data"

# Letters that Unicode decomposition does not reduce to ASCII.
_SPECIAL = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae",
                          "ß": "ss", "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "œ": "oe"})  # fmt: skip
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʻ": "'", "`": "'", "´": "'"})
_EDGE_PUNCT = ' \t\n"“”()[]{},;:!?«»'


def data_path(name: str) -> Path:
    return DATA_DIR / name


def read_tsv(name: str, columns: int) -> list[list[str]]:
    """Rows of a data file with at least ``columns`` fields (short rows are padded)."""
    path = data_path(name)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read resolver data ({exc}); reinstall plotwatch") from exc
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        if not fields[0]:
            raise ConfigError(f"{path}:{number}: empty first column; fix or delete the line")
        rows.append(fields + [""] * (columns - len(fields)))
    return rows


def read_lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a plain list file, stripped."""
    return [row[0] for row in read_tsv(name, 1)]


def read_json(name: str) -> Any:
    path = data_path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read resolver data ({exc}); fix the file") from exc


def fold(text: str) -> str:
    """Case-folded, accent-free, single-spaced form used as a lookup key."""
    text = text.translate(_APOSTROPHES).translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def is_acronym(alias: str) -> bool:
    """Acronyms ("MOIS", "U.S.", "BfV", "MI5"): no spaces, two or more capitals; matched case-sensitively."""
    return " " not in alias and sum(ch.isupper() for ch in alias) >= 2


def clean(text: str) -> str:
    """Strip edge punctuation, unify apostrophes, drop a possessive ("Iran's", "Iranians'")."""
    text = " ".join(text.translate(_APOSTROPHES).split()).strip(_EDGE_PUNCT)
    if text.endswith("'s") or text.endswith("'S"):
        text = text[:-2]
    elif text.endswith("s'"):
        text = text[:-1]
    return text.strip(_EDGE_PUNCT)


def without_article(text: str) -> str:
    """Drop a leading article: "the Netherlands" → "Netherlands"; anything else unchanged."""
    head, _, rest = text.partition(" ")
    return rest if rest and head.casefold() == "the" else text
