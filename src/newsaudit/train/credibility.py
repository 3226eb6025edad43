"""Train the credibility score on FANG-COVID articles of the training outlets only.

Two parts, both fit on the eight training outlets (never on the five test outlets):
- a word-use head: case-sensitive TF-IDF words and a class-balanced logistic regression over
  the first ``WORD_USE_PER_OUTLET`` articles of each outlet (headline and the first 3,000
  characters of the body, ``benchmarks.fang``); text only, so it can read many articles;
- the score: a class-balanced logistic regression over the signals and the word-use logit,
  Platt-calibrated, over the first ``per_outlet`` articles of each outlet, each run through
  the pipeline without the credibility analyzer (Reports cached under ``--cache``: the
  pipeline costs about a CPU-second an article).

WHY whole outlets held out: labels belong to outlets, so a random split scores how well a
model recognises an outlet's house style. Validation and every choice of C use two folds,
each holding out one reliable and three unreliable outlets (AUC within the held-out fold).
The word-use feature of every article is the logit of a head fit without its fold's outlets
(as it will be for any new outlet); the score model of a fold is fit on the other fold's
articles. With only two reliable training outlets there is no cleaner nesting: the other
fold's features come from a head that read the held-out outlets' texts (not their scores).
The held-out logits of both folds calibrate the score.
Classes are weighted to balance, so 0.5 means "as much like the reliable as like the
unreliable training outlets".
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsaudit.benchmarks.fang import (
    TEST_OUTLETS,
    article_text,
    is_reliable,
    read_by_outlet,
    shuffled,
)
from newsaudit.models.credibility import MODEL_DIR, MODEL_FILE, WORD_USE_FILE
from newsaudit.nlp.credibility_score import WORD_USE, CredibilityScorer, signal_features

PER_OUTLET = 80
WORD_USE_PER_OUTLET = 1000
C_GRID = (0.03, 0.1, 0.3, 1.0)
WORD_C_GRID = (1.0, 3.0, 10.0)
TFIDF = {
    "ngram_range": (1, 1),
    "min_df": 3,
    "max_features": 20000,
    "sublinear_tf": True,
    "lowercase": False,
}
# Each fold holds out one reliable and three unreliable training outlets.
PAIR_FOLDS = (
    frozenset({"zeit.de", "contra-magazin.com", "journalistenwatch.com", "pravda-tv.com"}),
    frozenset({"tagesspiegel.de", "de.rt.com", "politikstube.com", "rubikon.news"}),
)
ANALYZERS = ("entities", "quotes", "claims", "techniques", "genre_frames")


@dataclass
class Cached:
    id: str
    outlet: str
    reliable: bool
    report: dict


def cached_articles(records: list[dict], cache: Path, log=print) -> Iterator[Cached]:  # noqa: ANN001
    """Each record's Report (pipeline without credibility), from ``cache`` or computed and
    stored there."""
    from newsaudit.ingest import document_from_text
    from newsaudit.pipeline import Pipeline, default_analyzers

    cache.mkdir(parents=True, exist_ok=True)
    pipeline = None
    began = time.perf_counter()
    for n, record in enumerate(records):
        rid = str(record["id"])
        path = cache / f"{rid}.json.gz"
        if not path.is_file():
            pipeline = pipeline or Pipeline(default_analyzers(ANALYZERS))
            document = document_from_text(article_text(record), id=rid)
            report = pipeline.run(document)
            with gzip.open(path, "wt", encoding="utf-8") as handle:
                entry = {"source": record["source"], "label": record["label"], "url": record["url"]}
                handle.write(json.dumps({**entry, "report": json.loads(report.model_dump_json())}))
            if n % 20 == 0:
                log(f"analysed {n} of {len(records)} ({time.perf_counter() - began:.0f} s)")
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            entry = json.load(handle)
        yield Cached(rid, record["source"], is_reliable(record), entry["report"])


def features_of(report: dict, subjectivity) -> dict[str, float]:  # noqa: ANN001
    """The score's signal features of a stored Report (as the analyzer computes them)."""
    from newsaudit.analyzers.credibility_signals import ArticleView, all_signals, attribution
    from newsaudit.report.model import Report

    parsed = Report.model_validate({**report, "credibility": None, "findings": []})
    view = ArticleView.of_report(
        parsed,
        subjective=subjectivity.predict_proba,
        subjective_threshold=subjectivity.threshold,
    )
    shares, _ = attribution(view)
    techniques = [flag.technique for flag in view.techniques]
    return signal_features(all_signals(view), shares, view.words, techniques)


