"""Held-out scores and bench figures in the narratives model's metrics.json: recorded with
the card rewritten, kept by a retrain of the same model, dropped when the model changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsaudit.models.narratives import FILES, MODEL_DIR
from newsaudit.train import narratives as trainer

SCORES = {
    "success_at_1": 0.5,
    "success_at_5": 0.6,
    "success_at_10": 0.6,
    "false_match_rate": 0.05,
    "paraphrases": 10,
    "negatives": 5,
    "label": "test6 (held out: scored once, after every choice was fixed)",
}


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    """The packaged model before its held-out split was scored: the tests record their own."""
    for name in FILES:
        shutil.copy(MODEL_DIR / name, tmp_path / name)
    metrics = _metrics(MODEL_DIR)
    for name in trainer.HELD_OUT_SPLITS:
        metrics.pop(name, None)
        metrics.pop(f"{name}_zero_shot", None)
    (tmp_path / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return tmp_path


def _metrics(directory: Path) -> dict:
    return json.loads((directory / "metrics.json").read_text(encoding="utf-8"))


def test_a_recorded_split_appears_in_metrics_and_card(model_dir: Path) -> None:
    # The held-out split (test6) is the one the target line names.
    trainer.record({"test6": SCORES}, model_dir)
    assert _metrics(model_dir)["test6"]["success_at_5"] == SCORES["success_at_5"]
    card = (model_dir / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert (
        "| test6 (held out: scored once, after every choice was fixed) | 0.6 | 0.05 | 0.5 |" in card
    )
    assert "missed on test6" in card


def test_seen_sets_are_rows_of_their_own_and_say_whether_trained_on(model_dir: Path) -> None:
    metrics = _metrics(model_dir)
    metrics["training"]["sets"] = ["train", "test4"]
    (model_dir / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    scores = {k: v for k, v in SCORES.items() if k != "label"}
    trainer.record({"seen": {"test4": scores, "test5": scores}}, model_dir)
    card = (model_dir / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "| test4 (seen, trained on) | 0.6 | 0.05 | 0.5 |" in card
    assert "| test5 (seen) | 0.6 | 0.05 | 0.5 |" in card
    assert "not yet scored on a held-out split" in card


def test_only_measurements_can_be_recorded(model_dir: Path) -> None:
    with pytest.raises(ValueError, match="threshold"):
        trainer.record({"threshold": 0.2}, model_dir)


def test_a_retrain_keeps_measurements_of_the_same_model_only(model_dir: Path) -> None:
    trainer.record({"test6": SCORES}, model_dir)
    same = _metrics(model_dir)
    assert trainer.kept_measurements(model_dir, same)["test6"] == SCORES
    changed = json.loads(json.dumps(same))
    changed["verifier"]["coef"][0] += 0.1
    assert trainer.kept_measurements(model_dir, changed) == {}
