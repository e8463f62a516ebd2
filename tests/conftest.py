"""Shared fixtures: one loaded spaCy pipeline per test session."""

from __future__ import annotations

import pytest

from plotwatch.extract import EXTRACTOR_VERSION, load_pipeline
from plotwatch.extract.events import doc_context, events_from_doc
from plotwatch.models import Document, Event


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline()


@pytest.fixture(scope="session")
def extract_text(nlp):  # type: ignore[no-untyped-def]
    """Extract events from a hand-written text published on a given date."""

    def run(text: str, published: str = "2018-07-04") -> list[Event]:
        document = Document(doc_id="t1", text=text, published=published)
        parsed = nlp(text)
        return events_from_doc(parsed, doc_context(parsed, document, EXTRACTOR_VERSION))

    return run
