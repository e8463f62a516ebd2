"""The Spark engine: ingest, extract and resolve as PySpark jobs; merge and store on the driver.

``plotwatch run --engine spark --master local[2] PATH...`` (or any master URL:
``spark://host:7077``, ``yarn``, ``k8s://...``). PATHs are local paths or any
Hadoop-compatible URI Spark reads (``file://``, ``hdfs://``, ``s3a://``...);
folders are listed recursively, hidden files (``.x``, ``_SUCCESS``) left out.

- JSON Lines (``.jsonl``, ``.jsonl.gz``): Spark's text source splits a file
  across tasks; each line goes through ``plotwatch.ingest.jsonl.read_line``,
  as in the local engine.
- Parquet (``.parquet``): rows with the JSONL contract's columns (``id``,
  ``text`` or ``html``, ``url``, ``title``, ``published``, ``language``,
  ``source``), checked by the same JSONL code.
- Anything else plotwatch reads (WARC, HTML, text, CSV, feeds, .gz, .zip):
  whole files (Spark's binary file source) read by ``plotwatch.ingest``.

Each executor's Python worker loads the spaCy pipeline once
(``load_pipeline`` is cached per process and PySpark reuses its workers) and
extracts its partition with ``plotwatch.extract``. The driver streams the
results back one partition at a time (memory is a partition, not the
corpus), stores them with the same ``Store`` calls as the local engine, and
merges with ``pipeline.merge_all``: the records equal the local engine's.
Executors need plotwatch installed in the Python they run.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from plotwatch import pipeline
from plotwatch.errors import ConfigError
from plotwatch.extract import extract, pipeline_version
from plotwatch.ingest import read_inputs
from plotwatch.ingest.jsonl import STRING_FIELDS, read_line
from plotwatch.ingest.limits import MAX_TEXT_CHARS
from plotwatch.models import Document, Event, IngestError, RunStats
from plotwatch.store import Store, open_store

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

__all__ = ["DEFAULT_MASTER", "run", "spark_session"]

DEFAULT_MASTER = "local[2]"
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
PARQUET_SUFFIX = ".parquet"
# Tasks per core for a splittable file: small tasks keep every core busy to the end.
TASKS_PER_CORE = 4

# One unit of input for the executors: (kind, origin, payload); kind is "line" (a JSONL
# line or a Parquet row as JSON) or "file" (a whole file's bytes; origin is its path).
Item = tuple[str, str, bytes]
# What comes back to the driver: an IngestError, or a document with its events
# (None when its extraction failed and the driver should retry it).
Result = IngestError | tuple[Document, list[Event] | None]


def spark_session(master: str = DEFAULT_MASTER, app_name: str = "plotwatch") -> SparkSession:
    """A Spark session on ``master`` whose Python workers run this interpreter."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError(
            "the Spark engine needs PySpark: pip install 'plotwatch[spark]' (and Java 17 on the machine)"
        ) from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # a local run needs no network interface
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                       "spark.python.worker.reuse": "true"}.items():  # fmt: skip
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def run(paths: Sequence[str], db: str, master: str = DEFAULT_MASTER, spark: SparkSession | None = None) -> RunStats:
    """Ingest and extract ``paths`` on Spark, then store and merge them into ``db`` on the driver.

    Pass ``spark`` to reuse a session (it is left running); otherwise one is
    started on ``master`` and stopped at the end.
    """
    session = spark or spark_session(master)
    stats = RunStats()
    try:
        results = _results(session, paths)
        with open_store(db) as store:
            store_results(store, results, stats)
            pipeline.extract_pending(store, stats)  # documents whose extraction failed on an executor
            pipeline.merge_all(store, stats)
    finally:
        if spark is None:
            session.stop()
    return stats


def store_results(store: Store, results: Iterable[Result], stats: RunStats) -> None:
    """Store what the executors found, in input order, with the local engine's calls."""
    for result in results:
        if isinstance(result, IngestError):
            pipeline.store_items(store, [result], stats)
            continue
        document, events = result
        pipeline.store_items(store, [document], stats)
        if events is not None and _needs_events(store, document):
            store.save_extraction(document.doc_id, pipeline_version(), events)
            stats.events += len(events)


