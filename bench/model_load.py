"""Cold start: how long each analyzer takes to load its model in a fresh process, and the
first report with all analyzers, for this checkout and a baseline commit in the same run.

Each figure is the median of ``--repeat`` fresh interpreters (imports included), run in
turn for this checkout and the baseline so both see the same neighbours on the shared
machine; CPU seconds are recorded beside wall seconds because they depend less on them.
The baseline is ``git archive BASELINE src`` unpacked into a temporary folder.

Run: OMP_NUM_THREADS=1 python bench/model_load.py [--baseline main] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import REPO, print_table, write_results

SAMPLE = REPO.parent / "shared" / "samples" / "seed-article-de.txt"
ANALYZERS = {
    "entities": "newsaudit.analyzers.entities:EntityAnalyzer",
    "quotes": "newsaudit.analyzers.quotes:QuotesAnalyzer",
    "claims": "newsaudit.analyzers.claims:ClaimsAnalyzer",
    "techniques": "newsaudit.analyzers.techniques:TechniqueAnalyzer",
}
PROBE = """
import importlib, json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
if sys.argv[1] == "first_report":
    from newsaudit import analyze
    analyze(open(sys.argv[2], encoding="utf-8").read())
else:
    module, name = sys.argv[1].split(":")
    getattr(importlib.import_module(module), name)().load()
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu]))
"""


def measure(src: Path, target: str) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(src), "OMP_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, target, str(SAMPLE)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wall, cpu = json.loads(out.splitlines()[-1])
    return wall, cpu


def baseline_src(revision: str, folder: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", revision, "src"], cwd=REPO, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="main", help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not SAMPLE.is_file():
        sys.exit(f"needs {SAMPLE}")
    targets = {**ANALYZERS, "first report, all analyzers": "first_report"}
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        sources = {"this": REPO / "src", "baseline": baseline_src(args.baseline, Path(tmp))}
        runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.repeat):
            for label, target in targets.items():
                for side, src in sources.items():
                    runs.setdefault((label, side), []).append(measure(src, target))
    rows = []
    for label in targets:
        entry: dict[str, float] = {}
        for side in sources:
            walls, cpus = zip(*runs[(label, side)], strict=True)
            entry[f"{side}_wall_s"] = round(statistics.median(walls), 3)
            entry[f"{side}_cpu_s"] = round(statistics.median(cpus), 3)
        entry["ratio_wall"] = round(entry["this_wall_s"] / entry["baseline_wall_s"], 3)
        entry["ratio_cpu"] = round(entry["this_cpu_s"] / entry["baseline_cpu_s"], 3)
        figures[label] = entry
        rows.append(
            (
                label,
                f"{entry['this_wall_s']:.2f} s wall / {entry['this_cpu_s']:.2f} s CPU "
                f"(baseline {entry['baseline_wall_s']:.2f} / {entry['baseline_cpu_s']:.2f}; "
                f"x{entry['ratio_wall']:.2f} wall, x{entry['ratio_cpu']:.2f} CPU)",
            )
        )
    print_table(rows)
    path = write_results(
        "model_load",
        {"baseline": args.baseline, "repeat": args.repeat, "figures": figures},
        f"fresh interpreters loading each analyzer's model; first report on {SAMPLE.name}",
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
