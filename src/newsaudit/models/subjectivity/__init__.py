"""The packaged subjectivity models (CheckThat! 2025 Task 1; see MODEL_CARD.md): the e5
classifier of ``newsaudit predict subjectivity`` (the top layers over the shared embedder
graph's ``trunk``) and the fast TF-IDF model of the claims analyzer, each with one cached
loader."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsaudit.nlp.subjectivity import FastSubjectivityModel, SubjectivityModel

MODEL_DIR = Path(__file__).resolve().parent
CLASSIFIER_FILE = MODEL_DIR / "classifier.onnx"
FAST_MODEL_FILE = MODEL_DIR / "fast.npz"


@lru_cache(maxsize=1)
def load() -> SubjectivityModel:
    """The e5 classifier, loaded once per process; ModelError when missing or broken."""
    from newsaudit.nlp.subjectivity import SubjectivityModel

    return SubjectivityModel(CLASSIFIER_FILE)


@lru_cache(maxsize=1)
def load_fast() -> FastSubjectivityModel:
    """The TF-IDF model, loaded once per process; ModelError when missing or broken."""
    from newsaudit.nlp.subjectivity import FastSubjectivityModel

    return FastSubjectivityModel(FAST_MODEL_FILE)
