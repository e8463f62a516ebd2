"""Read-only pages and their JSON twins: ``/X`` renders HTML, ``/X.json`` the same data as JSON."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from plotwatch.report.html import Links
from plotwatch.web import data, links
from plotwatch.web.analytics import analytics_data, parse_analytics
from plotwatch.web.filters import FIELDS, FilterError, Filters, parse_filters, parse_page
from plotwatch.web.site import AsReader, AsReviewer, as_json, get_site, html

router = APIRouter()
_STATE = re.compile(r"^(?:[A-Za-z]{3}|EU)$")

FILTER_HELP = {
    "type": "event type, e.g. KILL or EXPEL",
    "status": "actual, attempted, planned or denied (any event of the incident)",
    "actor": "ISO alpha-3 of the state behind it",
    "country": "ISO alpha-3 of the host country (where it happened)",
    "agency": "agency id (any event's actor), e.g. irn-mois",
    "since": "earliest date, YYYY[-MM[-DD]] (overlap)",
    "until": "latest date, YYYY[-MM[-DD]] (overlap)",
    "min_confidence": "minimum incident confidence, 0 to 1",
    "min_sources": "minimum number of independent sources (documents, before the merge stage counts them)",
    "review": "'' (default: all but rejected), confirmed, unreviewed, rejected or all",
    "scope": "default (transnational and unknown), transnational or all",
    "sort": "date (newest first), sources or confidence",
    "state": "analytics: ISO alpha-3 of the state behind the plots",
    "days": "analytics: window of a unified response, in days (default 30)",
}


def _params(*names: str) -> dict[str, Any]:
    """OpenAPI parameters (the handlers read the query string themselves, through parse_filters)."""
    return {
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": FILTER_HELP.get(name, name),
            }
            for name in names
        ]
    }


FILTERS = _params(*FIELDS)
LISTING = _params(*FIELDS, "page")


def _filters(request: Request) -> Filters:
    return parse_filters(request.query_params)


def _page(request: Request) -> int:
    return parse_page(request.query_params)


def _home(request: Request) -> dict[str, Any]:
    return data.home_data(get_site(request).store, _filters(request))


@router.get("/", include_in_schema=False)
def home(request: Request, _: AsReader) -> Response:
    return html(request, "home.html", _home(request))


@router.get(
    "/index.json", tags=["pages"], summary="Counts, latest incidents, month × type timeline", openapi_extra=FILTERS
)
def home_json(request: Request, _: AsReader) -> Response:
    return as_json(_home(request))


def _incidents(request: Request) -> dict[str, Any]:
    site = get_site(request)
    return data.incidents_data(site.store, _filters(request), _page(request), site.config.page_size)


@router.get("/incidents", include_in_schema=False)
def incidents(request: Request, _: AsReader) -> Response:
    return html(request, "incidents.html", _incidents(request))


@router.get(
    "/incidents.json", tags=["incidents"], summary="Incidents matching the filters, one page", openapi_extra=LISTING
)
def incidents_json(request: Request, _: AsReader) -> Response:
    return as_json(_incidents(request))


@router.get(
    "/incidents/{incident_id}.json",
    tags=["incidents"],
    summary="One incident: events with evidence, sources, review history",
)
def incident_json(request: Request, incident_id: str, _: AsReader) -> Response:
    return as_json(data.incident_data(get_site(request).store, incident_id))


@router.get("/incidents/{incident_id}", include_in_schema=False)
def incident(request: Request, incident_id: str, _: AsReader) -> Response:
    return html(request, "incident.html", data.incident_data(get_site(request).store, incident_id))


@router.get(
    "/documents/{doc_id}.json", tags=["documents"], summary="A document's text with every event's evidence marked"
)
def document_json(request: Request, doc_id: str, _: AsReader) -> Response:
    return as_json(data.document_data(get_site(request).store, doc_id))


@router.get("/documents/{doc_id}", include_in_schema=False)
def document(request: Request, doc_id: str, _: AsReader) -> Response:
    return html(request, "document.html", data.document_data(get_site(request).store, doc_id))


@router.get("/cases/{case_id}.json", tags=["cases"], summary="A legal case or recall episode, its steps in order")
def case_json(request: Request, case_id: str, _: AsReader) -> Response:
    return as_json(links.case_data(get_site(request).store, case_id))


@router.get("/cases/{case_id}", include_in_schema=False)
def case(request: Request, case_id: str, _: AsReader) -> Response:
    return html(request, "case.html", links.case_data(get_site(request).store, case_id))


def _state(request: Request, code: str) -> dict[str, Any]:
    if not _STATE.match(code):
        raise FilterError(f"state {code!r}: expected an ISO 3166 alpha-3 code such as IRN, or EU")
    return data.state_data(get_site(request).store, code, limit=100)


@router.get(
    "/states/{code}.json", tags=["states"], summary="A state as perpetrator, as host (its responses), as target"
)
def state_json(request: Request, code: str, _: AsReader) -> Response:
    return as_json(_state(request, code))


@router.get("/states/{code}", include_in_schema=False)
def state(request: Request, code: str, _: AsReader) -> Response:
    return html(request, "state.html", _state(request, code))


def _agency(request: Request, agency_id: str) -> dict[str, Any]:
    site = get_site(request)
    return data.agency_data(site.store, agency_id, _page(request), site.config.page_size)


@router.get("/agencies/{agency_id}.json", tags=["agencies"], summary="Incidents in which an agency acts")
def agency_json(request: Request, agency_id: str, _: AsReader) -> Response:
    return as_json(_agency(request, agency_id))


@router.get("/agencies/{agency_id}", include_in_schema=False)
def agency(request: Request, agency_id: str, _: AsReader) -> Response:
    return html(request, "agency.html", _agency(request, agency_id))


def _map(request: Request) -> dict[str, Any]:
    return data.map_data(get_site(request).store, _filters(request))


@router.get("/map", include_in_schema=False)
def map_page(request: Request, _: AsReader) -> Response:
    return html(request, "map.html", {"filters": _filters(request).params()})


@router.get(
    "/map.json", tags=["map"], summary="Map markers: matching incidents with coordinates", openapi_extra=FILTERS
)
def map_json(request: Request, _: AsReader) -> Response:
    return as_json(_map(request))


def _analytics(request: Request) -> dict[str, Any]:
    return analytics_data(get_site(request).store, parse_analytics(request.query_params))


@router.get("/analytics", include_in_schema=False)
def analytics(request: Request, _: AsReader) -> Response:
    return html(request, "analytics.html", _analytics(request), links=Links())


@router.get(
    "/analytics.json",
    tags=["analytics"],
    summary="Response rates and lags by host state, plots by perpetrator, unified responses, recalls, legal cases",
    openapi_extra=_params("state", "since", "days"),
)
def analytics_json(request: Request, _: AsReader) -> Response:
    return as_json(_analytics(request))


def _search(request: Request) -> dict[str, Any]:
    query = request.query_params.get("q", "")[:200]
    return data.search_data(get_site(request).store, query)


@router.get("/search", include_in_schema=False)
def search(request: Request, _: AsReader) -> Response:
    return html(request, "search.html", _search(request))


@router.get(
    "/search.json",
    tags=["search"],
    summary="Full-text search of incidents and documents",
    openapi_extra={"parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}]},
)
def search_json(request: Request, _: AsReader) -> Response:
    return as_json(_search(request))


def _audit(request: Request) -> dict[str, Any]:
    return data.audit_data(get_site(request).store, _page(request), 100)


@router.get("/audit", include_in_schema=False)
def audit(request: Request, _: AsReviewer) -> Response:
    return html(request, "audit.html", _audit(request))


@router.get("/audit.json", tags=["review"], summary="The audit log, newest first (reviewers and admins)")
def audit_json(request: Request, _: AsReviewer) -> Response:
    return as_json(_audit(request))


@router.get("/api", include_in_schema=False)
def api(request: Request, _: AsReader) -> Response:
    schema = request.app.openapi()
    endpoints = [
        {"path": path, "summary": op.get("summary", "")}
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method == "get"
    ]
    return html(request, "api.html", {"endpoints": endpoints})
