"""Release throughput: ``newsaudit batch`` with its defaults, this checkout against a baseline.

Issue 19's measure of what a user gets on a 2-core machine: the real ``newsaudit batch``
with its defaults (every analyzer, one worker per core) on a seeded sample of FANG-COVID
training-outlet articles (never the test outlets), for this checkout and for a
baseline commit (``git archive BASELINE src`` unpacked into a temporary folder, run by the
same interpreter) in the same run, so both see the same machine. It reports articles per
second (wall clock), CPU-seconds per article (all worker processes), the peak RSS of the
largest process (a worker), the cold start of ``newsaudit analyze`` on the sample (median
of ``--repeat``), and whether a batch with one worker writes the same reports as the
default (this checkout only: the baseline's ``--workers`` starts a Dask cluster). Other
work on the machine slows the wall clock, so the load average before and after each
checkout's runs is recorded beside the figures.

    python bench/release_throughput.py [--articles 100] [--baseline 2dcb937] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, SHARED_DATA, print_table, write_results  # noqa: E402
from newsaudit.benchmarks.fang import TEST_OUTLETS, records  # noqa: E402

SAMPLE = SHARED_DATA.parent / "samples" / "seed-article-de.txt"
SEED = 19
# The main the issue was measured on (end of the first wave).
DEFAULT_BASELINE = "2dcb937"


def write_sample(n: int, path: Path) -> float:
    """``n`` seeded FANG-COVID training-outlet articles as batch JSONL; returns their mean
    length in characters."""
    pool = [
        r for r in records() if (r.get("article") or "").strip() and r["source"] not in TEST_OUTLETS
    ]
    chosen = random.Random(SEED).sample(pool, n)
    with path.open("w", encoding="utf-8") as out:
        for row in chosen:
            record = {"id": row["id"], "title": row.get("header"), "text": row["article"]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return statistics.mean(len(r["article"]) for r in chosen)


def baseline_src(revision: str, folder: Path) -> Path:
    archive = folder / "baseline.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "-o", str(archive), revision, "src"], check=True
    )
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def run(cmd: list[str], src: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one command. ``wait4`` reports the CPU
    of the process and of every worker it waited for, and the RSS of the largest of them."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("OMP_NUM_THREADS", None)
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{cmd} failed: {errors.read().decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def batch(src: Path, corpus: Path, out: Path, *options: str) -> dict[str, float]:
    cmd = [sys.executable, "-m", "newsaudit", "batch", str(corpus), "-o", str(out)]
    wall, cpu, peak = run([*cmd, "--no-progress", *options], src)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mb": round(peak)}


def cold_start(src: Path, repeat: int) -> dict[str, float]:
    cmd = [sys.executable, "-m", "newsaudit", "analyze", str(SAMPLE), "-f", "json"]
    walls, cpus, _ = zip(*(run(cmd, src) for _ in range(repeat)), strict=True)
    return {
        "wall_s": round(statistics.median(walls), 2),
        "cpu_s": round(statistics.median(cpus), 2),
    }


def reports(path: Path) -> list[dict]:
    """Batch records without the fields that differ between any two runs (timings)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        report = row.get("report", row)
        if isinstance(report, dict):
            report.pop("timings", None)
        rows.append(row)
    return rows


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (what else the shared cores were doing)."""
    return [round(load, 2) for load in os.getloadavg()]


def measure(
    name: str, src: Path, corpus: Path, folder: Path, n: int, repeat: int, one_worker: bool
) -> dict:
    out = folder / f"{name}.jsonl"
    figures: dict = {"load_before": load_average()}
    figures |= batch(src, corpus, out)
    figures |= {
        "articles_per_second": round(n / figures["wall_s"], 3),
        "cpu_s_per_article": round(figures["cpu_s"] / n, 3),
        "cold_start": cold_start(src, repeat),
    }
    if one_worker:
        single = folder / f"{name}-1.jsonl"
        figures["one_worker"] = batch(src, corpus, single, "--workers", "1")
        figures["one_worker_same_reports"] = reports(single) == reports(out)
    figures["load_after"] = load_average()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="git revision to compare")
    parser.add_argument("--repeat", type=int, default=3, help="cold starts per checkout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "articles.jsonl"
        mean_chars = write_sample(args.articles, corpus)
        base = measure(
            "baseline",
            baseline_src(args.baseline, folder),
            corpus,
            folder,
            args.articles,
            args.repeat,
            one_worker=False,
        )
        this = measure(
            "this", REPO / "src", corpus, folder, args.articles, args.repeat, one_worker=True
        )
    ratios = {
        "articles_per_second": round(this["articles_per_second"] / base["articles_per_second"], 3),
        "cpu_s_per_article": round(this["cpu_s_per_article"] / base["cpu_s_per_article"], 3),
        "cold_start_cpu": round(this["cold_start"]["cpu_s"] / base["cold_start"]["cpu_s"], 3),
    }
    figures = {
        "articles": args.articles,
        "mean_characters": round(mean_chars),
        "cores": len(os.sched_getaffinity(0)),
        "baseline": args.baseline,
        "this": this,
        "baseline_figures": base,
        "ratio_this_to_baseline": ratios,
    }
    write_results(
        "release_throughput",
        figures,
        f"{args.articles} seeded FANG-COVID training-outlet articles (seed {SEED}); "
        "newsaudit batch defaults",
    )
    print_table(
        [
            (label, f"{this[key]} (baseline {base[key]}, x{ratios[key]})")
            for label, key in (
                ("articles/s (wall)", "articles_per_second"),
                ("CPU-s per article", "cpu_s_per_article"),
            )
        ]
        + [
            (
                "cold start CPU-s",
                f"{this['cold_start']['cpu_s']} (baseline {base['cold_start']['cpu_s']})",
            ),
            ("1 worker == default", str(this["one_worker_same_reports"])),
        ]
    )


if __name__ == "__main__":
    main()
