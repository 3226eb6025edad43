"""The credibility score: a calibrated logistic model over the signals and a word-use
feature (a TF-IDF head over the article's words, trained on the same outlets).

WHY a linear model: the score must say which signals moved it and by how much. Each
feature's effect is the score of an average training article given this article's value of
the feature, minus the average article's score (not the change at the article itself: at a
score near 0 or 1 every change is tiny, and the reader would learn nothing). Labels are
outlets' (FANG-COVID: reliable or not), so the score estimates how much an article's
sourcing and writing resemble reliable-outlet reporting; it is a style estimate, not a
verdict on truth (``train/credibility.py``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsaudit.errors import ModelError
from newsaudit.report.model import ScoreEffect, Signal

MAX_EFFECTS = 4


def _log1p(x: float) -> float:
    return math.log1p(max(0.0, x))


def _per_thousand(x: float, words: int) -> float:
    return 1000.0 * x / words if words else 0.0


# Feature name -> how it is read from the signals: (signal, density per 1,000 words?, log?).
FEATURES: dict[str, tuple[str, bool, bool]] = {
    "unattributed_claims": ("unattributed_claims", False, False),
    "vague_sources": ("vague_sources", True, True),
    "named_sources": ("named_sources", True, True),
    "quotes_without_speaker": ("quotes_without_speaker", True, True),
    "speech_framing": ("speech_framing", True, True),
    "unsupported_conclusions": ("unsupported_conclusions", True, True),
    "outlet_opinion": ("outlet_opinion", False, False),
    "headline_emotive": ("headline_emotive", False, True),
    "exclamations": ("exclamations", False, True),
}
QUOTE_SHARE = "quote_share"
TECHNIQUE_FLAGS = "technique_flags"
# Article-level flags the score model was not trained with.
_UNSCORED_TECHNIQUES = frozenset({"Repetition"})
WORD_USE = "word_use"
EVIDENCE_WORDS = 3


def signal_features(
    signals: Sequence[Signal],
    shares: dict[str, float],
    words: int,
    techniques: Sequence[str] = (),
) -> dict[str, float]:
    """The numeric features of the score, from the signals, the attribution shares and the
    techniques of the article's flags.

    WHY all paragraph flags and not the strong ones: the score was trained on Reports whose
    flags had no calibrated level (each counted as strong); all flags per 1,000 words is the
    same number then and stays so once flags carry levels, so the score does not shift."""
    values = {s.name: s.value for s in signals if isinstance(s.value, int | float)}
    out = {}
    for name, (signal, density, log) in FEATURES.items():
        x = float(values.get(signal, 0.0))
        x = _per_thousand(x, words) if density else x
        out[name] = _log1p(x) if log else x
    out[QUOTE_SHARE] = float(shares.get("quotes", 0.0))
    flags = sum(1 for t in techniques if t not in _UNSCORED_TECHNIQUES)
    out[TECHNIQUE_FLAGS] = _log1p(_per_thousand(flags, words))
    return out


class WordUse:
    """A logistic head over case-sensitive TF-IDF word counts: how much the article's words
    resemble those of reliable outlets. Linear, so each word's share of the logit is exact
    and the words that pulled most either way are its evidence."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ModelError(
                f"the credibility word-use model is missing at {path}; "
                "run `newsaudit train credibility`"
            )
        try:
            from newsaudit.nlp.tfidf import Tfidf

            with np.load(path, allow_pickle=False) as data:
                options = json.loads(str(data["options"]))
                self.tfidf = Tfidf.from_options(options, data["vocab"].tolist(), data["idf"])
                self.coef = data["coef"].astype(np.float64)
                self.intercept = float(data["intercept"])
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ModelError(f"the credibility word-use model at {path} is broken: {exc}") from exc

    def logit(self, text: str) -> float:
        return float((self.tfidf.transform([text]) @ self.coef)[0] + self.intercept)

    def words(self, text: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """(words most like reliable outlets, most like unreliable), each with its share of
        the logit, strongest first."""
        row = self.tfidf.transform([text])
        terms = row.data * self.coef[row.indices]
        order = np.argsort(terms)
        vocabulary = self.tfidf.vocabulary
        unlike = [(vocabulary[row.indices[i]], float(terms[i])) for i in order if terms[i] < 0]
        like = [(vocabulary[row.indices[i]], float(terms[i])) for i in order[::-1] if terms[i] > 0]
        return like[:EVIDENCE_WORDS], unlike[:EVIDENCE_WORDS]


@dataclass
class CredibilityScorer:
    """Standardised features -> logit -> Platt calibration (fit on outlet-held-out logits)."""

    names: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    platt: tuple[float, float]

    @classmethod
    def read(cls, path: Path) -> CredibilityScorer:
        if not path.is_file():
            raise ModelError(
                f"the credibility score model is missing at {path}; "
                "run `newsaudit train credibility`"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                names=list(data["names"]),
                mean=np.array(data["mean"], dtype=np.float64),
                scale=np.array(data["scale"], dtype=np.float64),
                coef=np.array(data["coef"], dtype=np.float64),
                intercept=float(data["intercept"]),
                platt=(float(data["platt"][0]), float(data["platt"][1])),
            )
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ModelError(f"the credibility score model at {path} is broken: {exc}") from exc

    def to_json(self) -> dict:
        return {
            "names": self.names,
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "coef": self.coef.round(6).tolist(),
            "intercept": round(self.intercept, 6),
            "platt": [round(v, 6) for v in self.platt],
        }

    def _probability(self, x: np.ndarray) -> float:
        z = float(((x - self.mean) / self.scale) @ self.coef + self.intercept)
        a, b = self.platt
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, a * z + b))))

    def score(self, features: dict[str, float]) -> tuple[float, list[ScoreEffect]]:
        """The calibrated score and the features that moved it most, largest first."""
        x = np.array([features.get(n, 0.0) for n in self.names], dtype=np.float64)
        probability = self._probability(x)
        baseline = self._probability(self.mean)
        effects = []
        for i, name in enumerate(self.names):
            alone = self.mean.copy()
            alone[i] = x[i]
            effects.append(
                ScoreEffect(
                    signal=name,
                    value=round(float(x[i]), 4),
                    effect=round(self._probability(alone) - baseline, 4),
                )
            )
        effects.sort(key=lambda e: -abs(e.effect))
        return round(probability, 4), effects[:MAX_EFFECTS]
