"""Linear heads and thresholds shared by the technique and article trainers."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from newsaudit.analyzers.technique_model import LinearHead, TextFeatures
from newsaudit.benchmarks.metrics import micro_f1_arrays

SEED = 13


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def fit_features(texts: Sequence[str], max_features: int) -> TextFeatures:
    """Word and character TF-IDF fitted by scikit-learn, kept as the vocabulary, idf and
    options the packaged model stores (``nlp.tfidf`` transforms exactly as scikit-learn)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from newsaudit.nlp.tfidf import Tfidf

    clean = [t.replace("\r", " ") for t in texts]

    def vectorizer(**kind: Any) -> Tfidf:
        fitted = TfidfVectorizer(
            max_features=max_features, sublinear_tf=True, dtype=np.float32, **kind
        ).fit(clean)
        return Tfidf.from_vectorizer(fitted)

    word = vectorizer(ngram_range=(1, 2), min_df=2)
    char = vectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3)
    return TextFeatures(word, char)


def fit_head(
    x: Any, y: np.ndarray, c: float, sample_weight: np.ndarray | None = None
) -> LinearHead:
    """One balanced logistic regression per label column."""
    from sklearn.linear_model import LogisticRegression

    estimators = []
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():
            estimators.append(None)
            continue
        est = LogisticRegression(
            C=c, solver="liblinear", class_weight="balanced", random_state=SEED
        )
        est.fit(x, y[:, j], sample_weight=sample_weight)
        estimators.append(est)
    return LinearHead.from_estimators(estimators, x.shape[1])


def tune_thresholds(y: np.ndarray, scores: np.ndarray, rounds: int = 2) -> np.ndarray:
    """Per-label thresholds maximising micro-F1 by coordinate ascent from the best global one."""
    grid = np.round(np.arange(0.05, 0.96, 0.025), 3)
    best_global = max(grid, key=lambda t: micro_f1_arrays(y, (scores >= t).astype(np.int8)))
    th = np.full(y.shape[1], best_global)
    for _ in range(rounds):
        for j in range(y.shape[1]):

            def f1_with(t: float, j: int = j) -> float:
                trial = th.copy()
                trial[j] = t
                return micro_f1_arrays(y, (scores >= trial).astype(np.int8))

            th[j] = max(grid, key=f1_with)
    # shrink towards the global cut so rare labels do not overfit their few positives
    return 0.5 * th + 0.5 * best_global
