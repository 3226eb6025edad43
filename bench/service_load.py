"""Requests/second and latency of POST /api/analyze on loopback, 8 concurrent clients.

Starts a real ``newsaudit serve`` on 127.0.0.1 with a fresh SQLite store, warms it up, then
sends distinct articles (so every request is analysed and stored). The baseline, measured in
the same run, is one client sending requests one after another.

    python -m bench.service_load [--articles 240] [--clients 8]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.common import REPO, print_table, write_results
from bench.corpus import fang_rows


def _start_server(db: Path, workers: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OMP_NUM_THREADS": "1"}
    env.pop("NEWSAUDIT_TOKEN", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsaudit",
            "serve",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{db}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("server did not start")


def _run(base: str, rows: list[dict], clients: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0

    def one(client: httpx.Client, row: dict) -> None:
        nonlocal errors
        began = time.perf_counter()
        response = client.post(
            f"{base}/api/analyze",
            json={"text": row["text"], "source": row["source"], "date": row["date"]},
            timeout=120,
        )
        latencies.append(time.perf_counter() - began)
        if response.status_code not in (200, 201):
            errors += 1

    def worker(share: list[dict]) -> None:
        with httpx.Client() as client:
            for row in share:
                one(client, row)

    shares = [rows[i::clients] for i in range(clients)]
    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, shares))
    wall = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "requests": len(rows),
        "errors": errors,
        "seconds": round(wall, 3),
        "requests_per_second": round(len(rows) / wall, 2),
        "p50_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
        "p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=240)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--server-workers", type=int, default=1, help="serve --workers N")
    args = parser.parse_args()
    rows = fang_rows(args.articles + 40 + args.articles // 4)
    warm, sequential, concurrent = (
        rows[:40],
        rows[40 : 40 + args.articles // 4],
        rows[40 + args.articles // 4 :],
    )
    with tempfile.TemporaryDirectory() as tmp:
        server, base = _start_server(Path(tmp) / "bench.db", args.server_workers)
        try:
            _run(base, warm, 1)  # models loaded, caches and the store warm
            baseline = _run(base, sequential, 1)
            loaded = _run(base, concurrent, args.clients)
        finally:
            server.terminate()
            server.wait(timeout=30)
    mean_chars = round(statistics.mean(len(r["text"]) for r in concurrent))
    figures = {
        "clients": args.clients,
        "server_workers": args.server_workers,
        "concurrent": loaded,
        "sequential_baseline": baseline,
        "throughput_ratio_vs_sequential": round(
            loaded["requests_per_second"] / baseline["requests_per_second"], 2
        ),
        "mean_article_chars": mean_chars,
    }
    print_table(
        [
            ("clients", str(args.clients)),
            ("server processes", str(args.server_workers)),
            ("requests (concurrent)", str(loaded["requests"])),
            ("req/s, 8 clients", str(loaded["requests_per_second"])),
            ("p50 / p95 / p99 ms", f"{loaded['p50_ms']} / {loaded['p95_ms']} / {loaded['p99_ms']}"),
            ("req/s, 1 client (baseline)", str(baseline["requests_per_second"])),
            ("p95 ms, 1 client", str(baseline["p95_ms"])),
            ("ratio 8 clients / 1 client", str(figures["throughput_ratio_vs_sequential"])),
            ("errors", str(loaded["errors"] + baseline["errors"])),
        ]
    )
    name = "service_load" if args.server_workers == 1 else f"service_load_{args.server_workers}w"
    path = write_results(
        name,
        figures,
        f"{len(rows)} FANG-COVID articles (first rows, >= 300 chars, cut at 12000; mean "
        f"{mean_chars} chars), distinct texts, POST /api/analyze JSON on 127.0.0.1, SQLite store",
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
