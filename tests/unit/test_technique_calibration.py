"""The flag calibrator: its formula, its storage, fitting by cross-fitting and its scores."""

from __future__ import annotations

import numpy as np
import pytest

from newsaudit.analyzers.technique_calibration import Calibrator, logit
from newsaudit.numeric import sigmoid


def _calibrator(**kw) -> Calibrator:
    base = {"intercept": np.array([0.0, -1.0]), "slope": np.array([1.0, 2.0])}
    return Calibrator(**(base | kw))


def test_probability_follows_the_formula_and_the_gate_lowers_a_quiet_paragraph() -> None:
    scores = np.array([[0.7, 0.2], [0.7, 0.9]])
    plain = _calibrator().probabilities(scores)
    assert plain[0, 0] == pytest.approx(0.7)
    assert plain[0, 1] == pytest.approx(sigmoid(-1.0 + 2.0 * logit(np.array(0.2))))
    gated = _calibrator(gate=1.0).probabilities(scores, articles=["a", "b"])
    # the same Name_Calling score weighs less where another technique does not stand out
    assert gated[0, 0] < gated[1, 0]
    shifted = _calibrator(shift=np.array([-1.0, 0.0])).probabilities(scores)
    assert shifted[0, 0] < plain[0, 0] and shifted[0, 1] == pytest.approx(plain[0, 1])


def test_a_list_item_is_never_strong_whatever_its_probability() -> None:
    from newsaudit.analyzers.technique_calibration import list_items

    texts = [
        "• Die Evakuierung von Zivilisten aus Ost-Aleppo",
        "- Schreib Julian einen Brief.",
        "* Punkt eins",
        "Die Evakuierung von Zivilisten aus Ost-Aleppo",
        "– das ist ihre Forderung. Conte lehnt dies vehement ab.",
        "-5 Grad in der Nacht",
    ]
    assert list(list_items(texts)) == [True, True, True, False, False, False]
    probabilities = np.array([[0.9, 0.1]] * len(texts))
    strong = _calibrator(strong=0.5).strong_flags(probabilities, texts)
    assert strong[:, 1].sum() == 0
    assert list(strong[:, 0]) == [False, False, False, True, True, True]


def test_level_scores_count_no_strong_flag_on_a_list_item() -> None:
    from newsaudit.train.technique_calibration import level_scores

    gold = np.array([[1], [1]], dtype=np.int8)
    flags = np.ones((2, 1), dtype=bool)
    probabilities = np.array([[0.9], [0.9]])
    items = np.array([True, False])
    assert level_scores(gold, flags, probabilities, 0.5).strong_flags == 2
    assert level_scores(gold, flags, probabilities, 0.5, items).strong_flags == 1


def test_stored_and_read_back_unchanged(tmp_path) -> None:
    from newsaudit.models.techniques import read_calibrators, save_calibrators

    original = _calibrator(gate=0.5, shift=np.array([0.1, -0.2]), about={"fitted_on": "x"})
    save_calibrators({"de": original}, tmp_path)
    (back,) = read_calibrators(tmp_path).values()
    scores = np.random.default_rng(0).random((5, 2))
    assert np.allclose(back.probabilities(scores), original.probabilities(scores), atol=1e-5)
    assert back.about == {"fitted_on": "x"} and back.strong == 0.6
    assert read_calibrators(tmp_path / "nowhere") == {}


def _synthetic(n: int = 4000, seed: int = 0):
    """Scores whose flags are right with probability sigmoid(2 * logit(score) - 1)."""
    rng = np.random.default_rng(seed)
    scores = rng.uniform(0.3, 0.95, size=(n, 2))
    truth = sigmoid(2.0 * logit(scores) - 1.0)
    gold = (rng.random((n, 2)) < truth).astype(np.int8)
    return scores, gold, truth


def test_fit_recovers_the_probability_of_a_right_flag() -> None:
    from newsaudit.train.technique_calibration import fit_calibrator

    scores, gold, truth = _synthetic()
    calibrator = fit_calibrator(scores, gold, np.ones_like(gold, dtype=bool))
    assert np.abs(calibrator.probabilities(scores) - truth).max() < 0.08
    assert np.allclose(calibrator.slope, 2.0, atol=0.3)


