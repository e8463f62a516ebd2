"""The Spark engine on local[2]: the same records as the local engine; Parquet and whole-file inputs.

One Spark session serves the module (it takes about 15 s to start); Java 17 must be installed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plotwatch import pipeline
from plotwatch.api import sample_path
from plotwatch.store import open_store
from tests.conftest import db_records

pytestmark = [pytest.mark.model, pytest.mark.spark]

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "articles.jsonl"  # else the sample


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        pytest.fail("the Spark engine needs Java 17: apt-get install openjdk-17-jre-headless (.ci/run does)")
    from plotwatch.engines.spark import spark_session

    session = spark_session("local[2]", app_name="plotwatch-tests")
    yield session
    session.stop()


def test_spark_and_local_engines_store_the_same_records(spark: Any, tmp_path: Path) -> None:
    from plotwatch.engines import spark as engine

    articles = str(DEV) if DEV.exists() else sample_path()
    local = pipeline.run([articles], str(tmp_path / "local.db"))
    distributed = engine.run([articles], str(tmp_path / "spark.db"), spark=spark)
    assert local.events > 50 and local.incidents > 20
    assert db_records(str(tmp_path / "spark.db")) == db_records(str(tmp_path / "local.db"))
    assert (distributed.documents_new, distributed.events, distributed.incidents) == (
        local.documents_new, local.events, local.incidents)  # fmt: skip


def test_spark_reads_parquet_and_whole_files_and_reports_missing_paths(spark: Any, tmp_path: Path) -> None:
    from plotwatch.engines import spark as engine

    rows = [
        {"id": "p1", "text": "The Netherlands expelled two Iranian diplomats on 7 June.", "published": "2018-06-08"},
        {"id": "p2", "html": "<html><body><p>Denmark recalled its ambassador from Tehran.</p></body></html>"},
        {"id": "p3", "title": "no text at all"},
    ]
    spark.createDataFrame([{**{"text": None, "html": None, "title": None, "published": None}, **row} for row in rows]
                          ).coalesce(1).write.parquet(str(tmp_path / "articles.parquet"))  # fmt: skip
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "story.txt").write_text("Germany summoned the Russian ambassador on Monday.", encoding="utf-8")
    db = str(tmp_path / "mixed.db")
    paths = [str(tmp_path / "articles.parquet"), str(folder), str(tmp_path / "missing.jsonl")]
    stats = engine.run(paths, db, spark=spark)
    with open_store(db) as store:
        doc_ids = {document.doc_id for document in store.iter_documents()}
        types = {event.type for event in store.iter_events("all")}
    assert {"p1", "p2", "story"} <= doc_ids and "p3" not in doc_ids
    assert {"EXPEL", "SUMMON"} <= types
    messages = json.dumps([(error.origin, error.message) for error in stats.errors])
    assert "row 3" in messages and "missing.jsonl" in messages
