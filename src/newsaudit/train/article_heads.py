"""Genre and frame heads per article (SemEval-2023 subtasks 1 and 2), seeded.

Heads: TF-IDF of the whole article (the group's vectoriser), an e5 view of the article (the
mean of its paragraphs' e5 passage embeddings, or of one layer group's pooled states) and,
for genre, the German style cues. German is scored by grouped cross-validation whose choices
(the e5 view and its C, the style head's C and weight, the frame threshold) come from an
inner CV on each outer training part.

WHY views below the last layer: genre is a matter of style (attribution, address, irony),
and e5's last layer, trained for semantic search, keeps mostly the topic.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsaudit.analyzers.genre_style import style_features
from newsaudit.analyzers.technique_model import GroupModel, LinearHead, article_vector
from newsaudit.benchmarks.metrics import macro_f1_arrays, micro_f1_arrays
from newsaudit.benchmarks.semeval import Article, load_article_labels
from newsaudit.encoder.embedder import LAYER_GROUPS, Encoded
from newsaudit.train.heads import SEED, fit_head, log

VIEWS: tuple[int | None, ...] = (None, *range(len(LAYER_GROUPS)))
E5_C = (4.0, 16.0, 64.0)
STYLE_C = (0.1, 0.3, 1.0)
STYLE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4)
Candidate = tuple[int | None, float]
Encode = Callable[[Sequence[str]], list[Encoded | None]]


def genre_head(x: Any, y: np.ndarray, n_classes: int, c: float) -> LinearHead:
    from sklearn.linear_model import LogisticRegression

    est = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x, y)
    coef = np.zeros((x.shape[1], n_classes), dtype=np.float32)
    intercept = np.full(n_classes, -30.0, dtype=np.float32)
    for row, cls in enumerate(est.classes_):
        if len(est.classes_) == 2:  # binary: sklearn keeps one row for the second class
            sign = 1.0 if row == 1 else -1.0
            coef[:, cls] = sign * est.coef_[0] / 2
            intercept[cls] = sign * est.intercept_[0] / 2
        else:
            coef[:, cls] = est.coef_[row]
            intercept[cls] = est.intercept_[row]
    return LinearHead(coef.astype(np.float16), intercept)


@dataclass
class ArticleData:
    texts: list[str]
    views: dict[int | None, np.ndarray] | None
    genre: np.ndarray
    frames: np.ndarray
    has_frames: np.ndarray
    style: np.ndarray


def article_data(
    articles: Sequence[Article],
    genres: Sequence[str],
    frames: Sequence[str],
    encode: Encode | None,
) -> ArticleData:
    texts = [a.text for a in articles]
    views = None
    if encode is not None:
        encoded = [encode([p.text for p in a.paragraphs]) for a in articles]
        views = {
            v: np.array([article_vector(e, v) for e in encoded], dtype=np.float32) for v in VIEWS
        }
    genre = np.array([genres.index(a.genre) if a.genre in genres else -1 for a in articles])
    frame_y = np.array([[f in a.frames for f in frames] for a in articles], dtype=np.int8)
    has_frames = np.array([bool(a.frames) for a in articles])
    style = np.array([style_features(t) for t in texts], dtype=np.float32)
    return ArticleData(texts, views, genre, frame_y.reshape(-1, len(frames)), has_frames, style)


@dataclass
class FoldScores:
    """Genre logits and frame scores of the test articles from each head family."""

    genre_text: np.ndarray
    frames_text: np.ndarray
    genre_e5: dict[Candidate, np.ndarray]
    frames_e5: dict[Candidate, np.ndarray]
    style: dict[float, np.ndarray]


def _heads(
    x: Any, data: ArticleData, train: np.ndarray, n_genres: int, c: float
) -> tuple[LinearHead, LinearHead]:
    g_train = train & (data.genre >= 0)
    f_train = train & data.has_frames
    return (
        genre_head(x[g_train], data.genre[g_train], n_genres, c),
        fit_head(x[f_train], data.frames[f_train], c),
    )


def style_head(x: np.ndarray, y: np.ndarray, n_classes: int, c: float) -> LinearHead:
    """A genre head on standardised style features, folded back onto the raw rates so
    inference needs no scaler."""
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    scale = np.where(std > 0, std, 1.0)
    head = genre_head((x - mean) / scale, y, n_classes, c)
    coef = head.coef.astype(np.float32) / scale[:, None]
    intercept = head.intercept - (mean / scale) @ head.coef.astype(np.float32)
    return LinearHead(coef.astype(np.float32), intercept.astype(np.float32))


def fold_scores(
    x: Any, data: ArticleData, train: np.ndarray, test: np.ndarray, n_genres: int, c: float
) -> FoldScores:
    """Every head family fitted on ``train`` and scored on ``test``."""
    genre_text, frames_text = _heads(x, data, train, n_genres, c)
    genre_e5: dict[Candidate, np.ndarray] = {}
    frames_e5: dict[Candidate, np.ndarray] = {}
    for view, vectors in (data.views or {}).items():
        for c_e5 in E5_C:
            g_head, f_head = _heads(vectors, data, train, n_genres, c_e5)
            genre_e5[(view, c_e5)] = g_head.decision(vectors[test])
            frames_e5[(view, c_e5)] = f_head.proba(vectors[test])
    g_train = train & (data.genre >= 0)
    style = {
        s: style_head(data.style[g_train], data.genre[g_train], n_genres, s).decision(
            data.style[test]
        )
        for s in STYLE_C
    }
    return FoldScores(
        genre_text.decision(x[test]), frames_text.proba(x[test]), genre_e5, frames_e5, style
    )


def _genre_logits(
    s: FoldScores, candidate: Candidate | None, style_c: float, weight: float
) -> np.ndarray:
    logits = s.genre_text if candidate is None else (s.genre_text + s.genre_e5[candidate]) / 2
    return (1 - weight) * logits + weight * s.style[style_c]


def _frame_scores(s: FoldScores, candidate: Candidate | None) -> np.ndarray:
    return s.frames_text if candidate is None else (s.frames_text + s.frames_e5[candidate]) / 2


def global_threshold(y: np.ndarray, scores: np.ndarray) -> float:
    grid = np.round(np.arange(0.1, 0.91, 0.025), 3)
    return float(max(grid, key=lambda t: micro_f1_arrays(y, (scores >= t).astype(np.int8))))


@dataclass(frozen=True)
class Choice:
    """What an (inner) CV picks for the article heads."""

    genre: Candidate | None
    style_c: float
    style_weight: float
    frames: Candidate | None
    frame_threshold: float


def choose(
    data: ArticleData,
    rows: np.ndarray,
    s: FoldScores,
    n_genres: int,
    style_weights: Sequence[float] = STYLE_WEIGHTS,
) -> Choice:
    """The choices that maximise genre macro-F1 and frames micro-F1 on out-of-fold
    scores ``s`` of the articles ``rows``."""
    candidates: list[Candidate | None] = list(s.genre_e5) or [None]
    g = rows[data.genre[rows] >= 0]
    f = rows[data.has_frames[rows]]
    g_pos = np.searchsorted(rows, g)
    f_pos = np.searchsorted(rows, f)
    genre_f1 = {
        (cand, c, w): macro_f1_arrays(
            data.genre[g], _genre_logits(s, cand, c, w)[g_pos].argmax(axis=1), n_genres
        )
        for cand in candidates
        for c in STYLE_C
        for w in style_weights
    }
    genre, style_c, weight = max(genre_f1, key=genre_f1.get)
    frame_f1 = {}
    for cand in candidates:
        scores = _frame_scores(s, cand)[f_pos]
        t = global_threshold(data.frames[f], scores)
        frame_f1[(cand, t)] = micro_f1_arrays(data.frames[f], (scores >= t).astype(np.int8))
    frames, threshold = max(frame_f1, key=frame_f1.get)
    return Choice(genre, style_c, weight, frames, threshold)


def _stack(parts: list[tuple[np.ndarray, FoldScores]], n: int) -> FoldScores:
    """Fold scores (each with its test rows) put back in article order."""

    def put(values: list[np.ndarray]) -> np.ndarray:
        out = np.zeros((n, *values[0].shape[1:]), dtype=np.float32)
        for (rows, _), v in zip(parts, values, strict=True):
            out[rows] = v
        return out

    first = parts[0][1]
    return FoldScores(
        put([p.genre_text for _, p in parts]),
        put([p.frames_text for _, p in parts]),
        {k: put([p.genre_e5[k] for _, p in parts]) for k in first.genre_e5},
        {k: put([p.frames_e5[k] for _, p in parts]) for k in first.frames_e5},
        {k: put([p.style[k] for _, p in parts]) for k in first.style},
    )


def _oof(
    x: Any, data: ArticleData, rows: np.ndarray, fold: np.ndarray, n_genres: int, c: float
) -> FoldScores:
    """Out-of-fold scores over ``rows`` (scores for other articles stay 0)."""
    parts = []
    for f in np.unique(fold[rows]):
        test = np.zeros(len(fold), dtype=bool)
        test[rows[fold[rows] == f]] = True
        train = np.zeros(len(fold), dtype=bool)
        train[rows[fold[rows] != f]] = True
        parts.append((np.flatnonzero(test), fold_scores(x, data, train, test, n_genres, c)))
    return _stack(parts, len(fold))


def _sub(s: FoldScores, rows: np.ndarray) -> FoldScores:
    return FoldScores(
        s.genre_text[rows],
        s.frames_text[rows],
        {k: v[rows] for k, v in s.genre_e5.items()},
        {k: v[rows] for k, v in s.frames_e5.items()},
        {k: v[rows] for k, v in s.style.items()},
    )


def fit_final(
    group: GroupModel, x: Any, data: ArticleData, choice: Choice, n_genres: int, c: float
) -> None:
    """The shipped heads, on every article, with ``choice``."""
    everything = np.ones(len(data.texts), dtype=bool)
    group.genre_text, group.frames_text = _heads(x, data, everything, n_genres, c)
    group.genre_e5 = group.frames_e5 = None
    group.genre_view = group.frames_view = None
    if choice.genre is not None and data.views is not None:
        view, c_e5 = choice.genre
        group.genre_e5 = _heads(data.views[view], data, everything, n_genres, c_e5)[0]
        group.genre_view = view
    if choice.frames is not None and data.views is not None:
        view, c_e5 = choice.frames
        group.frames_e5 = _heads(data.views[view], data, everything, n_genres, c_e5)[1]
        group.frames_view = view
    labelled = data.genre >= 0
    group.genre_style = style_head(
        data.style[labelled], data.genre[labelled], n_genres, choice.style_c
    )
    group.genre_style_weight = choice.style_weight
    group.frame_thresholds = np.full(data.frames.shape[1], choice.frame_threshold, np.float32)


def train_genre_frames(
    group: GroupModel,
    languages: Sequence[str],
    genres: Sequence[str],
    frames: Sequence[str],
    encode: Encode | None,
    c: float = 1.0,
    k: int = 5,
    style: bool = True,
) -> dict[str, Any]:
    """Article heads scored by grouped CV with choices from an inner CV; the shipped heads
    are fitted on all articles with the choices made on all out-of-fold scores. Without
    ``style`` the German style head keeps weight 0 (its cues are German words)."""
    style_weights = STYLE_WEIGHTS if style else (0.0,)
    articles = [a for lang in languages for a in load_article_labels(lang)]
    data = article_data(articles, genres, frames, encode)
    x = group.features.transform(data.texts)
    n, n_genres = len(articles), len(genres)
    fold = np.array([i % k for i in random.Random(SEED).sample(range(n), n)])
    everyone = np.arange(n)
    outer = _oof(x, data, everyone, fold, n_genres, c)
    genre_pred = np.full(n, -1)
    frame_pred = np.zeros_like(data.frames)
    choices = []
    for f in range(k):
        train_rows = np.flatnonzero(fold != f)
        test = fold == f
        inner = _sub(_oof(x, data, train_rows, fold, n_genres, c), train_rows)
        choice = choose(data, train_rows, inner, n_genres, style_weights)
        choices.append(choice)
        test_scores = _sub(outer, np.flatnonzero(test))
        genre_pred[test] = _genre_logits(
            test_scores, choice.genre, choice.style_c, choice.style_weight
        ).argmax(axis=1)
        frame_pred[test] = _frame_scores(test_scores, choice.frames) >= choice.frame_threshold
    labelled = data.genre >= 0
    final = choose(data, everyone, outer, n_genres, style_weights)
    fit_final(group, x, data, final, n_genres, c)
    metrics = {
        "split": f"{k}-fold cross-validation over {n} articles (seed {SEED})",
        "languages": list(languages),
        "genre_macro_f1": macro_f1_arrays(data.genre[labelled], genre_pred[labelled], n_genres),
        "genre_macro_f1_by_e5_view_without_style": {
            str(cand): round(
                macro_f1_arrays(
                    data.genre[labelled],
                    _genre_logits(outer, cand, STYLE_C[0], 0.0)[labelled].argmax(axis=1),
                    n_genres,
                ),
                4,
            )
            for cand in [None, *outer.genre_e5]
        },
        "choices_by_fold": [str(ch) for ch in choices],
        "frames_micro_f1": micro_f1_arrays(
            data.frames[data.has_frames], frame_pred[data.has_frames]
        ),
        "genre_articles": int(labelled.sum()),
        "frames_articles": int(data.has_frames.sum()),
        "uses_e5": data.views is not None,
        "shipped_choice": str(final),
    }
    log(f"genre/frames {list(languages)}: {json.dumps(metrics)}")
    return metrics
