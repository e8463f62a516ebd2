"""A hand-built database with known analytics answers, for the analytics page, chart and report tests.

Not a test module (pytest collects only test_*.py). Three plots behind Iran (two in the
Netherlands, one in Turkey) and one behind Russia, their responses, a unified expulsion,
a recall that lasted 120 days and one never reversed, a legal case and a rejected plot.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from plotwatch.store import open_store
from plotwatch.store.merge_schema import cases, incident_links, incident_reviews
from plotwatch.store.schema import incidents


def _row(key: str, kind: str, when: str | None, where: str | None, by: str | None = None,
         against: str | None = None, reported: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {"incident_id": key, "type": kind, "country": where, "date": when, "date_end": None, "actor_state": by,
            "target_state": against, "n_events": 1, "n_documents": 1, "confidence": 0.8,
            "first_reported": reported or when, "last_reported": reported or when,
            "label": f"{kind} {where or by} {key}"}  # fmt: skip


# Three plots behind Iran (two in the Netherlands, one in Turkey), one behind Russia (in Austria).
ROWS = [
    _row("p-nld-1", "KILL", "2017-11-08", "NLD", by="IRN"),
    _row("p-nld-2", "KILL", "2015-12-15", "NLD", by="IRN"),
    _row("p-tur", "KIDNAP", "2020-10-30", "TUR", by="IRN"),
    _row("p-aut", "SURVEIL", "2014-06", "AUT", by="RUS"),
    # The Netherlands answer the first plot: two expulsions, 79 and 87 days on; an arrest 10 days on.
    _row("r-exp-a", "EXPEL", "2018-01-26", "NLD", against="IRN"),
    _row("r-exp-b", "EXPEL", "2018-02-03", "NLD", against="IRN"),
    _row("r-arr", "ARREST", "2017-11-18", "NLD"),
    # Turkey arrests 40 days after the kidnapping; Denmark and Sweden expel Iranian diplomats in the same week.
    _row("r-tur", "ARREST", "2020-12-09", "TUR"),
    _row("x-dnk", "EXPEL", "2018-02-05", "DNK", against="IRN"),
    _row("x-swe", "EXPEL", "2018-02-10", "SWE", against="IRN"),
    # Recalls: the Netherlands recall their ambassador and send her back 120 days later; Denmark never does.
    _row("rec-nld", "RECALL", "2018-02-01", None, by="NLD", against="IRN"),
    _row("res-nld", "RESTORE", "2018-06-01", None, by="NLD", against="IRN"),
    _row("rec-dnk", "RECALL", "2018-11-01", None, by="DNK", against="IRN"),
    # A rejected plot: left out everywhere.
    _row("p-rejected", "KILL", "2019-01-01", "NLD", by="IRN"),
    # The legal case after the Turkish kidnapping.
    _row("c-arr", "ARREST", "2020-12-09", "TUR"),
    _row("c-chg", "CHARGE", "2021-01-08", "TUR"),
]
LINKS = [("r-exp-a", "p-nld-1"), ("r-exp-b", "p-nld-1"), ("r-arr", "p-nld-1"), ("r-tur", "p-tur")]
STEPS = [{"incident_id": "c-arr", "type": "ARREST", "date": "2020-12-09", "country": "TUR"},
         {"incident_id": "c-chg", "type": "CHARGE", "date": "2021-01-08", "country": "TUR"}]  # fmt: skip


def build_analytics_db(db: str) -> str:
    """Write the hand-built incidents, links, case and review into a new database ``db``."""
    with open_store(db) as store, store.engine.begin() as conn:
        conn.execute(insert(incidents), ROWS)
        conn.execute(insert(incident_links), [
            {"link_id": f"l-{a}-{b}", "kind": "response_to", "source_id": a, "target_id": b, "rule": "test",
             "evidence_doc": None, "evidence_text": None, "confidence": 0.9} for a, b in LINKS])  # fmt: skip
        conn.execute(insert(cases), [{"case_id": "case-tur", "kind": "legal", "label": "ARREST → CHARGE",
                                      "country": "TUR", "start": "2020-12-09", "end": "2021-01-08",
                                      "duration_days": 30, "plot_id": "p-tur", "steps": STEPS}])  # fmt: skip
        rejected = {"incident_id": "p-rejected", "status": "rejected", "event_ids": [], "updated_by": "ana",
                    "updated_at": "2024-01-01T00:00:00Z"}  # fmt: skip
        conn.execute(insert(incident_reviews), [rejected])
    return db
