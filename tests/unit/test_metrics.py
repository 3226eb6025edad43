"""The one metrics module: F1 and the task averages, on hand-counted examples."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.benchmarks.bio import COARSE
from newsaudit.benchmarks.metrics import (
    Scores,
    class_f1,
    f1,
    macro_f1,
    macro_f1_arrays,
    micro_f1_arrays,
    span_scores,
    worthiness_f1,
)


def test_f1_from_counts() -> None:
    assert f1(0, 0, 0) == 0.0
    assert f1(2, 1, 1) == pytest.approx(2 / 3)
    assert f1(3, 0, 0) == 1.0


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_f1_is_the_harmonic_mean_of_precision_and_recall(tp, fp, fn) -> None:
    s = Scores.from_counts(tp, tp + fp, tp + fn)
    p, r = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
    assert s.f1 == pytest.approx(round(2 * p * r / (p + r), 4) if p + r else 0.0, abs=1e-4)
    assert (s.correct, s.predicted, s.support) == (tp, tp + fp, tp + fn)


def test_check_worthiness_scores_the_yes_class_only() -> None:
    gold = ["Yes", "No", "Yes", "No"]
    predicted = ["Yes", "Yes", "No", "No"]
    # Yes: tp 1, fp 1, fn 1 -> 0.5; the No class does not count
    assert worthiness_f1(gold, predicted) == 0.5
    assert worthiness_f1(["No", "No"], ["No", "No"]) == 0.0
    assert class_f1(gold, predicted, "No") == 0.5


def test_macro_f1_over_given_classes() -> None:
    # class 2 is never gold nor predicted: counted as 0 only when asked for
    assert macro_f1([0, 1], [0, 1]) == 1.0
    assert macro_f1([0, 1], [0, 1], classes=[0, 1, 2]) == pytest.approx(2 / 3)


def test_array_f1_match_the_label_versions() -> None:
    y = np.array([[1, 0], [1, 1], [0, 0]], dtype=np.int8)
    p = np.array([[1, 1], [0, 1], [0, 0]], dtype=np.int8)
    # tp 2 (0,0 and 1,1), fp 1, fn 1
    assert micro_f1_arrays(y, p) == pytest.approx(2 / 3)
    gold, pred = np.array([0, 0, 1, 2]), np.array([0, 1, 1, 1])
    # class 0: tp 1 fn 1 -> 2/3; class 1: tp 1 fp 2 -> 1/2; class 2: fn 1 -> 0; class 3
    # is not in the gold and does not count
    assert macro_f1_arrays(gold, pred, 4) == pytest.approx((2 / 3 + 1 / 2) / 3)
    assert macro_f1_arrays(gold, pred, 4) == pytest.approx(
        macro_f1(gold.tolist(), pred.tolist(), classes=[0, 1, 2])
    )


def test_span_scores_are_strict() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    pred = [["B-PER", "O", "O", "B-LOC"]]
    scores = span_scores(gold, pred, COARSE)
    assert (scores["micro"].correct, scores["micro"].predicted, scores["micro"].support) == (
        1,
        2,
        2,
    )
    assert scores["PER"].f1 == 0.0 and scores["LOC"].f1 == 1.0


def test_roc_auc_counts_pairs_and_ties() -> None:
    from newsaudit.benchmarks.metrics import roc_auc

    assert roc_auc([3, 2, 1, 0], [True, True, False, False]) == 1.0
    assert roc_auc([0, 1, 2, 3], [True, True, False, False]) == 0.0
    assert roc_auc([1, 1, 0], [True, False, False]) == 0.75
    assert roc_auc([1, 2], [True, True]) == 0.5