def _logistic(C: float):  # noqa: ANN202
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000)


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p))


@dataclass
class WordTexts:
    """The word-use head's training texts: text, label and outlet of each."""

    texts: list[str]
    y: np.ndarray
    outlets: np.ndarray

    def without(self, outlets: frozenset[str] | set[str]) -> WordTexts:
        keep = ~np.isin(self.outlets, list(outlets))
        return WordTexts(
            [t for t, k in zip(self.texts, keep, strict=True) if k],
            self.y[keep],
            self.outlets[keep],
        )


def fit_word_use(data: WordTexts, C: float):  # noqa: ANN201
    """(vectorizer, logistic regression) of the word-use head on ``data``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(**TFIDF)
    X = vectorizer.fit_transform(data.texts)
    return vectorizer, _logistic(C).fit(X, data.y)


def _word_logits(head, texts: list[str]) -> np.ndarray:  # noqa: ANN001
    vectorizer, model = head
    return model.decision_function(vectorizer.transform(texts))


def _standardised_fit(X: np.ndarray, y: np.ndarray, C: float):  # noqa: ANN202
    mu, sd = X.mean(axis=0), X.std(axis=0) + 1e-6
    return mu, sd, _logistic(C).fit((X - mu) / sd, y)


def fit(
    rows: list[Cached],
    words: WordTexts,
    subjectivity,
    log=print,  # noqa: ANN001
) -> tuple[CredibilityScorer, tuple, dict]:
    """(score model, word-use head, metrics); see the module docstring for the protocol."""
    feats = [features_of(r.report, subjectivity) for r in rows]
    names = list(feats[0])
    X = np.array([[f[n] for n in names] for f in feats], dtype=np.float64)
    y = np.array([r.reliable for r in rows])
    outlets = np.array([r.outlet for r in rows])
    texts = [r.report["text"] for r in rows]
    metrics: dict = {
        "articles": len(rows),
        "word_use_articles": len(words.texts),
        "outlets": sorted(set(outlets.tolist())),
    }

    def fold_word_auc(C: float) -> float:
        aucs = []
        for fold in PAIR_FOLDS:
            held = np.flatnonzero(np.isin(words.outlets, list(fold)))
            head = fit_word_use(words.without(fold), C)
            aucs.append(_auc(words.y[held], _word_logits(head, [words.texts[i] for i in held])))
        return float(np.mean(aucs))

    word_aucs = {C: fold_word_auc(C) for C in WORD_C_GRID}
    word_C = max(word_aucs, key=word_aucs.get)
    metrics["word_use_C"] = word_C
    metrics["word_use_alone_fold_auc"] = round(word_aucs[word_C], 4)
    log(f"word-use head: C={word_C}, held-out-fold AUC {word_aucs[word_C]:.4f}")

    # Each row's word-use feature comes from the head fit without its fold's outlets.
    feature = np.zeros(len(rows))
    folds = [np.isin(outlets, list(fold)) for fold in PAIR_FOLDS]
    for fold, held in zip(PAIR_FOLDS, folds, strict=True):
        head = fit_word_use(words.without(fold), word_C)
        feature[held] = _word_logits(head, [t for t, h in zip(texts, held, strict=True) if h])

    def fold_scores(C: float, with_words: bool = True) -> tuple[list[float], np.ndarray]:
        aucs, held_out = [], np.zeros(len(rows))
        Xs = np.column_stack([X, feature]) if with_words else X
        for held in folds:
            mu, sd, model = _standardised_fit(Xs[~held], y[~held], C)
            held_out[held] = model.decision_function((Xs[held] - mu) / sd)
            aucs.append(_auc(y[held], held_out[held]))
        return aucs, held_out

    top = {C: fold_scores(C) for C in C_GRID}
    C = max(top, key=lambda c: np.mean(top[c][0]))
    aucs, held_out = top[C]
    signals_only = max(np.mean(fold_scores(c, with_words=False)[0]) for c in C_GRID)
    metrics.update(
        {
            "C": C,
            "fold_auc": [round(a, 4) for a in aucs],
            "fold_auc_mean": round(float(np.mean(aucs)), 4),
            "signals_only_fold_auc_mean": round(float(signals_only), 4),
            "single_feature_auc": {n: round(_auc(y, X[:, i]), 4) for i, n in enumerate(names)},
        }
    )
    platt_model = _logistic(1e6).fit(held_out.reshape(-1, 1), y)
    platt = (float(platt_model.coef_[0][0]), float(platt_model.intercept_[0]))
    calibrated = 1 / (1 + np.exp(-(platt[0] * held_out + platt[1])))
    metrics.update(
        {
            "held_out_brier": round(float(np.mean((calibrated - y) ** 2)), 4),
            "calibration_bins": _bins(calibrated, y),
            "per_outlet_mean_score": {
                o: round(float(calibrated[outlets == o].mean()), 3) for o in np.unique(outlets)
            },
        }
    )
    mu, sd, model = _standardised_fit(np.column_stack([X, feature]), y, C)
    scorer = CredibilityScorer(
        names=[*names, WORD_USE],
        mean=mu,
        scale=sd,
        coef=model.coef_[0],
        intercept=float(model.intercept_[0]),
        platt=platt,
    )
    log(json.dumps({k: v for k, v in metrics.items() if k != "calibration_bins"}))
    return scorer, fit_word_use(words, word_C), metrics


def _bins(p: np.ndarray, y: np.ndarray, n: int = 5) -> list[dict]:
    """Reliability table; ``balanced_share`` weighs the classes to balance, the prior the
    class-balanced score is calibrated to."""
    edges = np.linspace(0, 1, n + 1)
    weight = np.where(y, 0.5 / max(y.mean(), 1e-9), 0.5 / max(1 - y.mean(), 1e-9))
    out = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        inside = (p >= a) & ((p < b) if b < 1 else (p <= b))
        if inside.any():
            out.append(
                {
                    "bin": f"{a:.1f}-{b:.1f}",
                    "n": int(inside.sum()),
                    "mean_score": round(float(p[inside].mean()), 3),
                    "reliable_share": round(float(y[inside].mean()), 3),
                    "balanced_share": round(
                        float((weight * y)[inside].sum() / weight[inside].sum()), 3
                    ),
                }
            )
    return out


def training_records(per_outlet: int = PER_OUTLET, path: Path | None = None) -> list[dict]:
    """The first ``per_outlet`` articles of every training outlet, in the seeded order."""
    ordered = shuffled(read_by_outlet(path))
    outlets = sorted(set(ordered) - TEST_OUTLETS)
    return [r for outlet in outlets for r in ordered[outlet][:per_outlet]]


def word_use_texts(per_outlet: int = WORD_USE_PER_OUTLET, path: Path | None = None) -> WordTexts:
    ordered = shuffled(read_by_outlet(path))
    outlets = sorted(set(ordered) - TEST_OUTLETS)
    chosen = [r for outlet in outlets for r in ordered[outlet][:per_outlet]]
    return WordTexts(
        [article_text(r) for r in chosen],
        np.array([is_reliable(r) for r in chosen]),
        np.array([r["source"] for r in chosen]),
    )


def save_word_use(head, path: Path) -> None:  # noqa: ANN001
    from newsaudit.nlp.tfidf import Tfidf

    vectorizer, model = head
    tfidf = Tfidf.from_vectorizer(vectorizer)
    np.savez_compressed(
        path,
        vocab=np.array(tfidf.vocabulary, dtype=str),
        idf=tfidf.idf,
        coef=model.coef_[0].astype(np.float32),
        intercept=np.float64(model.intercept_[0]),
        options=np.array(json.dumps(tfidf.options())),
    )


def train(
    cache: Path,
    per_outlet: int = PER_OUTLET,
    out_dir: Path = MODEL_DIR,
    log=print,  # noqa: ANN001
) -> dict:
    from newsaudit.models import subjectivity

    began = time.perf_counter()
    rows = list(cached_articles(training_records(per_outlet), cache, log))
    scorer, head, metrics = fit(rows, word_use_texts(), subjectivity.load_fast(), log)
    metrics.update(
        {"per_outlet": per_outlet, "minutes": round((time.perf_counter() - began) / 60, 1)}
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE.name).write_text(json.dumps(scorer.to_json()) + "\n", encoding="utf-8")
    save_word_use(head, out_dir / WORD_USE_FILE.name)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(card(metrics), encoding="utf-8")
    return metrics


def card(m: dict) -> str:
    singles = ", ".join(f"{k} {v}" for k, v in m["single_feature_auc"].items())
    bins = "\n".join(
        f"| {b['bin']} | {b['n']} | {b['mean_score']} | {b['balanced_share']} | "
        f"{b['reliable_share']} |"
        for b in m["calibration_bins"]
    )
    outlets = ", ".join(f"{k} {v}" for k, v in m["per_outlet_mean_score"].items())
    return f"""# Credibility score (a style estimate), German news

