"""The analytics page and its JSON twin on a hand-built database whose answers are known."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from plotwatch.store import open_store
from plotwatch.web import WebConfig, add_user, create_app
from tests.analytics_helpers import build_analytics_db
from tests.web_helpers import login


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = build_analytics_db(str(tmp_path_factory.mktemp("analytics") / "analytics.db"))
    with open_store(db) as store:
        add_user(store.engine, "vic", "viewer", "vic-viewer-pw")
    with TestClient(create_app(WebConfig(db=db))) as test_client:
        assert login(test_client, "vic", "vic-viewer-pw").status_code == 303
        yield test_client


def _numbers(page: str) -> dict[str, tuple[str, str, list[str]]]:
    """Every number with a data-metric: its text, its href and the incident ids behind it."""
    found = re.findall(r'<a class="n" href="([^"]*)" data-ids="([^"]*)" data-metric="([^"]*)">([^<]*)</a>', page)
    return {metric: (text, href, ids.split()) for href, ids, metric, text in found}


def test_numbers_and_their_incidents(client: TestClient) -> None:
    data = client.get("/analytics.json").json()
    assert data["totals"]["hostile"] == 4  # the rejected plot is left out
    assert data["totals"]["responded"] == 2
    hosts = {row["state"]: row for row in data["hosts"]}
    assert hosts["NLD"]["n_incidents"] == 2 and hosts["NLD"]["rate"] == 0.5
    assert hosts["NLD"]["by_type"]["EXPEL"]["median_lag_days"] == 83
    assert hosts["NLD"]["by_type"]["ARREST"]["median_lag_days"] == 10
    assert hosts["TUR"]["median_lag_days"] == 40
    assert hosts["AUT"]["rate"] == 0.0
    iran = next(row for row in data["perpetrators"] if row["state"] == "IRN")
    assert iran["by_year"] == {"2015": ["p-nld-2"], "2017": ["p-nld-1"], "2020": ["p-tur"]}
    assert iran["by_country"] == {"NLD": ["p-nld-2", "p-nld-1"], "TUR": ["p-tur"]}
    unified = [(g["type"], g["against"], g["states"]) for g in data["unified"]]
    assert unified == [("EXPEL", "IRN", ["DNK", "NLD", "SWE"])]
    recalls = {ep["recall_id"]: ep for ep in data["recalls"]}
    assert recalls["rec-nld"]["duration_days"] == 120 and recalls["rec-nld"]["restore_id"] == "res-nld"
    assert recalls["rec-dnk"]["reversed"] is False
    assert data["never_reversed_ids"] == ["rec-dnk"] and data["totals"]["never_reversed"] == 1
    assert data["legal"][0]["days_to_charge"] == 30
    assert "p-rejected" not in data["incidents"]
    assert data["incidents"]["p-tur"]["type"] == "KIDNAP"
    assert [row["year"] for row in data["by_year"]] == ["2014", "2015", "2016", "2017", "2018", "2019", "2020"]


def test_the_page_shows_the_json_numbers_each_linked(client: TestClient) -> None:
    page = client.get("/analytics").text
    data = client.get("/analytics.json").json()
    numbers = _numbers(page)
    text, href, ids = numbers["hostile"]
    assert text == "4" and sorted(ids) == sorted(p["incident_id"] for p in data["plots"])
    assert href.startswith("#set-")
    # A list of several incidents is on the page, each incident linked to its page.
    anchor = href[1:]
    listing = page[page.index(f'id="{anchor}"'):]
    listing = listing[: listing.index("</section>")]
    assert set(re.findall(r'href="/incidents/([^"]+)"', listing)) == set(ids)
    assert numbers["response-rate"][0] == "50%"
    assert numbers["host-TUR-responded"] == ("1", "/incidents/p-tur", ["p-tur"])
    assert numbers["never-reversed"] == ("1", "/incidents/rec-dnk", ["rec-dnk"])
    # Every fragment link has its target.
    for target in set(re.findall(r'href="#(set-\d+)"', page)):
        assert f'id="{target}"' in page
    assert '<a href="/cases/case-tur">' in page
    assert '<a href="/analytics">Analytics</a>' in page  # in the nav


def test_filters_by_state_and_year(client: TestClient) -> None:
    iran = client.get("/analytics.json?state=irn&since=2016").json()
    assert iran["filters"] == {"state": "IRN", "since": "2016"}
    assert sorted(p["incident_id"] for p in iran["plots"]) == ["p-nld-1", "p-tur"]
    assert [row["state"] for row in iran["perpetrators"]] == ["IRN"]
    russia = client.get("/analytics.json?state=RUS").json()
    assert [p["incident_id"] for p in russia["plots"]] == ["p-aut"] and russia["recalls"] == []
    # The Dutch expulsion of 3 February and the Danish one of the 5th are 2 days apart; the Swedish one 7.
    narrow = client.get("/analytics.json?days=3").json()
    assert narrow["filters"] == {"days": "3"}
    assert [(g["states"], g["first"], g["last"]) for g in narrow["unified"]] == [(["DNK", "NLD"], "2018-02-03",
                                                                                   "2018-02-05")]  # fmt: skip
    assert client.get("/analytics.json?days=1").json()["unified"] == []
    page = client.get("/analytics?state=IRN&since=2016").text
    assert 'value="IRN"' in page and 'value="2016"' in page
    assert "p-nld-2" not in page


@pytest.mark.parametrize("query", ["state=IRAN", "since=2016-1", "days=0", "days=x", "since=<script>"])
def test_bad_filters_are_a_clear_400(client: TestClient, query: str) -> None:
    answer = client.get(f"/analytics.json?{query}")
    assert answer.status_code == 400
    assert query.split("=")[0] in answer.json()["error"]
    page = client.get(f"/analytics?{query}")
    assert page.status_code == 400 and "<script>" not in page.text


def test_reading_analytics_needs_a_login(client: TestClient) -> None:
    anonymous = TestClient(client.app)
    assert anonymous.get("/analytics.json").status_code == 401
    assert anonymous.get("/analytics", follow_redirects=False).status_code == 303


def test_analytics_is_in_the_openapi_description(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    names = [p["name"] for p in schema["paths"]["/analytics.json"]["get"]["parameters"]]
    assert names == ["state", "since", "days"]
