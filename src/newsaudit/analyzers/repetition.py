"""Repetition as an article-level technique flag: a phrase the article repeats across its
paragraphs (``nlp.repetition``), scored by the packaged Repetition model.

One flag per repeated phrase: its span is the first occurrence, ``paragraph`` that
occurrence's paragraph, and every occurrence is an evidence span. Names (entity mentions)
are not candidates: an article repeats its subject's name because it is the subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsaudit.report.model import Evidence, TechniqueFlag

TECHNIQUE = "Repetition"


def repetition_flags(
    text: str,
    blocks: Sequence[Any],
    language: str | None,
    names: Sequence[tuple[int, int]] = (),
    title: tuple[int, int] | None = None,
) -> list[TechniqueFlag]:
    """Flags for the repeated phrases of ``text`` whose probability reaches the model's
    ``emit`` level; ``blocks`` are the analysable paragraphs (``start``, ``end``, ``index``)."""
    from newsaudit.analyzers.technique_definitions import definition
    from newsaudit.models import repetition
    from newsaudit.nlp.repetition import repeated_phrases

    model = repetition.load()
    paragraphs = [(b.start, b.end) for b in blocks]
    flags = []
    for candidate in repeated_phrases(text, paragraphs, language, names, title):
        probability = model.probability(candidate.features)
        if probability < model.emit:
            continue
        start, end = candidate.occurrences[0]
        block = next(b for b in blocks if b.start <= start < b.end)
        phrase = text[start:end]
        flag = TechniqueFlag(
            start=start,
            end=end,
            text=phrase,
            technique=TECHNIQUE,
            paragraph=block.index,
            score=round(probability, 4),
            threshold=round(model.emit, 4),
            evidence=[
                Evidence(start=s, end=e, text=text[s:e], score=round(probability, 4), cues=[phrase])
                for s, e in candidate.occurrences
            ],
            probability=round(probability, 4),
            level="strong"
            if model.strong is not None and probability >= model.strong
            else "possible",
            definition=definition(TECHNIQUE, "en"),
            definition_de=definition(TECHNIQUE, "de"),
        )
        flags.append(flag)
    return flags
