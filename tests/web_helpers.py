"""Shared set-up of the web tests: a database with synthetic and hostile articles, users, a client.

Not a test module (pytest collects only test_*.py); the web test files import it.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from starlette.responses import Response

from plotwatch.models import Actor, Document, Event, Evidence, Incident, Place
from plotwatch.store import Store, open_store
from plotwatch.web import WebConfig, add_user, create_app
from plotwatch.web.synthetic import load_synthetic

PASSWORDS = {"ada": "ada-admin-pw", "rev": "rev-reviewer-pw", "vic": "vic-viewer-pw"}
ROLES = {"ada": "admin", "rev": "reviewer", "vic": "viewer"}

# Hostile input: every string a browser could be tricked into running. The test counts
# runs through window.__xss (each payload increments it) and alert dialogs.
PAYLOADS = [
    "<script>window.__xss=(window.__xss||0)+1</script>",
    '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
    "<svg onload=window.__xss=(window.__xss||0)+1>",
    '"><script>window.__xss=(window.__xss||0)+1</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea></title></style><script>window.__xss=(window.__xss||0)+1</script>",
    '<a href="javascript:window.__xss=(window.__xss||0)+1">click me</a>',
    "<div <b onmouseover=alert(1)>broken <i markup",
    '<iframe srcdoc="<script>parent.__xss=(parent.__xss||0)+1</script>"></iframe>',
    "{{ 7*7 }} {% raw %} \ue000marker\ue001 <!-- <script>alert(1)</script> -->",
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=(window.__xss||0)+1">',
]
HOSTILE_URLS = [
    "javascript:window.__xss=(window.__xss||0)+1",
    'https://ok.example/" onmouseover="window.__xss=(window.__xss||0)+1',
    "data:text/html,<script>alert(1)</script>",
    " javascript:alert(1)",
]
HOSTILE_INCIDENT = "inc-hostile-0"


def hostile_documents() -> list[tuple[Document, Evidence]]:
    """Articles whose title, text, url and outlet carry the payloads; evidence on a payload sentence."""
    found = []
    for number, url in enumerate(HOSTILE_URLS):
        evidence = f"Agents {PAYLOADS[number % len(PAYLOADS)]} shot a dissident in Berlin on 2019-08-23."
        body = " ".join(PAYLOADS)
        text = f"{PAYLOADS[number]} headline\n\n{body}\n\n{evidence}\n\nEnd {PAYLOADS[-1]}"
        start = text.index(evidence)
        doc = Document(doc_id=f"hostile-{number}", text=text, title=f"Title {PAYLOADS[number]}", url=url,
                       source=f"<b onclick=alert(1)>Outlet {number}</b>", published="2019-08-24")  # fmt: skip
        found.append((doc, Evidence(evidence, start, start + len(evidence))))
    return found


def _hostile_event(doc: Document, evidence: Evidence) -> Event:
    payload = PAYLOADS[0]
    return Event(doc_id=doc.doc_id, type="KILL", evidence=evidence, scope="transnational", date="2019-08-23",
                 country="DEU", place=Place(name=f"Berlin {payload}", lat=52.52, lon=13.4, country="DEU"),
                 actor=Actor(id='"><script>alert(1)</script>', name=f"Agency {payload}", state="RUS", kind="agency",
                             text=payload),
                 target=Actor(name=PAYLOADS[1], kind="dissident", text=PAYLOADS[2]), victims=[PAYLOADS[3]],
                 confidence=0.7, extractor="hostile-1", trigger="shot")  # fmt: skip


def store_hostile(store: Store) -> Incident:
    """Store the hostile articles and their events; return the incident they form."""
    events = []
    for doc, evidence in hostile_documents():
        store.add_document(doc)
        event = _hostile_event(doc, evidence)
        store.save_extraction(doc.doc_id, "hostile-1", [event])
        events.append(event)
    return Incident(HOSTILE_INCIDENT, "KILL", events, 0.7)


def build_db(path: Path, n_incidents: int = 40, hostile: bool = True) -> str:
    """A database file with synthetic incidents, the hostile incident and one user per role."""
    db = str(path)
    with open_store(db) as store:
        extra = [store_hostile(store)] if hostile else []
        load_synthetic(store, n_incidents, extra=extra)
        for name, role in ROLES.items():
            add_user(store.engine, name, role, PASSWORDS[name])
    return db


def client_for(db: str, **config: object) -> TestClient:
    return TestClient(create_app(WebConfig(db=db, **config)))  # type: ignore[arg-type]


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def login(client: TestClient, name: str, password: str | None = None) -> Response:
    token = csrf_of(client.get("/login").text)
    form = {"csrf_token": token, "name": name, "password": password or PASSWORDS[name], "next": "/"}
    return client.post("/login", data=form, follow_redirects=False)
