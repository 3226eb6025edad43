"""The pipeline on a two-worker Dask LocalCluster gives exactly the single-process results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudit.config import Limits
from newsaudit.document import Failure
from newsaudit.ingest.corpus import record_to_document
from newsaudit.pipeline import Pipeline, analyze_many

REPO = Path(__file__).resolve().parents[2]


def _comparable(result) -> dict:
    if isinstance(result, Failure):
        return result.to_dict()
    return result.model_dump(exclude={"timings"})


@pytest.mark.slow
def test_local_cluster_equals_single_process(synthetic) -> None:
    from newsaudit.batch.dask_runner import DaskAnalyzer

    rows = synthetic(300)
    items = [record_to_document(r, r["id"], Limits()) for r in rows]
    items.insert(17, Failure(id="bad-row", error="row is not valid JSON"))
    single = [_comparable(r) for r in analyze_many(items, Pipeline())]
    with DaskAnalyzer(workers=2, chunk_size=8) as dask:
        assert len(dask.client.scheduler_info()["workers"]) == 2
        distributed = [_comparable(r) for r in dask(items)]
        # Models load once per worker: both workers analysed articles, and each loaded
        # each packaged model exactly once.
        loads = dask.client.run(_model_loads)
    assert len(distributed) == len(single) == 301
    assert distributed == single
    assert all(r.get("analyzers") for r in distributed if "error" not in r)
    assert list(loads.values()) == [{"ner": 1, "quotes": 1, "subjectivity": 1, "techniques": 1}] * 2


def _model_loads() -> dict[str, int]:
    """How many times this worker process read each packaged model from disk."""
    from newsaudit.models import ner, quotes, subjectivity, techniques

    loaders = {
        "ner": ner.load,
        "quotes": quotes.load,
        "subjectivity": subjectivity.load_fast,
        "techniques": techniques.load,
    }
    return {name: load.cache_info().misses for name, load in loaders.items()}


@pytest.mark.slow
def test_cli_batch_gives_the_same_reports_in_one_process_two_workers_and_dask(
    tmp_path: Path, synthetic
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in synthetic(40)), encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    outputs = {}
    runs = (
        ("single", ["--workers", "1"]),
        ("workers", ["--workers", "2"]),
        ("dask", ["--dask", "local", "--workers", "2"]),
    )
    for name, extra in runs:
        out = tmp_path / f"{name}.jsonl"
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsaudit",
                "batch",
                str(corpus),
                "-o",
                str(out),
                "--no-progress",
                *extra,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        outputs[name] = [
            {k: v for k, v in json.loads(line).items() if k != "timings"}
            for line in out.read_text(encoding="utf-8").splitlines()
        ]
    assert len(outputs["single"]) == 40
    assert outputs["workers"] == outputs["single"]
    assert outputs["dask"] == outputs["single"]


def test_dask_and_workers_exclude_each_other(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsaudit",
            "batch",
            "x.jsonl",
            "-o",
            str(tmp_path / "o"),
            "--dask",
            "tcp://127.0.0.1:1",
            "--workers",
            "2",
        ],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "exclude each other" in run.stderr


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "Ein Satz."}\n', encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsaudit",
            "batch",
            str(corpus),
            "-o",
            str(tmp_path / "o"),
            "--dask",
            "tcp://127.0.0.1:1",
        ],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "cannot reach the Dask scheduler" in run.stderr
    assert "Traceback" not in run.stderr
