"""A statement the article gives to one person that the source gives to another."""

from __future__ import annotations

from collections.abc import Iterator

from newsaudit.compare.align import Alignment
from newsaudit.compare.changes.base import ArticleView, Change, clause_region, token_span
from newsaudit.compare.source import name_words
from newsaudit.nlp.tokens import stop_words

_TITLES = frozenset(
    "minister ministerin präsident präsidentin president sprecher sprecherin spokesperson "
    "spokesman spokeswoman mr mrs ms dr prof herr frau general trainer coach kanzler "
    "kanzlerin chef chefin bürgermeister bürgermeisterin mayor".split()
)


def surnames(name: str | None) -> frozenset[str]:
    words = name_words(name) - _TITLES
    return frozenset(w for w in words if w not in stop_words("de") and w not in stop_words("en"))


def source_speaker(alignment: Alignment) -> str | None:
    """The speaker of the source sentences the region lies in, when they agree."""
    start, end = alignment.region_span
    speakers = {
        alignment.source.sentences[i].speaker
        for i in alignment.sentences
        if alignment.source.sentences[i].start < end and start < alignment.source.sentences[i].end
    }
    return speakers.pop() if len(speakers) == 1 else None


def same_speaker(alignment: Alignment) -> bool | None:
    """True or False when both sides name a speaker, None when one does not."""
    said_by = source_speaker(alignment)
    article_names = surnames(alignment.unit.speaker)
    if not said_by or not article_names:
        return None
    return bool(article_names & surnames(said_by))


def detect(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    if same_speaker(alignment) is not False:
        return
    said_by = source_speaker(alignment)
    sentence = {t.lower for t in article.sentence_tokens(alignment)}
    names = {w for s in alignment.source.sentences if s.speaker for w in surnames(s.speaker)}
    mentioned = {w for w in sentence for n in names if w == n or w == n + "s"}
    if mentioned - surnames(alignment.unit.speaker):
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
