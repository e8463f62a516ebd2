"""What the merge stage adds, shown by the web app: corroboration, response links with lags, cases, redirects."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from plotwatch.models import HOSTILE_TYPES
from plotwatch.store import merging, open_store
from plotwatch.web.links import lag_days
from tests.web_helpers import build_db, client_for, login


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = build_db(tmp_path_factory.mktemp("links") / "links.db", n_incidents=30, hostile=False)
    with open_store(db) as store:
        rows = store.list_incidents()
        plot = next(row for row in rows if row["type"] in HOSTILE_TYPES)
        response = next(row for row in rows if row["type"] == "EXPEL")
        arrest = next(row for row in rows if row["type"] in ("ARREST", "CHARGE", "CONVICT"))
        link = {"link_id": "lnk-1", "kind": "response_to", "source_id": response["incident_id"],
                "target_id": plot["incident_id"], "rule": "same_sentence", "evidence_doc": None,
                "evidence_text": "expelled <b>two</b> diplomats over the plot", "confidence": 0.9}  # fmt: skip
        case = {"case_id": "case-1", "kind": "legal", "label": "The <i>test</i> case", "country": arrest["country"],
                "start": arrest["date"], "end": arrest["date"], "duration_days": 0, "plot_id": plot["incident_id"],
                "steps": [{"incident_id": arrest["incident_id"], "type": arrest["type"], "date": arrest["date"],
                           "country": arrest["country"]}]}  # fmt: skip
        corroboration = {"incident_id": plot["incident_id"], "n_documents": 3, "n_copies": 1, "n_sources": 2,
                         "n_independent": 5, "state_affiliated": 0, "sources": []}  # fmt: skip
        with store.engine.begin() as conn:
            merging.replace_rows(conn, "links", [link])
            merging.replace_rows(conn, "cases", [case])
            merging.replace_rows(conn, "corroboration", [corroboration])
            merged = [{"old_id": "inc-old", "new_id": plot["incident_id"], "kind": "merged", "at": "2024-01-01"}]
            merging.save_redirects(conn, merged, [], [])
    return {"db": db, "plot": plot, "response": response, "arrest": arrest}


@pytest.fixture(scope="module")
def client(linked: dict[str, Any]) -> TestClient:
    test_client = client_for(linked["db"])
    login(test_client, "vic")
    return test_client


def test_lag_days() -> None:
    assert lag_days("2018-06-01", "2018-06-11") == 10
    assert lag_days("2018-06", "2018-06-11") is None
    assert lag_days(None, "2018-06-11") is None


def test_incident_page_shows_its_responses_with_the_lag(client: TestClient, linked: dict[str, Any]) -> None:
    plot, response = linked["plot"], linked["response"]
    detail = client.get(f"/incidents/{plot['incident_id']}.json").json()
    [link] = detail["responses"]
    assert link["other"]["incident_id"] == response["incident_id"]
    assert link["lag_days"] == lag_days(plot["date"], response["date"])
    assert detail["corroboration"]["n_independent"] == 5
    page = client.get(f"/incidents/{plot['incident_id']}").text
    assert "expelled &lt;b&gt;two&lt;/b&gt; diplomats" in page and "5 independent of 2 sources" in page
    back = client.get(f"/incidents/{response['incident_id']}.json").json()
    assert [item["other"]["incident_id"] for item in back["responds_to"]] == [plot["incident_id"]]


def test_case_page_and_case_on_the_incident(client: TestClient, linked: dict[str, Any]) -> None:
    case = client.get("/cases/case-1.json").json()
    assert case["case"]["label"] == "The <i>test</i> case"
    assert case["plot"]["incident_id"] == linked["plot"]["incident_id"]
    assert [step["incident_id"] for step in case["steps"]] == [linked["arrest"]["incident_id"]]
    page = client.get("/cases/case-1").text
    assert "The &lt;i&gt;test&lt;/i&gt; case" in page
    incident = client.get(f"/incidents/{linked['arrest']['incident_id']}.json").json()
    assert [item["case_id"] for item in incident["cases"]] == ["case-1"]
    assert client.get("/cases/nope").status_code == 404


def test_state_page_shows_how_fast_the_host_responded(client: TestClient, linked: dict[str, Any]) -> None:
    response = linked["response"]
    state = client.get(f"/states/{response['country']}.json").json()
    rows = {row["incident_id"]: row for row in state["sections"]["host"]["incidents"]}
    assert rows[response["incident_id"]]["responds_to"]["incident_id"] == linked["plot"]["incident_id"]
    assert "How fast it responded" in client.get(f"/states/{response['country']}").text


def test_merged_away_ids_redirect_to_the_incident_they_live_on_in(client: TestClient, linked: dict[str, Any]) -> None:
    plot_id = linked["plot"]["incident_id"]
    page = client.get("/incidents/inc-old", follow_redirects=False)
    assert page.status_code == 301 and page.headers["location"] == f"/incidents/{plot_id}"
    data = client.get("/incidents/inc-old.json", follow_redirects=False)
    assert data.headers["location"] == f"/incidents/{plot_id}.json"


def test_min_sources_counts_independent_sources(client: TestClient, linked: dict[str, Any]) -> None:
    found = client.get("/incidents.json?min_sources=4").json()["incidents"]
    assert [row["incident_id"] for row in found] == [linked["plot"]["incident_id"]]
