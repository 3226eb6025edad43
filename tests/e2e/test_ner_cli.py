"""The NER commands as a user runs them: predict, evaluate, and entities on the sample."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudit.benchmarks.germeval import read_germeval

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "newsaudit", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )


@pytest.mark.slow
def test_predict_then_evaluate_on_hand_written_sentences(fixtures_dir: Path, tmp_path: Path):
    gold = fixtures_dir / "ner" / "mini-gold.tsv"
    pred = tmp_path / "pred.tsv"
    result = _run("predict", "ner", "--input", str(gold), "--output", str(pred))
    assert result.returncode == 0, result.stderr
    gold_s, pred_s = read_germeval(gold), read_germeval(pred)
    assert [s.tokens for s in pred_s] == [s.tokens for s in gold_s]
    assert [s.comments for s in pred_s] == [s.comments for s in gold_s]
    result = _run("evaluate", "ner", "--gold", str(gold), "--pred", str(pred))
    assert result.returncode == 0, result.stderr
    coarse = re.search(r"^coarse\s+micro\s+\S+\s+\S+\s+(\S+)", result.stdout, re.M)
    assert coarse and float(coarse.group(1)) >= 0.6, result.stdout


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("1\tWort\n", encoding="utf-8")
    result = _run("evaluate", "ner", "--gold", str(bad), "--pred", str(bad))
    assert result.returncode == 2
    assert "bad.tsv:1" in result.stderr
    result = _run(
        "predict",
        "ner",
        "--input",
        str(tmp_path / "missing.tsv"),
        "--output",
        str(tmp_path / "out.tsv"),
    )
    assert result.returncode == 2
    assert "no such file" in result.stderr


@pytest.fixture(scope="module")
def sample_report(sample_path: Path) -> dict:
    result = _run("analyze", str(sample_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _clusters(report: dict) -> dict[tuple[str, str], list[str]]:
    return {
        (c["canonical"], c["label"]): [m["text"] for m in c["mentions"]]
        for c in report["entity_clusters"]
    }


@pytest.mark.slow
def test_sample_entities_offsets_and_clusters(sample_report: dict) -> None:
    text = sample_report["text"]
    for entity in sample_report["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    clusters = _clusters(sample_report)
    for name in ("Aleppo", "Syrien", "Russland"):
        assert ("LOC", name) in {(label, c) for c, label in clusters}, sorted(clusters)
    assert clusters[("Igor Konashenkov", "PER")] == ["Igor Konashenkov", "Konashenkov"]
    kirby = next(m for (c, label), m in clusters.items() if label == "PER" and "Kirby" in c)
    assert kirby.count("Kirbys") == len(re.findall(r"\bKirbys\b", text)) == 2
    labels = {c["id"]: c["label"] for c in sample_report["entity_clusters"]}
    for entity in sample_report["entities"]:
        assert labels[entity["cluster"]] == entity["label"]


@pytest.mark.slow
def test_sample_names_the_issue_asks_for(sample_report: dict) -> None:
    clusters = _clusters(sample_report)
    expected = [
        ("John Kirby", "PER"),
        ("US Department of State", "ORG"),
        ("Al-Quds Brigade", "ORG"),
        ("Jabhat Fateh al-Sham", "ORG"),
        ("Igor Konashenkov", "PER"),
    ]
    assert [e for e in expected if e not in clusters] == []
