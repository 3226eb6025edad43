"""Sentence subjectivity (OBJ/SUBJ), two packaged models trained on CheckThat! 2025 Task 1.

- ``SubjectivityModel`` (the benchmark model, ``newsaudit predict subjectivity``):
  multilingual-e5-small, its top layers fine-tuned for the task over the shared embedder
  graph's frozen lower layers, int8 ONNX (no torch).
- ``FastSubjectivityModel`` (the pipeline's model, used by the ``claims`` analyzer): TF-IDF
  word 1-2-grams + logistic regression; well under a millisecond per sentence, clearly less
  accurate. Running the encoder on every sentence would multiply the per-article time.

See models/subjectivity/MODEL_CARD.md for data, licence and validation scores.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from newsaudit.errors import ModelError
from newsaudit.numeric import sigmoid

WORD_NGRAMS = (1, 2)
MAX_CHARS = 2000


class SubjectivityModel:
    threshold = 0.5

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ModelError(
                f"the subjectivity model is missing at {path}; run `newsaudit train subjectivity`"
            )
        from newsaudit.encoder.classifier import EncoderClassifier

        try:
            self._classifier = EncoderClassifier(path)
        except Exception as exc:  # onnxruntime raises its own types for a broken graph
            raise ModelError(f"the subjectivity model at {path} is broken: {exc}") from exc

    def predict_proba(self, sentences: list[str]) -> np.ndarray:
        """Probability that each sentence is subjective (SUBJ)."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        return self._classifier.proba([s[:MAX_CHARS] for s in sentences])[:, 1]

    def predict(self, sentences: list[str]) -> list[str]:
        return ["SUBJ" if p >= self.threshold else "OBJ" for p in self.predict_proba(sentences)]


class FastSubjectivityModel:
    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ModelError(
                f"the fast subjectivity model is missing at {path}; "
                "run `newsaudit train subjectivity`"
            )
        try:
            from newsaudit.nlp.tfidf import Tfidf

            data = np.load(path, allow_pickle=False)
            self.vectorizer = Tfidf(
                data["vocab"].tolist(),
                data["idf"],
                ngram_range=WORD_NGRAMS,
                sublinear_tf=True,
            )
            self.coef = data["coef"].astype(np.float64)
            self.intercept = float(data["intercept"])
            self.threshold = float(data["threshold"])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"the fast subjectivity model at {path} is broken: {exc}") from exc

    def predict_proba(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        X = self.vectorizer.transform([s[:MAX_CHARS] for s in sentences])
        return sigmoid(X @ self.coef + self.intercept)

    def predict(self, sentences: list[str]) -> list[str]:
        return ["SUBJ" if p >= self.threshold else "OBJ" for p in self.predict_proba(sentences)]
