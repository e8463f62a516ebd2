"""The review workflow: confirm, reject, reopen and edit incidents; the audit log; edits survive re-runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from plotwatch.errors import NotFoundError
from plotwatch.models import Incident
from plotwatch.store import open_store
from plotwatch.web import review
from tests.web_helpers import client_for, csrf_of, login

ONE = "inc-syn-00001"


@pytest.fixture
def db(tmp_path: Path) -> str:
    from tests.web_helpers import build_db

    return build_db(tmp_path / "review.db", n_incidents=8, hostile=False)


@pytest.fixture
def reviewer(db: str) -> TestClient:
    client = client_for(db)
    login(client, "rev")
    return client


def _post(client: TestClient, incident_id: str, **form: str) -> int:
    token = csrf_of(client.get(f"/incidents/{incident_id}").text)
    response = client.post(f"/incidents/{incident_id}/review", data={"csrf_token": token, **form},
                           follow_redirects=False)  # fmt: skip
    return response.status_code


def test_confirm_shows_in_the_page_list_and_audit_log(reviewer: TestClient) -> None:
    assert _post(reviewer, ONE, action="confirm", reason="two courts said so") == 303
    detail = reviewer.get(f"/incidents/{ONE}.json").json()
    assert detail["incident"]["review"] == "confirmed" and detail["review"]["by"] == "rev"
    entry = detail["history"][0]
    assert (entry["user_name"], entry["action"], entry["reason"]) == ("rev", "incident.confirm", "two courts said so")
    assert {"field": "status", "before": None, "after": "confirmed"} in entry["changes"]
    assert "two courts said so" in reviewer.get(f"/incidents/{ONE}").text
    confirmed = reviewer.get("/incidents.json?review=confirmed").json()
    assert [row["incident_id"] for row in confirmed["incidents"]] == [ONE]
    assert reviewer.get("/audit.json").json()["entries"][0]["target_id"] == ONE


def test_rejected_incidents_leave_the_default_list(reviewer: TestClient) -> None:
    total = reviewer.get("/incidents.json").json()["total"]
    assert _post(reviewer, ONE, action="reject") == 400  # a reason is required
    assert _post(reviewer, ONE, action="reject", reason="a hypothetical, not an event") == 303
    assert reviewer.get("/incidents.json").json()["total"] == total - 1
    assert reviewer.get("/incidents.json?review=rejected").json()["total"] == 1
    assert reviewer.get("/incidents.json?review=all").json()["total"] == total
    assert _post(reviewer, ONE, action="reopen") == 303
    assert reviewer.get("/incidents.json").json()["total"] == total


def test_edits_override_fields_everywhere_and_are_audited(reviewer: TestClient) -> None:
    before = reviewer.get(f"/incidents/{ONE}.json").json()["incident"]
    status = _post(reviewer, ONE, action="edit", type="SPY", country="aut", label="Edited label",
                   date=before["date"], reason="the court ruling says espionage")  # fmt: skip
    assert status == 303
    detail = reviewer.get(f"/incidents/{ONE}.json").json()
    assert (detail["incident"]["type"], detail["incident"]["country"]) == ("SPY", "AUT")
    assert detail["review"]["edited"] == {"type": "SPY", "country": "AUT", "label": "Edited label"}
    assert detail["review"]["pipeline"]["type"] == before["type"]
    changed = {change["field"]: change["after"] for change in detail["history"][0]["changes"]}
    assert changed == {"type": "SPY", "country": "AUT", "label": "Edited label", "status": "unreviewed"}
    spies = reviewer.get("/incidents.json?type=SPY&country=AUT").json()["incidents"]
    assert ONE in [row["incident_id"] for row in spies]
    assert _post(reviewer, ONE, action="edit", type="NOPE", reason="x") == 400
    assert _post(reviewer, ONE, action="edit", date="2019-13", reason="x") == 400


def test_reviews_survive_a_pipeline_rerun(db: str, reviewer: TestClient) -> None:
    _post(reviewer, ONE, action="confirm", reason="checked")
    _post(reviewer, ONE, action="edit", label="Kept label", reason="clearer")
    with open_store(db) as store:  # a re-run rewrites the incidents table from the events
        incidents = []
        for row in store.list_incidents():
            members = [event for event in store.iter_events(scope="all") if event.incident_id == row["incident_id"]]
            incidents.append(Incident(row["incident_id"], row["type"], members, row["confidence"]))
        store.replace_incidents(incidents)
    detail = reviewer.get(f"/incidents/{ONE}.json").json()
    assert detail["incident"]["review"] == "confirmed" and detail["incident"]["label"] == "Kept label"
    assert len(detail["history"]) == 2


def test_review_errors(db: str) -> None:
    with open_store(db) as store:
        with pytest.raises(NotFoundError):
            review.review(store, "inc-nope", "confirm", "rev")
        with pytest.raises(review.ReviewError, match="unknown review action"):
            review.review(store, ONE, "delete", "rev", "why")
        with pytest.raises(review.ReviewError, match="cannot edit"):
            review.review(store, ONE, "edit", "rev", "why", edits={"n_events": "3"})
        with pytest.raises(review.ReviewError, match="nothing to change"):
            review.review(store, ONE, "edit", "rev", "why", edits={"label": ""})
        with pytest.raises(review.ReviewError, match="nothing to reopen"):
            review.review(store, ONE, "reopen", "rev")


def test_merge_and_split_from_the_incident_page(db: str, reviewer: TestClient) -> None:
    from plotwatch.merge.stage import merge_store

    with open_store(db) as store:
        merge_store(store)  # the merge stage's own ids, as after a pipeline run
        rows = store.list_incidents()
    keep, other = rows[0]["incident_id"], rows[1]["incident_id"]
    assert _post(reviewer, keep, action="merge", other_id=other) == 400  # a reason is required
    assert _post(reviewer, keep, action="merge", other_id=other, reason="the same attack") == 303
    moved = reviewer.get(f"/incidents/{other}", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == f"/incidents/{keep}"
    merged = reviewer.get(f"/incidents/{keep}.json").json()
    assert merged["history"][0]["action"] == "incident.merge" and merged["history"][0]["reason"] == "the same attack"
    first = merged["events"][0]["event_id"]
    token = csrf_of(reviewer.get(f"/incidents/{keep}").text)
    form = {"csrf_token": token, "action": "split", "event_id": first, "reason": "a different attack"}
    assert reviewer.post(f"/incidents/{keep}/review", data=form, follow_redirects=False).status_code == 303
    after = reviewer.get(f"/incidents/{keep}.json").json()
    assert first not in [event["event_id"] for event in after["events"]]
    assert after["history"][0]["action"] == "incident.split"
