"""The packaged Repetition model (a logistic regression over repeated-phrase features, see
MODEL_CARD.md): its folder and its one cached :func:`load`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsaudit.errors import ModelError

MODEL_DIR = Path(__file__).resolve().parent
MODEL_FILE = MODEL_DIR / "model.json"


@dataclass(frozen=True)
class RepetitionModel:
    """Weights over ``nlp.repetition.FEATURES``; a candidate at ``emit`` or above is a flag,
    at ``strong`` or above a strong one (``None``: no probability was precise enough)."""

    features: tuple[str, ...]
    coef: tuple[float, ...]
    emit: float
    strong: float | None

    def probability(self, values: list[float]) -> float:
        import math

        z = sum(w * x for w, x in zip(self.coef, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def read(path: Path = MODEL_FILE) -> RepetitionModel:
    """The model in ``path``; ModelError when it is missing, broken or for other features."""
    from newsaudit.nlp.repetition import FEATURES

    if not path.is_file():
        raise ModelError(
            f"the Repetition model is missing at {path}; run `newsaudit train repetition`"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = RepetitionModel(
            tuple(data["features"]),
            tuple(float(w) for w in data["coef"]),
            float(data["emit"]),
            None if data["strong"] is None else float(data["strong"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"the Repetition model at {path} cannot be read: {exc}") from exc
    if model.features != FEATURES or len(model.coef) != len(FEATURES):
        raise ModelError(f"the Repetition model at {path} is for other features; retrain it")
    return model


@lru_cache(maxsize=1)
def load() -> RepetitionModel:
    return read()
