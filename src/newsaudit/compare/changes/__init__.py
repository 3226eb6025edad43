"""Every kind of change, detected on the accepted alignments.

One module per family: ``modality`` (hedges, conditions, negation, scope), ``places`` (a
region widened to its country), ``numbers``, ``speech_acts``, ``content`` (added content,
cut quotes) and ``attribution``.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsaudit.compare.align import Alignment
from newsaudit.compare.changes import (
    attribution,
    content,
    learned,
    modality,
    numbers,
    places,
    speech_acts,
)
from newsaudit.compare.changes.base import ArticleView, Change, renderings
from newsaudit.compare.text import tokenize
from newsaudit.compare.units import message_span
from newsaudit.report.model import Report

__all__ = ["Change", "article_view", "detect_changes"]


def _merge_conditions(changes: list[Change]) -> list[Change]:
    """One finding per dropped source condition, on the statement that renders it best."""
    best: dict[tuple[int, tuple[int, int]], Change] = {}
    count: dict[tuple[int, tuple[int, int]], int] = {}
    for change in changes:
        key = (change.alignment.source.index, change.source)
        count[key] = count.get(key, 0) + 1
        if key not in best or change.alignment.coverage > best[key].alignment.coverage:
            best[key] = change
    merged = []
    for key, change in best.items():
        others = count[key] - 1
        if others:
            note = f" The same condition also governs {others} other quoted part(s) of it."
            change = Change(
                change.kind,
                change.article,
                change.source,
                change.explanation + note,
                change.alignment,
            )
        merged.append(change)
    return merged


def article_view(report: Report, alignments: list[Alignment]) -> ArticleView:
    return ArticleView(
        report.text, [message_span(report.text, q) for q in report.quotes], renderings(alignments)
    )


def detect_changes(
    report: Report,
    alignments: list[Alignment],
    unmatched: Sequence[Alignment] = (),
    *,
    learn: bool = True,
    figured: Sequence[Alignment] = (),
) -> list[Change]:
    """Changes of the accepted alignments, and of the units no source passage renders
    (``unmatched``: each unit's best rejected candidate): the rules' findings, then, with
    ``learn``, the learned model's on the units where the rules found none. ``figured``:
    alignments of sentences outside the units, read for changed figures, hedges,
    conditions and scope (their negations and words are the outlet's own)."""
    article = article_view(report, alignments)
    article.retold_by = renderings([*alignments, *figured])
    changes: list[Change] = []
    conditions: list[Change] = []
    for alignment in alignments:
        changes += modality.detect(alignment, article)
        conditions += modality.condition_changes(alignment, article)
        changes += numbers.detect(alignment, article)
        changes += places.detect(alignment)
        changes += speech_acts.detect(alignment, article)
        changes += content.detect(alignment, article)
        changes += attribution.detect(alignment, article)
    for alignment in figured:
        changes += numbers.detect(alignment, article)
        changes += modality.detect(alignment, article)
        conditions += modality.condition_changes(alignment, article)
    changes += _merge_conditions(conditions)
    changes += speech_acts.detect_named(alignments, article, tokenize(report.text))
    for candidate in unmatched:
        changes += attribution.unsourced(candidate, article)
    seen: set[tuple[str, tuple[int, int]]] = set()
    unique = []
    for change in sorted(changes, key=lambda c: (c.article, c.kind)):
        if (change.kind, change.article) not in seen:
            seen.add((change.kind, change.article))
            unique.append(change)
    if learn:
        unique += learned.detect(article, alignments, unmatched, unique)
        unique.sort(key=lambda c: (c.article, c.kind))
    return unique
