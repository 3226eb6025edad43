"""What every benchmark records beside its figures (input, commit and machine), and the
seeded training-outlet sample the CPU-cost benchmarks share."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("NEWSAUDIT_SHARED", REPO.parent / "shared")) / "data"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_results(name: str, figures: dict[str, Any], input_description: str) -> Path:
    """Write ``bench/results/<name>.json`` and return its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": commit(),
        "machine": machine(),
        "input": input_description,
        "figures": figures,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


def print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def seconds_per_article(pipeline: Any, docs: list[Any], repeats: int = 2) -> float:
    """Best of ``repeats`` CPU-time passes (CPU time so other work on the machine is ignored)."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for doc in docs:
            pipeline.run(doc)
        best = min(best, (time.process_time() - started) / len(docs))
    return best


TRAINING_OUTLETS = ("tagesspiegel.de", "zeit.de", "journalistenwatch.com", "de.rt.com")
"""FANG-COVID training outlets (never the test outlets, which are reserved for evaluation)."""


def training_outlet_documents(per_outlet: int = 5, seed: int = 16, min_chars: int = 1500) -> list:
    """The seeded sample of whole training-outlet articles the CPU-cost benchmarks time."""
    from newsaudit.benchmarks.fang import TEST_OUTLETS, quota_sample
    from newsaudit.config import Limits
    from newsaudit.ingest.corpus import record_to_document

    assert not TEST_OUTLETS & set(TRAINING_OUTLETS)
    sample = quota_sample(dict.fromkeys(TRAINING_OUTLETS, per_outlet), seed, min_chars)
    return [record_to_document(r, r["id"], Limits()) for r in sample]
