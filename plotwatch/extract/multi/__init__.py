"""The lexicon extractor: French and German documents to the same event records as English.

Per language, a spaCy pipeline (``nlp.py``) and plain data files under
``extract/lang/<lang>/`` (``data.py``); clause-window rules decide what is an
event (``context.py``), who did what to whom (``participants.py``) and when
(``dates.py``); ``events.py`` builds the records. ``route_by_language`` sends
each document to this extractor or to the English one, keeping input order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import groupby

from plotwatch.extract.language import MULTI_LANGUAGES, document_language
from plotwatch.extract.multi.data import load_language
from plotwatch.extract.multi.events import events_from_doc, story_of
from plotwatch.extract.multi.nlp import MODELS, load_multi_pipeline
from plotwatch.models import Document, Event

__all__ = ["extract_language", "extractor_version", "route_by_language"]

RULES_VERSION = "plotwatch-rules-0.1"
log = logging.getLogger(__name__)
Extracted = Iterator[tuple[Document, list[Event]]]


def extractor_version(lang: str) -> str:
    """E.g. "plotwatch-rules-0.1/fr-1/fr_core_news_sm-3.8.0": rules, lexicon and model versions."""
    return f"{RULES_VERSION}/{load_language(lang).version}/{MODELS[lang]}"


def extract_language(documents: Iterable[Document], lang: str, batch_size: int = 16) -> Extracted:
    """Events of each document in ``lang`` ("fr" or "de"), in input order; a bad document is logged and skipped."""
    nlp = load_multi_pipeline(lang)
    data = load_language(lang)
    version = extractor_version(lang)
    pairs = ((document.text, document) for document in documents)
    for parsed, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        try:
            events = events_from_doc(parsed, story_of(parsed, document, data, version))
        except Exception:  # one malformed document must not stop the batch
            log.exception("extraction failed for document %s", document.doc_id)
            continue
        yield document, events


def _route(document: Document) -> str:
    language = document_language(document)
    return language if language in MULTI_LANGUAGES else "en"


def route_by_language(documents: Iterable[Document], english: Callable[[Iterable[Document]], Extracted]) -> Extracted:
    """French and German documents to ``extract_language``, all others to ``english``, in input order.

    Consecutive documents of one language go together, so the pipelines still stream in batches.
    """
    for lang, run in groupby(documents, key=_route):
        extractor = english if lang == "en" else partial(extract_language, lang=lang)
        yield from extractor(run)
