"""Synthetic databases for the web app's tests and benchmark (no model, no network).

``load_synthetic(store, n)`` stores ``n`` incidents, each reported by one to
three made-up articles whose evidence sentences sit inside the article text at
the offsets the events give, as the extractor would store them. The texts are
obviously fictional ("Examplestadt"), deterministic for a seed, and fast to
build: 10,000 incidents take a few seconds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from plotwatch.models import HOSTILE_TYPES, Actor, Document, Event, Evidence, Incident, Place
from plotwatch.store import Store

PLACES = [
    ("Berlin", 52.52, 13.405, "DEU"), ("London", 51.507, -0.128, "GBR"), ("Istanbul", 41.015, 28.979, "TUR"),
    ("The Hague", 52.08, 4.31, "NLD"), ("Vienna", 48.208, 16.373, "AUT"), ("Paris", 48.857, 2.352, "FRA"),
    ("Washington", 38.907, -77.037, "USA"), ("Kuala Lumpur", 3.139, 101.687, "MYS"),
    ("Prague", 50.075, 14.437, "CZE"),
    ("Stockholm", 59.329, 18.069, "SWE"), ("Copenhagen", 55.676, 12.568, "DNK"), ("Ottawa", 45.421, -75.697, "CAN"),
    ("Johannesburg", -26.204, 28.047, "ZAF"), ("Buenos Aires", -34.604, -58.382, "ARG"),
    ("Tokyo", 35.68, 139.69, "JPN"),
]  # fmt: skip
SPONSORS = ["IRN", "RUS", "PRK", "CHN", "SAU", "RWA", "BLR"]
VERBS = {
    "KILL": "killed a dissident", "ATTACK": "bombed a community centre", "KIDNAP": "abducted a journalist",
    "SURVEIL": "spied on exiles", "SPY": "ran an espionage cell", "THREATEN": "threatened activists",
    "ARREST": "arrested two suspects", "CHARGE": "charged a suspect", "CONVICT": "convicted an agent",
    "RELEASE": "released a prisoner", "EXPEL": "expelled two diplomats", "SUMMON": "summoned the ambassador",
    "RECALL": "recalled its ambassador", "RESTORE": "restored ties", "SANCTION": "imposed sanctions",
    "SEVER": "cut diplomatic ties",
}  # fmt: skip
OUTLETS = ["Ridgeway Wire", "Lakeside Herald", "Tidewater Times", "The Civic Observer", "Keystone Bulletin"]


@dataclass(frozen=True)
class Story:
    """One synthetic incident: its type, place, sponsor and date."""

    number: int
    type: str
    place: tuple[str, float, float, str]
    sponsor: str
    date: str

    def sentence(self) -> str:
        name, _lat, _lon, _country = self.place
        if self.type in HOSTILE_TYPES:
            return f"Agents of {self.sponsor} {VERBS[self.type]} in {name} on {self.date}, investigators said."
        return f"The authorities in {name} {VERBS[self.type]} on {self.date} over a plot by {self.sponsor}."


def _story(number: int, rng: random.Random) -> Story:
    year, month, day = rng.randint(2000, 2024), rng.randint(1, 12), rng.randint(1, 28)
    type_ = rng.choice(sorted(VERBS))
    return Story(number, type_, rng.choice(PLACES), rng.choice(SPONSORS), f"{year:04d}-{month:02d}-{day:02d}")


def _article(story: Story, copy: int, rng: random.Random) -> tuple[Document, Evidence]:
    sentence = story.sentence()
    title = f"Report {story.number}.{copy}: {VERBS[story.type]} in {story.place[0]}"
    lead = f"{title}\n\nEXAMPLESTADT — This is a fictional article for testing plotwatch. "
    tail = " Officials declined to comment further.\n\nMore details are expected in the coming days."
    text = lead + sentence + tail
    start = len(lead)
    published = story.date if copy == 0 else f"{story.date[:8]}{min(28, int(story.date[8:]) + copy):02d}"
    doc = Document(doc_id=f"syn-{story.number}-{copy}", text=text, title=title, published=published,
                   url=f"https://news.example/{story.number}/{copy}", source=rng.choice(OUTLETS))  # fmt: skip
    return doc, Evidence(sentence, start, start + len(sentence))


def _event(story: Story, doc: Document, evidence: Evidence) -> Event:
    name, lat, lon, country = story.place
    hostile = story.type in HOSTILE_TYPES
    actor = Actor(id=story.sponsor.lower(), name=story.sponsor, state=story.sponsor, kind="state")
    host = Actor(id=country.lower(), name=country, state=country, kind="state")
    return Event(doc_id=doc.doc_id, type=story.type, evidence=evidence, scope="transnational", date=story.date,
                 country=country, place=Place(name=name, lat=lat, lon=lon, country=country),
                 actor=actor if hostile else host, target=Actor(kind="dissident") if hostile else actor,
                 confidence=0.8, extractor="synthetic-1", trigger=VERBS[story.type].split()[0])  # fmt: skip


def load_synthetic(store: Store, n_incidents: int, seed: int = 7, extra: Sequence[Incident] = ()) -> None:
    """Store ``n_incidents`` synthetic incidents with their articles and events.

    The incidents table is rewritten with them and ``extra`` (incidents whose
    documents and events the caller stored already).
    """
    rng = random.Random(seed)
    incidents: list[Incident] = list(extra)
    for number in range(n_incidents):
        story = _story(number, rng)
        members = []
        for copy in range(rng.choice((1, 1, 1, 2, 3))):
            doc, evidence = _article(story, copy, rng)
            event = _event(story, doc, evidence)
            store.add_document(doc)
            store.save_extraction(doc.doc_id, "synthetic-1", [event])
            members.append(event)
        confidence = round(min(0.95, 0.5 + 0.1 * len(members)), 2)
        incidents.append(Incident(f"inc-syn-{number:05d}", story.type, members, confidence))
    store.replace_incidents(incidents)
