"""Credibility: signals of how the article sources and writes, each with its evidence.

Reads the quotes, claims and techniques layers (and the narratives layer when that analyzer
ran) through :class:`~newsaudit.analyzers.credibility_signals.ArticleView`; the outlet's
opinion share uses the fast subjectivity model the claims analyzer uses. Signals are
evidence, not a verdict: each says what was measured and on which words.
"""

from __future__ import annotations

from typing import Any, ClassVar

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.analyzers.credibility_signals import ArticleView, all_signals, attribution
from newsaudit.report.model import Credibility


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
        return "subjectivity-fast-checkthat2025"

    def load(self) -> None:
        from newsaudit.models import subjectivity

        self._model_subjectivity = subjectivity.load_fast()

    def analyze(self, context: Context) -> dict[str, Any]:
        if not hasattr(self, "_model_subjectivity"):
            self.load()
        view = view_of(context, self._model_subjectivity)
        shares, _ = attribution(view)
        return {"credibility": Credibility(signals=all_signals(view), attribution_shares=shares)}
