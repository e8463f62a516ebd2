"""Benchmark of the web app on loopback: requests/second and p50/p99 latency.

    python benchmarks/web.py                      # 10,000 synthetic incidents, 8 client threads, 10 s per endpoint
    python benchmarks/web.py --incidents 2000 --seconds 5 --db /tmp/bench.db

Builds (or reuses, with --db) a database of synthetic incidents, serves it with
uvicorn (one worker process) on 127.0.0.1, logs in, then hammers each endpoint
from client threads that keep their connections open. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plotwatch.store import open_store
from plotwatch.web import WebConfig, add_user, count_users, create_app
from plotwatch.web.synthetic import load_synthetic

USER, PASSWORD = "bench", "bench-password"


def build(db: str, incidents: int) -> None:
    with open_store(db) as store:
        if store.count_incidents() == 0:
            started = time.perf_counter()
            load_synthetic(store, incidents)
            print(f"built {incidents} incidents in {time.perf_counter() - started:.0f} s", flush=True)
        if count_users(store.engine) == 0:
            add_user(store.engine, USER, "viewer", PASSWORD)


def serve(db: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(WebConfig(db=db)), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/login", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def session_cookies(base: str) -> httpx.Cookies:
    with httpx.Client(base_url=base) as client:
        page = client.get("/login").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        answer = client.post("/login", data={"csrf_token": token, "name": USER, "password": PASSWORD, "next": "/"})
        assert answer.status_code in (200, 303), answer.status_code
        return client.cookies


def hammer(base: str, cookies: httpx.Cookies, path: str, seconds: float, threads: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        mine: list[float] = []
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
            while time.monotonic() < stop:
                started = time.perf_counter()
                status = client.get(path).status_code
                mine.append(time.perf_counter() - started)
                if status != 200:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50_ms": cuts[49] * 1000,
            "p99_ms": cuts[98] * 1000, "errors": errors[0]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--db", help="database to build or reuse (default: a temporary file)")
    args = parser.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp()) / "bench.db")
    build(db, args.incidents)
    port = free_port()
    server = multiprocessing.Process(target=serve, args=(db, port), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base)
        cookies = session_cookies(base)
        with open_store(db) as store:
            incident_id = store.list_incidents(limit=1)[0]["incident_id"]
            total = store.count_incidents()
        endpoints = [("incident list (HTML, page 1 of 50 rows)", "/incidents"),
                     ("incident list (JSON)", "/incidents.json?page=3"),
                     ("incident page (HTML)", f"/incidents/{incident_id}"),
                     ("map JSON (every located incident)", "/map.json")]  # fmt: skip
        print(f"{total} incidents, {args.threads} client threads, {args.seconds:.0f} s per endpoint, one server")
        print(f"{'endpoint':42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for name, path in endpoints:
            hammer(base, cookies, path, 1.0, 2)  # warm-up
            result = hammer(base, cookies, path, args.seconds, args.threads)
            print(f"{name:42} {result['rps']:8.1f} {result['p50_ms']:8.1f} {result['p99_ms']:8.1f} "
                  f"{result['errors']:7d}", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
