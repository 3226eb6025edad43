"""Calibrated probabilities and levels of technique flags.

WHY: a technique's blended score is tuned for micro-F1 on SemEval's persuasive articles, so
it is no probability, and its thresholds flag far too much on everyday news. The calibrator
maps each (paragraph, technique) score to the probability that the flag is right, learnt
from scores that heads never trained on gave to held-out German paragraphs
(``train/technique_calibration.py``):

    logit p = intercept[t] + slope[t] * logit(score)
              + gate * logit(highest score of the paragraph)
              + article * logit(mean over the article's paragraphs of their highest score)
              + length * log(1 + words of the paragraph)
              + shift[t]

``gate`` lets a paragraph where no technique stands out lower its flags (a learned "no
technique here" signal), ``article`` lets a calm article lower them, ``length`` weighs a
short line (a bullet point, a caption) against a paragraph; ``shift`` is the prior
adaptation to everyday news (the log-odds of a technique's rate there against its rate on
SemEval; absent when not adapted). A flag is ``strong`` when its probability is at least the
calibrator's ``strong`` cut, chosen on held-out scores so that the strong flags were right at
least 60% of the time on held-out German paragraphs (with a margin) and everyday news gets
few of them (``train/technique_calibration.py``). A list item (a line opening with a bullet)
is never strong: a fragment of its lead-in sentence, of a kind the held-out paragraphs hardly
hold (7 of SemEval's 1,555 German ones), so the calibration cannot vouch for its flags.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsaudit.numeric import sigmoid

STRONG_PROBABILITY = 0.6
_EPS = 1e-4
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), _EPS, 1 - _EPS)
    return np.log(p / (1 - p))


FEATURES = ("gate", "article", "length")
# A bullet glyph, or "-" or "*" and a space, opening a line. Not the dashes: German prose
# opens a line with "–" where a scraper broke a sentence ("– das ist ihre Forderung.").
_LIST_ITEM = re.compile(r"^\s*(?:[•·▪▫●○◦‣∙⁃■□►▸➢➤✓✔]|[-*]\s)")


def list_items(texts: Sequence[str]) -> np.ndarray:
    """(n,) True for the texts that are list items, which no flag is strong on."""
    return np.array([bool(_LIST_ITEM.match(t)) for t in texts], dtype=bool)


def paragraph_features(
    scores: np.ndarray, words: Sequence[int] | None, articles: Sequence[str] | None
) -> dict[str, np.ndarray]:
    """The shared per-paragraph inputs of the calibrator, by weight name."""
    best = scores.max(axis=1, initial=0.0)
    article = np.zeros(len(scores))
    groups = list(articles) if articles is not None else ["_"] * len(scores)
    rows_of: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        rows_of.setdefault(g, []).append(i)
    counts = np.zeros(len(scores)) if words is None else np.asarray(words, dtype=np.float64)
    for rows in rows_of.values():
        # the article's paragraphs with words (all of them when words are not given)
        prose = [i for i in rows if words is None or counts[i] > 0] or rows
        article[rows] = best[prose].mean()
    return {"gate": logit(best), "article": logit(article), "length": np.log1p(counts)}


@dataclass
class Calibrator:
    """Per-technique Platt scaling with a shared paragraph gate and a prior shift."""

    intercept: np.ndarray  # (n_techniques,)
    slope: np.ndarray  # (n_techniques,)
    gate: float = 0.0
    article: float = 0.0
    length: float = 0.0
    shift: np.ndarray | None = None  # (n_techniques,) log-odds, None = not adapted
    strong: float = STRONG_PROBABILITY
    about: dict[str, Any] = field(default_factory=dict)

    def logits(
        self,
        scores: np.ndarray,
        words: Sequence[int] | None = None,
        articles: Sequence[str] | None = None,
    ) -> np.ndarray:
        """(n, n_techniques) calibrated log-odds of blended ``scores`` (n, n_techniques) of
        paragraphs with ``words`` words each, in reading order of their ``articles`` (one
        article when ``None``)."""
        scores = np.asarray(scores, dtype=np.float64).reshape(-1, len(self.slope))
        z = self.intercept + self.slope * logit(scores)
        features = paragraph_features(scores, words, articles)
        for name in FEATURES:
            weight = getattr(self, name)
            if weight:
                z = z + weight * features[name][:, None]
        if self.shift is not None:
            z = z + self.shift
        return z

    def probabilities(
        self,
        scores: np.ndarray,
        words: Sequence[int] | None = None,
        articles: Sequence[str] | None = None,
    ) -> np.ndarray:
        return sigmoid(self.logits(scores, words, articles))

    def strong_flags(self, probabilities: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """(n, n_techniques) True where a flag with these ``probabilities`` on these
        ``texts`` is strong: at the strong cut or above, and not on a list item."""
        return (np.asarray(probabilities) >= self.strong) & ~list_items(texts)[:, None]

    def to_json(self) -> dict[str, Any]:
        return {
            "intercept": [round(float(v), 6) for v in self.intercept],
            "slope": [round(float(v), 6) for v in self.slope],
            "gate": round(float(self.gate), 6),
            "article": round(float(self.article), 6),
            "length": round(float(self.length), 6),
            "shift": None if self.shift is None else [round(float(v), 6) for v in self.shift],
            "strong": self.strong,
            "about": self.about,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibrator:
        shift = data.get("shift")
        return cls(
            intercept=np.array(data["intercept"], dtype=np.float64),
            slope=np.array(data["slope"], dtype=np.float64),
            gate=float(data.get("gate", 0.0)),
            article=float(data.get("article", 0.0)),
            length=float(data.get("length", 0.0)),
            shift=None if shift is None else np.array(shift, dtype=np.float64),
            strong=float(data.get("strong", STRONG_PROBABILITY)),
            about=dict(data.get("about", {})),
        )