def test_cross_fitting_never_scores_a_part_with_its_own_calibrator() -> None:
    from newsaudit.train.technique_calibration import cross_fit

    scores, gold, _ = _synthetic()
    part = np.arange(len(scores)) % 2
    flipped = gold.copy()
    flipped[part == 1] = 1 - flipped[part == 1]  # part 1 says the opposite of part 0
    probabilities = cross_fit(scores, flipped, np.ones_like(gold, dtype=bool), part)
    high = scores[:, 0] > 0.8
    # part 1's probabilities come from part 0 (flags at high scores right), and vice versa
    assert probabilities[(part == 1) & high, 0].mean() > 0.6
    assert probabilities[(part == 0) & high, 0].mean() < 0.4


def test_level_scores_count_strong_and_all_flags_against_every_gold_label() -> None:
    from newsaudit.train.technique_calibration import level_scores, reliability

    gold = np.array([[1, 0], [1, 1], [0, 0]], dtype=np.int8)
    flags = np.array([[1, 1], [0, 1], [1, 0]], dtype=bool)
    probabilities = np.array([[0.9, 0.2], [0.1, 0.7], [0.65, 0.1]])
    s = level_scores(gold, flags, probabilities)
    assert (s.all_flags, s.strong_flags) == (4, 3)
    assert s.precision_all == pytest.approx(2 / 4) and s.recall_all == pytest.approx(2 / 3)
    assert s.strong_precision == pytest.approx(2 / 3) and s.strong_recall == pytest.approx(2 / 3)
    rows = reliability(probabilities[flags], gold.astype(bool)[flags])
    assert sum(r["flags"] for r in rows) == 4
    assert {r["bin"]: r["share_right"] for r in rows}["0.9-1.0"] == 1.0


def test_prior_adaptation_finds_a_rarer_technique_on_the_target() -> None:
    from newsaudit.train.technique_news import prior_shift

    rng = np.random.default_rng(1)
    # a calibrated classifier: posteriors for a source prior of 0.3; the target has 0.05
    source, target = 0.3, 0.05
    y = rng.random(20000) < target
    evidence = np.where(y, rng.normal(1.0, 1.0, y.size), rng.normal(-1.0, 1.0, y.size))
    likelihood_ratio = np.exp(2.0 * evidence)  # N(1,1) against N(-1,1)
    odds = likelihood_ratio * source / (1 - source)
    posterior = (odds / (1 + odds))[:, None]
    prior, shift = prior_shift(posterior, np.array([source]))
    assert abs(prior[0] - target) < 0.01
    assert shift[0] == pytest.approx(np.log(prior[0] / (1 - prior[0])) - np.log(source / 0.7))
    one_step, _ = prior_shift(posterior, np.array([source]), rounds=1)
    assert target < one_step[0] < source  # one step moves towards the target, not all the way


def test_card_section_is_written_once_before_the_limits(tmp_path) -> None:
    from newsaudit.train.technique_calibration import level_scores, reliability
    from newsaudit.train.technique_card import CALIBRATION_HEADING, write_calibration_section

    gold = np.array([[1, 0], [0, 1]], dtype=np.int8)
    flags = np.ones((2, 2), dtype=bool)
    probabilities = np.array([[0.9, 0.2], [0.3, 0.7]])
    scores = level_scores(gold, flags, probabilities).as_dict()
    news = {"news_strong_per_1000_words": 1.5, "news_all_per_1000_words": 9.0}
    design = {
        "strong_cut": 0.6,
        "parts_1_3_crossfit": scores,
        "part_0_held_out": scores,
        "pooled_4_parts": scores,
        "news": news | {"roc_auc_strong_density": 0.8},
    }
    table = reliability(probabilities[flags], gold.astype(bool)[flags])
    metrics = {
        "chosen": "platt",
        "rule": "the rule",
        "designs": {"platt": design},
        "uncalibrated_score_as_probability": scores,
        "reliability_pooled": table,
        "reliability_part_0": table,
        "articles": 2,
        "paragraphs": 2,
    }
    card = tmp_path / "MODEL_CARD.md"
    card.write_text("# card\n\n## Validation\nx\n\n## Limits\n- y\n", encoding="utf-8")
    write_calibration_section(metrics, tmp_path)
    write_calibration_section(metrics, tmp_path)
    text = card.read_text(encoding="utf-8")
    assert text.count(CALIBRATION_HEADING) == 1
    assert text.index("## Validation") < text.index(CALIBRATION_HEADING) < text.index("## Limits")
    assert "| platt (chosen) | 0.600 | 1.000 / 1.000 |" in text
    assert "| 0.9-1.0 | 1 | 0.900 | 1.000 |" in text