`credibility.score` in [0, 1], higher meaning more credible: a calibrated estimate of how
much an article's sourcing and writing resemble reporting of reliable outlets. **It is a
style estimate, not a verdict on whether the article is true**: the labels belong to
outlets, not to articles, and a reliable outlet can be wrong while an unreliable one
reports a fact.

- **Model**: `score.json`, a class-balanced logistic regression over the credibility
  signals (unattributed claims, vague and named sources, speakerless quotes, speech framing,
  unsupported conclusions, outlet opinion, emotive headline, exclamations, quote share, and
  technique flags of any level per 1,000 words, since the training Reports' flags had no
  calibrated level; counts per 1,000 words, log-scaled) and the logit of
  `word_use.npz` (case-sensitive TF-IDF words, at most 20,000, and a class-balanced logistic
  regression, C={m["word_use_C"]}); Platt-calibrated on outlet-held-out logits; C={m["C"]}.
  Each feature's effect (`credibility.score_effects`) is the score of an average training
  article given this article's value of the feature, minus the average article's score.
- **Data**: FANG-COVID (`../shared/data/news-fang-covid`, justusmattern/fang-covid @
  c3c370b; research use), the eight training outlets only: {", ".join(m["outlets"])}.
  The five test outlets (sueddeutsche.de, freiewelt.net, compact-online.de, kopp-report.de,
  anonymousnews.ru) are never read here. Score model: the first {m["per_outlet"]} articles
  of each outlet in a seeded order (seed 16, `benchmarks.fang`), {m["articles"]} in all,
  each through the pipeline; word-use head: the first {WORD_USE_PER_OUTLET} of each,
  {m["word_use_articles"]} in all. Headline plus the first 3,000 characters of the body.

