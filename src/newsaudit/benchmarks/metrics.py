"""Every score the project reports, in one module: ``evaluate``, training and tests share it.

One F1 (``f1`` from true positives, false positives and false negatives); the rest count
those for a task's unit (spans, tokens, labels, classes) and average them as the task's
official measure does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsaudit.benchmarks.bio import bio_spans, coarse_label

if TYPE_CHECKING:
    import numpy as np


def f1(tp: int, fp: int, fn: int) -> float:
    """2·TP / (2·TP + FP + FN); 0 when there is nothing to find and nothing found."""
    denominator = 2 * tp + fp + fn
    return 2 * tp / denominator if denominator else 0.0


@dataclass
class Scores:
    """Precision, recall and F1 (rounded to 4 digits) with the counts behind them."""

    precision: float
    recall: float
    f1: float
    support: int
    predicted: int
    correct: int

    @classmethod
    def from_counts(cls, correct: int, predicted: int, support: int) -> Scores:
        precision = correct / predicted if predicted else 0.0
        recall = correct / support if support else 0.0
        score = f1(correct, predicted - correct, support - correct)
        return cls(
            round(precision, 4), round(recall, 4), round(score, 4), support, predicted, correct
        )


def set_scores(gold: set[Hashable], predicted: set[Hashable]) -> Scores:
    """Scores of a predicted set of items (spans, token positions) against the gold set."""
    return Scores.from_counts(len(gold & predicted), len(predicted), len(gold))


def span_scores(
    gold: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    labels: Sequence[str],
    coarse: bool = False,
) -> dict[str, Scores]:
    """Strict span scores of BIO-tagged sentences: micro over all labels, then per label
    (``coarse`` folds -deriv/-part into their main class first). Sentences must align."""
    gold_c: Counter[str] = Counter()
    pred_c: Counter[str] = Counter()
    correct_c: Counter[str] = Counter()
    for g_tags, p_tags in zip(gold, predicted, strict=True):
        g = {(s, e, coarse_label(lab) if coarse else lab) for s, e, lab in bio_spans(g_tags)}
        p = {(s, e, coarse_label(lab) if coarse else lab) for s, e, lab in bio_spans(p_tags)}
        gold_c.update(lab for _, _, lab in g)
        pred_c.update(lab for _, _, lab in p)
        correct_c.update(lab for _, _, lab in g & p)
    result = {
        "micro": Scores.from_counts(
            sum(correct_c.values()), sum(pred_c.values()), sum(gold_c.values())
        )
    }
    for label in labels:
        result[label] = Scores.from_counts(correct_c[label], pred_c[label], gold_c[label])
    return result


def class_f1(gold: Sequence[Hashable], predicted: Sequence[Hashable], cls: Hashable) -> float:
    """F1 of one class of a single-label task (e.g. check-worthiness: F1 of "Yes")."""
    tp = fp = fn = 0
    for g, p in zip(gold, predicted, strict=True):
        tp += int(g == cls and p == cls)
        fp += int(g != cls and p == cls)
        fn += int(g == cls and p != cls)
    return f1(tp, fp, fn)


def worthiness_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """F1 of the Yes class: CheckThat! 2024 Task 1's official check-worthiness measure."""
    return class_f1(gold, predicted, "Yes")


def macro_f1(
    gold: Sequence[Hashable],
    predicted: Sequence[Hashable],
    classes: Sequence[Hashable] | None = None,
) -> float:
    """Mean of the per-class F1 over ``classes`` (default: every class in gold or
    predicted, as CheckThat!'s subjectivity scorer averages)."""
    if classes is None:
        classes = sorted(set(gold) | set(predicted), key=str)
    scores = [class_f1(gold, predicted, c) for c in classes]
    return sum(scores) / len(scores) if scores else 0.0


def micro_f1_arrays(y: np.ndarray, p: np.ndarray) -> float:
    """Micro-F1 of 0/1 indicator matrices (items x labels)."""
    tp = int((y & p).sum())
    return f1(tp, int(p.sum()) - tp, int(y.sum()) - tp)


def macro_f1_arrays(y: np.ndarray, p: np.ndarray, n_classes: int) -> float:
    """Macro-F1 of class indices over the classes present in the gold ``y``."""
    import numpy as np  # lazily: the CLI imports this module at start

    scores = [
        f1(
            int(((y == c) & (p == c)).sum()),
            int(((y != c) & (p == c)).sum()),
            int(((y == c) & (p != c)).sum()),
        )
        for c in range(n_classes)
        if (y == c).sum()
    ]
    return float(np.mean(scores)) if scores else 0.0


LabelFile = dict[tuple[str, ...], list[str]]


def multilabel_micro_f1(gold: LabelFile, predicted: LabelFile) -> dict[str, float]:
    """Multi-label micro-F1 over the gold items (SemEval-2023 subtasks 2 and 3); a missing
    prediction counts as no labels."""
    tp = fp = fn = 0
    for key, labels in gold.items():
        g, p = set(labels), set(predicted.get(key, []))
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "micro_f1": f1(tp, fp, fn),
        "precision": precision,
        "recall": recall,
        "items": len(gold),
    }


def single_label_macro_f1(gold: LabelFile, predicted: LabelFile) -> dict[str, float]:
    """Single-label macro-F1 over the classes present in the gold (SemEval-2023 subtask 1);
    each item's first label counts."""
    keys = list(gold)
    g = [gold[k][0] if gold[k] else None for k in keys]
    p = [(predicted.get(k) or [None])[0] for k in keys]
    classes = sorted({c for c in g if c is not None})
    per_class = {c: class_f1(g, p, c) for c in classes}
    score = sum(per_class.values()) / len(per_class) if per_class else 0.0
    return {"macro_f1": score, **{f"f1_{c}": v for c, v in per_class.items()}, "items": len(gold)}


@dataclass
class MatchScores:
    """Known-narrative matching: how many paraphrases have a right case among the first
    ``k`` shown titles, and how many negatives get any title shown (a false match)."""

    success_at_1: float
    success_at_5: float
    success_at_10: float
    false_match_rate: float
    paraphrases: int
    negatives: int


def _found(titles: Sequence[str], gold: Sequence[str], k: int) -> bool:
    wanted = {t.casefold() for t in gold}
    return any(t.casefold() in wanted for t in titles[:k])


def match_scores(
    gold: Sequence[tuple[str, Sequence[str]]], predicted: dict[str, Sequence[str]]
) -> MatchScores:
    """``gold``: (query_id, acceptable titles; empty for a negative); ``predicted``: the
    shown titles per query_id, best first (a query without a line showed nothing)."""
    positives = [(q, t) for q, t in gold if t]
    negatives = [q for q, t in gold if not t]

    def success(k: int) -> float:
        hits = sum(_found(predicted.get(q, ()), t, k) for q, t in positives)
        return round(hits / len(positives), 4) if positives else 0.0

    false = sum(bool(predicted.get(q)) for q in negatives)
    return MatchScores(
        success_at_1=success(1),
        success_at_5=success(5),
        success_at_10=success(10),
        false_match_rate=round(false / len(negatives), 4) if negatives else 0.0,
        paraphrases=len(positives),
        negatives=len(negatives),
    )


def roc_auc(scores: Sequence[float], positive: Sequence[bool]) -> float:
    """ROC-AUC: the chance that a random positive scores above a random negative (ties
    count half); 0.5 when either class is missing."""
    pos = [s for s, p in zip(scores, positive, strict=True) if p]
    neg = [s for s, p in zip(scores, positive, strict=True) if not p]
    if not pos or not neg:
        return 0.5
    wins = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg)
    return wins / (len(pos) * len(neg))
