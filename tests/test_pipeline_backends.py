"""The whole pipeline on each backend: the same records on SQLite and PostgreSQL, and concurrent runs.

PostgreSQL runs when PLOTWATCH_TEST_POSTGRES names a scratch database (.ci/run starts one);
in CI its absence is a failure, not a skip.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from plotwatch import pipeline
from plotwatch.api import sample_path
from tests.conftest import PG_URL, db_records, fresh_postgres

pytestmark = pytest.mark.model

Records = dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Records:
    db = str(tmp_path_factory.mktemp("reference") / "reference.db")
    pipeline.run([sample_path()], db)
    return db_records(db)


def test_postgres_is_configured_in_ci() -> None:
    if os.environ.get("CI") and not PG_URL:
        pytest.fail("CI must run the tests on PostgreSQL too: .ci/run sets PLOTWATCH_TEST_POSTGRES")


def test_the_pipeline_gives_the_same_records_on_each_backend(backend_db: str, reference: Records) -> None:
    pipeline.run([sample_path()], backend_db)
    found = db_records(backend_db)
    assert found["events"] and found["incidents"]
    assert found == reference
    again = pipeline.run([sample_path()], backend_db)
    assert (again.documents_new, again.events) == (0, 0)
    assert db_records(backend_db) == reference


@pytest.mark.skipif(not PG_URL, reason="set PLOTWATCH_TEST_POSTGRES to a scratch PostgreSQL database")
def test_two_concurrent_runs_on_postgres_store_everything_once(reference: Records, tmp_path: Path) -> None:
    db = fresh_postgres()  # new: both processes also race to create the schema
    command = [sys.executable, "-m", "plotwatch.cli", "run", sample_path(), "--db", db]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    assert db_records(db) == reference
