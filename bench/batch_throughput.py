"""Batch throughput and cold start.

Measures, on the first N FANG-COVID articles (default 1,000), articles per second on one
core for: ingest only (baseline), ingest + text layer, ingest + text layer + keywords, and
the real ``newsaudit batch`` command with its peak memory (keywords only on all N
articles, every analyzer on the first ``--full-articles``); and the cold start of
``newsaudit analyze`` on the sample against a bare ``python -c pass`` measured in the same run.

    python bench/batch_throughput.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, SHARED_DATA, print_table, write_results  # noqa: E402

FANG = SHARED_DATA / "news-fang-covid" / "fang-covid-text-only.jsonl.gz"
SAMPLE = SHARED_DATA.parent / "samples" / "seed-article-de.txt"


def one_core() -> list[str]:
    return ["taskset", "-c", "0"] if os.path.exists("/usr/bin/taskset") else []


def corpus(n: int, path: Path) -> int:
    with gzip.open(FANG, "rt", encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        count = 0
        for line in source:
            if count >= n:
                break
            row = json.loads(line)
            out.write(
                json.dumps(
                    {
                        "id": row["id"],
                        "title": row.get("header"),
                        "text": row["article"],
                        "source": row.get("source"),
                        "date": row.get("date"),
                    }
                )
                + "\n"
            )
            count += 1
    return count


def in_process_rates(path: Path) -> dict[str, float]:
    """Articles per CPU-second of each stage stack in this single-threaded process.

    CPU time, not wall time, so that other work on a shared machine does not count.
    """
    from newsaudit.analyzers.keywords import KeywordAnalyzer
    from newsaudit.ingest.corpus import iter_documents
    from newsaudit.pipeline import Pipeline

    documents = [d for d in iter_documents([str(path)]) if hasattr(d, "text")]
    rates = {}
    started = time.process_time()
    list(iter_documents([str(path)]))
    rates["ingest only (baseline)"] = len(documents) / (time.process_time() - started)
    for label, pipeline in (
        ("text layer", Pipeline([])),
        ("text layer + keywords", Pipeline([KeywordAnalyzer()])),
    ):
        pipeline.run(documents[0])
        started = time.process_time()
        for document in documents:
            pipeline.run(document)
        rates[label] = len(documents) / (time.process_time() - started)
    return rates


def batch_command(path: Path, *options: str) -> tuple[float, float, float]:
    """Wall time, CPU time and peak RSS (MB) of the real ``newsaudit batch`` on one core."""
    out = path.with_suffix(".out.jsonl")
    env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONPATH=str(REPO / "src"))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    subprocess.run(
        [
            *one_core(),
            sys.executable,
            "-m",
            "newsaudit",
            "batch",
            str(path),
            "-o",
            str(out),
            "--no-progress",
            *options,
        ],
        check=False,
        env=env,
        capture_output=True,
    )
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(before, usage.ru_maxrss)
    return elapsed, usage.ru_utime + usage.ru_stime - cpu_before, peak / 1024


def cold_starts(repeat: int) -> dict[str, dict[str, float]]:
    """Median wall and CPU seconds (CPU time is what a busy machine cannot inflate)."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))

    def median_of(cmd: list[str]) -> dict[str, float]:
        walls, cpus = [], []
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(cmd, check=True, env=env, capture_output=True)
            walls.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        return {
            "wall": round(statistics.median(walls), 3),
            "cpu": round(statistics.median(cpus), 3),
        }

    return {
        "python -c pass": median_of([sys.executable, "-c", "pass"]),
        "newsaudit analyze sample": median_of(
            [sys.executable, "-m", "newsaudit", "analyze", str(SAMPLE), "-f", "json"]
        ),
        "newsaudit analyze sample --analyzers keywords": median_of(
            [
                sys.executable,
                "-m",
                "newsaudit",
                "analyze",
                str(SAMPLE),
                "-f",
                "json",
                "--analyzers",
                "keywords",
            ]
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--full-articles", type=int, default=50, help="articles for the all-analyzer batch run"
    )
    args = parser.parse_args()
    if not FANG.exists():
        sys.exit(f"needs {FANG}")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fang.jsonl"
        n = corpus(args.articles, path)
        rates = in_process_rates(path)
        # Keywords-only first: RUSAGE_CHILDREN keeps the largest peak of any child so far.
        elapsed, cpu, peak_mb = batch_command(path, "--analyzers", "keywords")
        full_path = Path(tmp) / "fang-full.jsonl"
        full_n = corpus(args.full_articles, full_path)
        full_elapsed, full_cpu, full_peak_mb = batch_command(full_path)
    starts = cold_starts(args.repeat)
    python, analyze = starts["python -c pass"], starts["newsaudit analyze sample"]
    baseline = rates["ingest only (baseline)"]
    figures = {
        "articles": n,
        "articles_per_second": {k: round(v, 1) for k, v in rates.items()},
        "ratio_to_ingest_baseline": {k: round(v / baseline, 3) for k, v in rates.items()},
        "batch_command_seconds": round(elapsed, 2),
        "batch_command_articles_per_second": round(n / elapsed, 1),
        "batch_command_cpu_seconds": round(cpu, 2),
        "batch_command_articles_per_cpu_second": round(n / cpu, 1),
        "batch_command_peak_rss_mb": round(peak_mb, 1),
        "batch_command_options": "--analyzers keywords",
        "full_pipeline_batch": {
            "articles": full_n,
            "seconds": round(full_elapsed, 2),
            "articles_per_second": round(full_n / full_elapsed, 2),
            "articles_per_cpu_second": round(full_n / full_cpu, 2),
            "peak_rss_mb": round(full_peak_mb, 1),
        },
        "cold_start_seconds": starts,
        "cold_start_ratio_to_bare_python": round(analyze["wall"] / python["wall"], 1),
        "load_average_at_end": os.getloadavg()[0],
    }
    rows = [
        (f"{k} [articles/CPU-s, 1 core]", f"{v:.1f} (x{v / baseline:.2f} of baseline)")
        for k, v in rates.items()
    ]
    rows += [
        (
            "newsaudit batch --analyzers keywords [articles/s wall / CPU-s]",
            f"{n / elapsed:.1f} / {n / cpu:.1f} ({elapsed:.1f} s wall for {n})",
        ),
        ("newsaudit batch --analyzers keywords peak RSS [MB]", f"{peak_mb:.0f}"),
        (
            "newsaudit batch, all analyzers [articles/s wall / CPU-s]",
            f"{full_n / full_elapsed:.2f} / {full_n / full_cpu:.2f} ({full_n} articles)",
        ),
        ("newsaudit batch, all analyzers peak RSS [MB]", f"{full_peak_mb:.0f}"),
        ("cold start python -c pass [s wall / cpu]", f"{python['wall']:.3f} / {python['cpu']:.3f}"),
        *(
            (f"cold start {name} [s wall / cpu]", f"{v['wall']:.3f} / {v['cpu']:.3f}")
            for name, v in starts.items()
            if name != "python -c pass"
        ),
    ]
    print_table(rows)
    print(
        write_results(
            "batch_throughput", figures, f"first {n} articles of {FANG.name}; sample {SAMPLE.name}"
        )
    )


if __name__ == "__main__":
    main()
