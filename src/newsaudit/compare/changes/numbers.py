"""Numbers and dates: an article figure that the source gives differently (see figures.py
for how figures are read and compared)."""

from __future__ import annotations

from collections.abc import Iterator

from newsaudit.compare.align import Alignment
from newsaudit.compare.changes.base import ArticleView, Change
from newsaudit.compare.figures import MEASURE_KINDS, Figure, figures, number, same_figure


def detect(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    unit = alignment.passage.tokens
    source_all = [t for p in alignment.source.passages for t in p.tokens]
    everywhere = figures(source_all, alignment.source.text)
    here = figures(alignment.tokens, alignment.source.text)
    written = figures(unit, article.text)
    numbers = {v for t in source_all if (v := number(t)) is not None}
    for figure in written:
        if any(same_figure(figure, other) for other in everywhere):
            continue
        if figure.kind == "count" and figure.last - figure.first == 1 and figure.value in numbers:
            continue  # the source says the number, with a unit read another way
        if _derived(figure, everywhere):
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


def _derived(figure: Figure, said: list[Figure]) -> bool:
    """Whether the figure is the difference of two the source gives: "13 Prozentpunkte
    mehr" for a rate risen "from 58 to 71 percent", "48 km/h mehr als erlaubt" for 148
    where 100 are allowed. Not a sum: "5,5 Prozent" for a demand of 3.5 beside an offer
    of 2 is a changed figure."""
    if figure.kind not in ("count", "duration") and figure.kind not in MEASURE_KINDS:
        return False
    values = [float(f.value) for f in said if f.kind == figure.kind]  # type: ignore[arg-type]
    target = float(figure.value)  # type: ignore[arg-type]
    return any(
        abs(abs(a - b) - target) <= 1e-9 * max(1.0, target)
        for i, a in enumerate(values)
        for b in values[i + 1 :]
    )
