"""Numbers and dates: an article figure that the source gives differently (see figures.py
for how figures are read and compared)."""

from __future__ import annotations

from collections.abc import Iterator

from newsaudit.compare.align import Alignment
from newsaudit.compare.changes.base import ArticleView, Change
from newsaudit.compare.figures import figures, same_figure


def detect(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    unit = alignment.passage.tokens
    source_all = [t for p in alignment.source.passages for t in p.tokens]
    everywhere = figures(source_all, alignment.source.text)
    here = figures(alignment.tokens, alignment.source.text)
    written = figures(unit, article.text)
    for figure in written:
        if any(same_figure(figure, other) for other in everywhere):
            continue
        rivals = [
            f for f in here if f.kind == figure.kind and not any(same_figure(f, g) for g in written)
        ]
        if not rivals:
            continue
        rival = min(rivals, key=lambda f: abs(f.first - alignment.links[figure.first]))
        said = " ".join(t.text for t in alignment.tokens[rival.first : rival.last])
        wrote = " ".join(t.text for t in unit[figure.first : figure.last])
        yield Change(
            "number_changed",
            (unit[figure.first].start, unit[figure.last - 1].end),
            (alignment.tokens[rival.first].start, alignment.tokens[rival.last - 1].end),
            f"The article says „{wrote}“; the source says '{said}'.",
            alignment,
        )
