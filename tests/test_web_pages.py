"""Pages and their JSON twins, through FastAPI's test client, on a synthetic database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plotwatch.web import WebConfig, create_app
from tests.web_helpers import HOSTILE_INCIDENT, build_db, login


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_db(tmp_path_factory.mktemp("web") / "pages.db", n_incidents=120)


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(WebConfig(db=db, page_size=25))) as test_client:
        assert login(test_client, "vic").status_code == 303
        yield test_client


def test_reading_needs_a_login_by_default(db: str) -> None:
    anonymous = TestClient(create_app(WebConfig(db=db)))
    page = anonymous.get("/incidents?type=KILL", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=%2Fincidents%3Ftype%3DKILL"
    assert anonymous.get("/incidents.json").status_code == 401
    assert anonymous.get("/incidents.json").json()["error"].startswith("log in")
    assert anonymous.get("/login").status_code == 200
    assert anonymous.get("/static/app.css").status_code == 200


def test_anonymous_reading_when_allowed(db: str) -> None:
    anonymous = TestClient(create_app(WebConfig(db=db, anonymous_read=True)))
    assert anonymous.get("/incidents").status_code == 200
    assert anonymous.get("/audit", follow_redirects=False).status_code == 303  # reviewing still needs an account


@pytest.mark.parametrize(
    "path",
    ["/", "/incidents", "/incidents?type=KILL&sort=sources", "/map", "/search?q=dissident", "/states/IRN",
     "/states/DEU", "/api", f"/incidents/{HOSTILE_INCIDENT}", "/documents/syn-1-0", "/agencies/irn"],
)  # fmt: skip
def test_pages_render(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    assert page.headers["content-type"].startswith("text/html")
    assert "<title>" in page.text and "vic" in page.text


def test_every_page_has_a_json_twin_from_the_same_data(client: TestClient) -> None:
    listing = client.get("/incidents.json?type=KILL&page=1").json()
    page = client.get("/incidents?type=KILL&page=1").text
    assert listing["filters"] == {"type": "KILL"}
    assert f'<span id="total">{listing["total"]}</span>' in page
    for row in listing["incidents"]:
        assert f'href="/incidents/{row["incident_id"]}"' in page
    one = listing["incidents"][0]["incident_id"]
    detail = client.get(f"/incidents/{one}.json").json()
    assert detail["incident"]["incident_id"] == one
    assert detail["incident"]["label"] in client.get(f"/incidents/{one}").text


def test_filters_narrow_the_list(client: TestClient) -> None:
    everything = client.get("/incidents.json").json()
    kills = client.get("/incidents.json?type=KILL").json()
    assert 0 < kills["total"] < everything["total"]
    assert all(row["type"] == "KILL" for row in kills["incidents"])
    iran = client.get("/incidents.json?actor=IRN&since=2010&until=2015-06").json()
    assert all(row["actor_state"] == "IRN" and "2010" <= row["date"][:7] <= "2015-06" for row in iran["incidents"])
    several = client.get("/incidents.json?min_sources=2").json()
    assert all(row["n_documents"] >= 2 for row in several["incidents"])
    confident = client.get("/incidents.json?min_confidence=0.75").json()
    assert all(row["confidence"] >= 0.75 for row in confident["incidents"])
    assert client.get("/incidents.json?status=denied").json()["total"] == 0


def test_pagination_covers_every_incident_once(client: TestClient) -> None:
    first = client.get("/incidents.json").json()
    assert first["page_size"] == 25 and first["pages"] == -(-first["total"] // 25)
    seen = []
    for page in range(1, first["pages"] + 1):
        seen += [row["incident_id"] for row in client.get(f"/incidents.json?page={page}").json()["incidents"]]
    assert len(seen) == len(set(seen)) == first["total"]
    dates = [row["date"] for row in first["incidents"]]
    assert dates == sorted(dates, reverse=True)
    assert 'rel="next" href="/incidents?page=2"' in client.get("/incidents").text


def test_bad_filters_answer_400_with_a_message(client: TestClient) -> None:
    page = client.get("/incidents?type=BOMB")
    assert page.status_code == 400 and "type=&#39;BOMB&#39; is not allowed" in page.text
    assert client.get("/incidents.json?since=last-year").json()["error"].startswith("since=")


def test_unknown_things_are_404(client: TestClient) -> None:
    assert client.get("/incidents/inc-nope").status_code == 404
    assert client.get("/incidents/inc-nope.json").json() == {"error": "no incident 'inc-nope'", "status": 404}
    assert client.get("/documents/nope").status_code == 404
    assert client.get("/agencies/nope").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/states/IRAN").status_code == 400


def test_incident_page_highlights_each_events_evidence(client: TestClient) -> None:
    incident = client.get("/incidents.json?min_sources=2").json()["incidents"][0]
    detail = client.get(f"/incidents/{incident['incident_id']}.json").json()
    assert len(detail["events"]) == incident["n_events"] >= 2
    page = client.get(f"/incidents/{incident['incident_id']}").text
    for event in detail["events"]:
        marked = [part["text"] for part in event["context"] if part["mark"]]
        assert marked == [event["evidence"]["text"]]
        assert event["offsets_match"]
        assert f"<mark>{event['evidence']['text']}</mark>" in page
    assert len(detail["sources"]) == incident["n_documents"]
    assert all(source["href"].startswith("https://news.example/") for source in detail["sources"])


def test_document_page_marks_every_evidence(client: TestClient) -> None:
    document = client.get("/documents/syn-1-0.json").json()
    marked = [part for part in document["text"] if part["mark"]]
    assert len(marked) == len(document["events"]) == 1
    assert marked[0]["key"] == document["events"][0]["event_id"]
    assert f'<mark id="{marked[0]["key"]}">' in client.get("/documents/syn-1-0").text


def test_home_counts_timeline_and_latest(client: TestClient) -> None:
    home = client.get("/index.json").json()
    assert home["counts"]["incidents"] == client.get("/incidents.json").json()["total"]
    assert home["counts"]["documents"] >= home["counts"]["incidents"]
    bars = home["timeline"]["bars"]
    assert sum(bar["n"] for bar in bars) == home["counts"]["incidents"]  # every synthetic incident has a day date
    assert len(home["latest"]) == 12
    page = client.get("/").text
    assert page.count('<rect class="bar t-') == len(bars)
    assert "/incidents?type=KILL&amp;since=" in page


def test_map_json_has_markers_with_coordinates(client: TestClient) -> None:
    markers = client.get("/map.json?type=EXPEL").json()
    assert markers["located"] == markers["total"] == len(markers["incidents"]) > 0
    for marker in markers["incidents"]:
        assert marker["type"] == "EXPEL" and -90 <= marker["lat"] <= 90 and -180 <= marker["lon"] <= 180
    page = client.get("/map?type=EXPEL").text
    assert 'data-source="/map.json?type=EXPEL"' in page
    assert '<script src="/static/map.js"></script>' in page


def test_state_page_sections(client: TestClient) -> None:
    state = client.get("/states/IRN.json").json()
    assert state["name"] == "Iran"
    perpetrator = state["sections"]["perpetrator"]
    assert perpetrator["total"] > 0
    assert all(row["actor_state"] == "IRN" and row["hostile"] for row in perpetrator["incidents"])
    assert all(not row["hostile"] for row in state["sections"]["targeted"]["incidents"])


def test_search_finds_incidents_and_documents(client: TestClient) -> None:
    found = client.get("/search.json?q=Examplestadt fictional").json()
    assert found["documents"] and not found["incidents"]
    found = client.get("/search.json?q=expelled diplomats").json()
    assert found["incidents"] and all(any(part["mark"] for part in hit["snippet"]) for hit in found["incidents"])
    assert client.get('/search.json?q="unbalanced OR (').status_code == 200
    assert client.get("/search.json?q=").json() == {"q": "", "incidents": [], "documents": []}


def test_openapi_lists_the_json_endpoints(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/incidents.json", "/incidents/{incident_id}.json", "/map.json", "/search.json", "/index.json"} <= paths
    assert not any(path in paths for path in ("/incidents", "/login", "/"))
    names = {param["name"] for param in schema["paths"]["/incidents.json"]["get"]["parameters"]}
    assert {"type", "actor", "country", "since", "until", "min_sources", "page"} <= names
    assert client.get("/docs").status_code == 404  # no CDN-loaded Swagger UI


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/incidents.json", "/static/app.css", "/no/such/page", "/login"):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "style-src 'self'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_templates_have_no_inline_scripts_or_styles() -> None:
    folder = Path(__file__).parent.parent / "plotwatch" / "web" / "templates"
    for template in folder.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert "<style" not in text and " style=" not in text, template.name
        assert not re.search(r"\son[a-z]+=", text), template.name
        assert "|safe" not in text and "Markup" not in text, template.name
