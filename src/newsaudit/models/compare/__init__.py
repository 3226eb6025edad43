"""The packaged compare model (a logistic regression over the evidence of one article unit
against its source passage, ``compare.changes.learned``; see MODEL_CARD.md): its folder and
its one cached :func:`load`."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsaudit.errors import ModelError

MODEL_DIR = Path(__file__).resolve().parent
MODEL_FILE = MODEL_DIR / "model.json"


@dataclass(frozen=True)
class CompareModel:
    """Weights over the feature names and the word-class directions they read; a unit
    with an accepted alignment is a finding at ``accept`` or above, a unit no passage
    renders at ``unmatched`` or above."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    accept: float
    unmatched: float
    # word class -> its direction in e5's word-state space
    directions: dict[str, tuple[float, ...]]

    def probability(self, values: list[float]) -> float:
        z = sum(w * x for w, x in zip(self.coef, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def read(path: Path = MODEL_FILE) -> CompareModel:
    """The model in ``path``; ModelError when it is missing or broken."""
    if not path.is_file():
        raise ModelError(f"the compare model is missing at {path}; run `newsaudit train compare`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = CompareModel(
            tuple(data["features"]),
            tuple(float(w) for w in data["coef"]),
            float(data["accept"]),
            float(data["unmatched"]),
            {k: tuple(float(x) for x in v) for k, v in data["directions"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"the compare model at {path} cannot be read: {exc}") from exc
    if len(model.coef) != len(model.features):
        raise ModelError(f"the compare model at {path} is broken; retrain it")
    return model


@lru_cache(maxsize=1)
def load() -> CompareModel:
    return read()