def _needs_events(store: Store, document: Document) -> bool:
    """The stored document under this id is this text, and this extractor has not done it yet."""
    if store.is_extracted(document.doc_id, pipeline_version()):
        return False
    stored = store.get_document(document.doc_id)
    return stored is not None and stored.content_hash == document.content_hash


def _results(spark: SparkSession, paths: Sequence[str]) -> Iterator[Result]:
    """The executors' results, streamed to the driver one partition at a time, in input order."""
    found = [_expand(spark, path) for path in paths]
    for path, files in zip(paths, found, strict=True):
        if not files:
            yield IngestError(path, "no such file or folder; check the path")
    rdds = [_items(spark, file) for files in found for file in files]
    if rdds:
        items = rdds[0] if len(rdds) == 1 else spark.sparkContext.union(rdds)
        yield from items.mapPartitions(process_partition).toLocalIterator(prefetchPartitions=True)


def _expand(spark: SparkSession, path: str) -> list[str]:
    """The files behind a path or URI (a folder recursively, sorted; hidden files left out)."""
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    fs = hadoop_path.getFileSystem(conf)
    files: list[str] = []
    for status in fs.globStatus(hadoop_path) or []:
        if not status.isDirectory():
            files.append(status.getPath().toString())
            continue
        listing = fs.listFiles(status.getPath(), True)
        while listing.hasNext():
            child = listing.next().getPath()
            relative = child.toString()[len(status.getPath().toString()) :]
            if not any(part.startswith((".", "_")) for part in relative.split("/") if part):
                files.append(child.toString())
    local = "://" not in path and not path.startswith("file:")
    return sorted(_as_given(file) if local else file for file in files)


def _as_given(uri: str) -> str:
    """A local file's URI as a path again ("file:/tmp/a.jsonl" → "/tmp/a.jsonl"), for error origins."""
    return "/" + uri.removeprefix("file:").lstrip("/") if uri.startswith("file:") else uri


def _items(spark: SparkSession, file: str) -> RDD[Item]:
    """One file's input items, split into tasks where the format allows it."""
    lower = file.lower()
    context = spark.sparkContext
    if lower.endswith(JSONL_SUFFIXES):
        parts = context.defaultParallelism * TASKS_PER_CORE
        lines = cast("RDD[bytes]", context.textFile(file, minPartitions=parts, use_unicode=False))
        return lines.zipWithIndex().map(lambda pair: ("line", f"{file}:{pair[1] + 1}", pair[0]))
    if lower.endswith(PARQUET_SUFFIX):
        rows = spark.read.parquet(file).rdd.zipWithIndex()
        return rows.map(lambda pair: ("line", f"{file}:row {pair[1] + 1}", _row_json(pair[0].asDict())))
    return context.binaryFiles(file).map(lambda pair: ("file", file, bytes(pair[1])))


def _row_json(row: dict[str, Any]) -> bytes:
    """A Parquet row as a JSONL line of the input contract (other columns dropped, dates as ISO)."""
    fields = {key: value for key, value in row.items() if key in STRING_FIELDS and value is not None}
    return json.dumps(fields, default=lambda value: value.isoformat()[:10], ensure_ascii=False).encode("utf-8")


def process_partition(items: Iterable[Item]) -> Iterator[Result]:
    """Executor side: ingest a partition's items, then extract its documents (model loaded once per worker)."""
    read = [result for item in items for result in _ingest(item)]
    documents = [result for result in read if isinstance(result, Document)]
    found = {id(document): events for document, events in extract(documents)}  # by identity: ids may clash
    for result in read:
        yield result if isinstance(result, IngestError) else (result, found.get(id(result)))


def _ingest(item: Item) -> list[Document | IngestError]:
    kind, origin, payload = item
    if kind == "line":
        return [read_line(payload, origin, MAX_TEXT_CHARS)] if payload.strip() else []
    return _read_file(origin, payload)


def _read_file(origin: str, payload: bytes) -> list[Document | IngestError]:
    """A whole file read by ``plotwatch.ingest`` from a local copy; origins name the original."""
    name = origin.rstrip("/").rsplit("/", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="plotwatch-spark-") as folder:
        local = os.path.join(folder, name)
        with open(local, "wb") as handle:
            handle.write(payload)
        return [_renamed(result, local, origin) for result in read_inputs([local])]


def _renamed(result: Document | IngestError, local: str, origin: str) -> Document | IngestError:
    where = (result.origin or "").replace(local, origin, 1)
    return replace(result, origin=where)
