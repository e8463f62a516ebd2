"""Stable incident ids: an incremental run equals a full run, in either order of the halves (sample set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from plotwatch import pipeline
from plotwatch.api import sample_path
from plotwatch.store import open_store

pytestmark = pytest.mark.model

ARTICLES = Path(sample_path())


def halves(tmp_path: Path) -> tuple[str, str]:
    lines = ARTICLES.read_text("utf-8").splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[0::2]) + "\n", "utf-8")
    second.write_text("\n".join(lines[1::2]) + "\n", "utf-8")
    return str(first), str(second)


def incidents(db: Path) -> dict[str, list[str]]:
    with open_store(str(db)) as store:
        found: dict[str, list[str]] = {}
        for event in store.iter_events(scope="all"):
            assert event.incident_id is not None
            found.setdefault(event.incident_id, []).append(event.event_id)
    return {key: sorted(value) for key, value in found.items()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    tmp = tmp_path_factory.mktemp("incremental")
    first, second = halves(tmp)
    result = {}
    for name, order in (("ab", [first, second]), ("ba", [second, first])):
        pipeline.run(order, str(tmp / f"full-{name}.db"))
        result[f"full-{name}"] = incidents(tmp / f"full-{name}.db")
        for path in order:
            pipeline.run([path], str(tmp / f"step-{name}.db"))
        result[f"step-{name}"] = incidents(tmp / f"step-{name}.db")
    return result


@pytest.mark.parametrize("order", ["ab", "ba"])
def test_incremental_run_equals_full_run(runs: dict[str, dict[str, list[str]]], order: str) -> None:
    assert runs[f"step-{order}"] == runs[f"full-{order}"]


def test_the_order_of_the_halves_changes_ids_not_incidents(runs: dict[str, dict[str, list[str]]]) -> None:
    assert sorted(runs["full-ab"].values()) == sorted(runs["full-ba"].values())


def test_a_rerun_keeps_every_id(tmp_path: Path) -> None:
    first, second = halves(tmp_path)
    db = tmp_path / "rerun.db"
    pipeline.run([first], str(db))
    before = incidents(db)
    pipeline.run([second], str(db))
    after = incidents(db)
    with open_store(str(db)) as store:
        moved = {row["old_id"] for row in store.incident_history() if row["kind"] == "merged"}
    for incident_id, events in before.items():
        assert incident_id in after or incident_id in moved, "an incident lost its id without a record"
        if incident_id in after:
            assert set(events) <= set(after[incident_id])
