"""The article's persuasion summary: how many technique flags per 1,000 words, which
techniques dominate, where the article persuades most, and how unusual that is.

WHY a reference: "4.2 strong flags per 1,000 words" means nothing alone; against the same
rate on everyday news (FANG-COVID's training outlets tagesspiegel.de and zeit.de, scored by
the shipped model: ``models/techniques/persuasion_reference.json``) a reader sees at once
whether this article persuades more than a newspaper usually does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, ClassVar

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.analyzers.technique_calibration import count_words
from newsaudit.analyzers.techniques import SUPPORTED
from newsaudit.report.model import (
    Persuasion,
    PersuasiveParagraph,
    TechniqueCount,
    TechniqueFlag,
)

DOMINANT = 3
TOP_PARAGRAPHS = 3
UNUSUAL_PERCENTILE = 90.0


def percentile_of(value: float, reference: Sequence[float]) -> float:
    """Share (0-100) of ``reference`` below ``value``, ties counted half."""
    if not reference:
        return 0.0
    below = sum(1 for r in reference if r < value)
    ties = sum(1 for r in reference if r == value)
    return round(100.0 * (below + 0.5 * ties) / len(reference), 1)


def summarise(
    text: str,
    flags: Sequence[TechniqueFlag],
    words: int,
    reference: dict[str, Any] | None,
) -> Persuasion:
    """The summary of ``flags`` in an article of ``words`` words (offsets into ``text``)."""
    strong = [f for f in flags if f.level == "strong"]
    per_1000 = 1000.0 / words if words else 0.0
    counts_all = Counter(f.technique for f in flags)
    counts_strong = Counter(f.technique for f in strong)
    dominant = sorted(counts_all, key=lambda t: (-counts_strong[t], -counts_all[t], t))
    by_paragraph: dict[int, list[TechniqueFlag]] = {}
    for flag in flags:
        by_paragraph.setdefault(flag.paragraph, []).append(flag)

    def weight(item: tuple[int, list[TechniqueFlag]]) -> tuple[int, int, float]:
        own = item[1]
        mass = sum(f.probability or 0.0 for f in own)
        return (-sum(f.level == "strong" for f in own), -len(own), -mass)

    paragraphs = []
    for index, own in sorted(by_paragraph.items(), key=weight)[:TOP_PARAGRAPHS]:
        start, end = own[0].start, own[0].end
        paragraphs.append(
            PersuasiveParagraph(
                start=start,
                end=end,
                text=text[start:end],
                paragraph=index,
                strong=sum(f.level == "strong" for f in own),
                all=len(own),
                techniques=list(dict.fromkeys(f.technique for f in own)),
            )
        )
    strong_rate = round(len(strong) * per_1000, 2)
    percentile = None
    if reference:
        percentile = percentile_of(strong_rate, reference["strong_per_1000_words"])
    return Persuasion(
        words=words,
        strong=len(strong),
        all=len(flags),
        strong_per_1000_words=strong_rate,
        all_per_1000_words=round(len(flags) * per_1000, 2),
        dominant=[
            TechniqueCount(technique=t, strong=counts_strong[t], all=counts_all[t])
            for t in dominant[:DOMINANT]
        ],
        paragraphs=paragraphs,
        percentile=percentile,
        unusual=percentile is not None and percentile > UNUSUAL_PERCENTILE,
        reference=reference["name"] if reference else None,
    )


class PersuasionAnalyzer(Analyzer):
    name: ClassVar[str] = "persuasion"
    version: ClassVar[str] = "0.1"
    languages: ClassVar[frozenset[str] | None] = SUPPORTED
    requires: ClassVar[tuple[str, ...]] = ("techniques",)
    assigns: ClassVar[tuple[str, ...]] = ("persuasion",)

    def load(self) -> None:
        from newsaudit.models.techniques import read_reference

        self._model = read_reference()

    def analyze(self, context: Context) -> dict[str, Any]:
        document = context.document
        words = sum(count_words(document.text[b.start : b.end]) for b in document.analysable_blocks)
        flags = context.results.get("techniques", [])
        reference = self._model.get(document.language or "")
        return {"persuasion": summarise(document.text, flags, words, reference)}
