"""`newsaudit predict narratives` and `evaluate narratives` on hand-written sentences with the
packaged model: a paraphrase of a documented claim shows its case, everyday news shows none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "NEWSAUDIT_DATA_DIR": "/nonexistent"}
    return subprocess.run(
        [sys.executable, "-m", "newsaudit", *args], capture_output=True, text=True, env=env
    )


def test_predict_and_evaluate_narratives(tmp_path: Path) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text(
        "query_id\ttext\tcase_id\ttitle\n"
        "p1\tDie Weißhelme sind eine vom Westen gesteuerte Terrorgruppe.\tx\t"
        "White Helmets are a terrorist group run by Western countries\n"
        "n1\tDas Robert-Koch-Institut meldete am Dienstag mehr als 20.000 Neuinfektionen.\t\t\n",
        encoding="utf-8",
    )
    predicted = tmp_path / "p.tsv"
    result = _run("predict", "narratives", "--input", str(queries), "--output", str(predicted))
    assert result.returncode == 0, result.stderr
    lines = predicted.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[:2] == [
        "p1",
        "White Helmets are a terrorist group run by Western countries",
    ]
    assert lines[1] == "n1"
    scores = _run("evaluate", "narratives", "--gold", str(queries), "--predicted", str(predicted))
    assert json.loads(scores.stdout)["success_at_1"] == 1.0
    assert json.loads(scores.stdout)["false_match_rate"] == 0.0


def test_a_bad_query_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("no tab on this line\n", encoding="utf-8")
    result = _run("predict", "narratives", "--input", str(queries), "--output", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "needs query_id" in result.stderr and "Traceback" not in result.stderr
