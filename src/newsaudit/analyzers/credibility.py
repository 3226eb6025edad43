"""Credibility: signals of how the article sources and writes, each with its evidence.

Reads the quotes, claims and techniques layers (and the narratives layer when that analyzer
ran) through :class:`~newsaudit.analyzers.credibility_signals.ArticleView`; the outlet's
opinion share uses the fast subjectivity model the claims analyzer uses. Signals are
evidence, not a verdict: each says what was measured and on which words. The score
(``nlp.credibility_score``) reads the signals and a word-use head over the article's words,
and says which of them moved it most.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.analyzers.credibility_signals import ArticleView, all_signals, attribution
from newsaudit.nlp.credibility_score import (
    WORD_USE,
    CredibilityScorer,
    WordUse,
    signal_features,
)
from newsaudit.report.model import Credibility, Signal, SignalEvidence


def view_of(context: Context, subjective: Any) -> ArticleView:
    """The signals' view of a live pipeline run."""
    document, results = context.document, context.results
    titles = [(b.start, b.end) for b in document.blocks if b.role == "title"]
    return ArticleView(
        text=document.text,
        language=document.language,
        title=titles[0] if titles else None,
        prose=[(b.start, b.end) for b in document.blocks if b.role in ("lead", "body")],
        sentences=list(context.layer.sentences),
        quotes=results.get("quotes") or [],
        claims=results.get("claims") or [],
        techniques=results.get("techniques") or [],
        metadata=document.metadata,
        narratives=results.get("narratives") or [],
        persuasion=results.get("persuasion"),
        subjective=subjective.predict_proba,
        subjective_threshold=subjective.threshold,
    )


class CredibilityAnalyzer(Analyzer):
    name: ClassVar[str] = "credibility"
    version: ClassVar[str] = "0.1"
    languages: ClassVar[frozenset[str] | None] = frozenset({"de", "en"})
    requires: ClassVar[tuple[str, ...]] = ("quotes", "claims", "techniques")
    assigns: ClassVar[tuple[str, ...]] = ("credibility",)

    @property
    def model_name(self) -> str | None:
        return "credibility-score-fang-covid + subjectivity-fast-checkthat2025"

    def load(self) -> None:
        from newsaudit.models import credibility, subjectivity

        self._model_subjectivity = subjectivity.load_fast()
        self._model_score = credibility.load()
        self._model_word_use = credibility.load_word_use()

    def analyze(self, context: Context) -> dict[str, Any]:
        if not hasattr(self, "_model_subjectivity"):
            self.load()
        view = view_of(context, self._model_subjectivity)
        return {"credibility": assess(view, self._model_score, self._model_word_use)}


def assess(view: ArticleView, scorer: CredibilityScorer, word_use: WordUse) -> Credibility:
    """Signals, attribution shares and the score of one article (the benchmark and training
    call this on stored Reports, so they score exactly as the analyzer does)."""
    shares, _ = attribution(view)
    signals = all_signals(view)
    features = signal_features(
        signals, shares, view.words, [flag.technique for flag in view.techniques]
    )
    features[WORD_USE] = word_use.logit(view.text)
    signals.append(word_use_signal(view.text, features[WORD_USE], word_use))
    score, effects = scorer.score(features)
    return Credibility(
        signals=signals, attribution_shares=shares, score=score, score_effects=effects
    )


def _first(text: str, word: str) -> tuple[int, int] | None:
    match = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text)
    return (match.start(), match.end()) if match else None


def word_use_signal(text: str, logit: float, word_use: WordUse) -> Signal:
    """The word-use feature as a signal, with the words that pulled it most either way."""
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
    like, unlike = word_use.words(text)
    spans = [
        SignalEvidence(start=a, end=b, text=text[a:b])
        for word, _ in (*unlike, *like)
        if (found := _first(text, word)) is not None
        for a, b in (found,)
    ]
    shown = f"{p:.2f}"

    def listed(words: list[tuple[str, float]], opening: str, closing: str) -> str:
        return ", ".join(f"{opening}{w}{closing}" for w, _ in words) or "-"

    return Signal(
        name=WORD_USE,
        value=round(p, 3),
        explanation=f"Word use resembles reliable-outlet reporting with probability {shown}; "
        f"words most like unreliable outlets: {listed(unlike, '“', '”')}; most like reliable "
        f"ones: {listed(like, '“', '”')}.",
        explanation_de="Die Wortwahl ähnelt der Berichterstattung verlässlicher Medien mit "
        f"Wahrscheinlichkeit {shown.replace('.', ',')}; Wörter wie bei unzuverlässigen "
        f"Medien: {listed(unlike, '„', '“')}; wie bei verlässlichen: {listed(like, '„', '“')}.",
        spans=spans,
    )
