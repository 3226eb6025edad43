"""A statement the article gives to one person that the source gives to another."""

from __future__ import annotations

from collections.abc import Iterator

from newsaudit.compare.align import Alignment
from newsaudit.compare.changes.base import ArticleView, Change, clause_region, token_span
from newsaudit.compare.speakers import article_person, name_forms, person


def detect(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    if alignment.same_speaker() is not False:
        return
    said_by = alignment.source_speaker()
    sentence = {form for t in article.sentence_tokens(alignment) for form in name_forms(t.lower)}
    surnames = {person(s.speaker).surname for s in alignment.source.sentences if s.speaker}
    mentioned = (surnames - {None}) & sentence
    if mentioned - article_person(alignment.unit).names:
        return  # the article refers to the source speaker ("Kirbys Drohungen"): no mix-up
    unit = alignment.unit
    span = unit.speaker_span or (unit.start, unit.end)
    first, last = clause_region(alignment)
    yield Change(
        "misattribution",
        span,
        token_span(alignment.tokens, first, last),
        f"The article attributes these words to {unit.speaker}; in the source they are said "
        f"by {said_by}.",
        alignment,
    )
