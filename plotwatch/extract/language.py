"""Which language is a document in: its own ``language`` field, else py3langid on its text.

The extractor routes on the answer: ``fr`` and ``de`` go to the lexicon extractor
(``extract.multi``), everything else (English, other languages, unknown) stays on
the English path. py3langid ships its model inside the package, so detection is
offline; the model is loaded once per process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from plotwatch.models import Document

__all__ = ["MULTI_LANGUAGES", "detect_language", "document_language", "language_of_tag"]

MULTI_LANGUAGES = frozenset({"fr", "de"})  # languages with data under extract/lang/ and a multi pipeline
SAMPLE_CHARS = 3000  # enough text for a stable guess; the rest of a long article adds nothing
_NAMES = {
    "english": "en", "eng": "en", "anglais": "en", "englisch": "en",
    "french": "fr", "fra": "fr", "fre": "fr", "français": "fr", "francais": "fr", "französisch": "fr",
    "german": "de", "deu": "de", "ger": "de", "deutsch": "de", "allemand": "de",
}  # fmt: skip


def language_of_tag(tag: str | None) -> str | None:
    """ "fr-FR", "FR", "French", "deu", "Deutsch" → "fr" / "de"; None for an empty or unreadable tag."""
    if not tag or not tag.strip():
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    if primary in _NAMES:
        return _NAMES[primary]
    return primary if len(primary) == 2 and primary.isalpha() else None


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code py3langid finds for ``text`` (its first 3,000 characters), None for no text."""
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    language, _score = _identifier().classify(sample)
    return str(language)


def document_language(document: Document) -> str | None:
    """The document's own ``language`` when it names one, else the language detected in its text."""
    return language_of_tag(document.language) or detect_language(document.text)