## Validation: whole outlets held out

Two folds, each holding out one reliable and three unreliable training outlets; everything
(word-use head included) refit without them; ROC-AUC within the held-out fold.

| model | held-out-fold ROC-AUC |
|---|---|
| **score (signals + word use)** | **{m["fold_auc_mean"]}** (folds {m["fold_auc"]}) |
| signals only | {m["signals_only_fold_auc_mean"]} |
| word-use head alone | {m["word_use_alone_fold_auc"]} |

Single features over all {m["articles"]} training articles (AUC, > 0.5: higher means more
like the reliable outlets): {singles}.

Calibration of the held-out scores (Brier {m["held_out_brier"]}). The score is calibrated
to balanced classes (0.5 = as much like either group), so compare the mean score with the
share of reliable-outlet articles when both classes weigh the same; the raw share reflects
that only 2 of the 8 training outlets are reliable:

| score | articles | mean score | reliable share, classes balanced | raw reliable share |
|---|---|---|---|---|
{bins}

Mean held-out score per outlet: {outlets}.

The test outlets are scored in `bench/credibility.py` (see `bench/results/credibility.json`).

## Reproduce

```
newsaudit train credibility --cache /tmp/credibility-cache   # about 1 CPU-s per article
```

Deterministic for the same data and cache ({m["minutes"]} min here, cache already filled).
"""
