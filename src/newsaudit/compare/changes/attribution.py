"""A statement the article gives to one person that the source gives to another, or that
no one in the source makes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsaudit.compare import lexicon as lx
from newsaudit.compare.align import Alignment, is_content
from newsaudit.compare.changes.base import ArticleView, Change, clause_region, token_span
from newsaudit.compare.speakers import article_person, name_forms, person, same_person

# A unit no passage renders well enough is still a misattribution when another person's
# words cover it this much; a statement of fewer content words is too short to say that
# the source lacks it.
MISATTRIBUTED = 0.6
MIN_UNSOURCED = 3


def asked(alignment: Alignment) -> bool:
    """Whether the aligned source words are an interviewer's question, or a question the
    article's speaker answers next: a question says nothing, so the article rendering it
    with the answer ("Will the festival return to the harbour?" - "That's our wish, yes")
    given to the one who answers is no mix-up. What an interviewer states ("Some say your
    company exploits its drivers.") is said."""
    said_by = alignment.source_speaker()
    if not said_by:
        return False
    source = alignment.source
    chosen = [source.sentences[i] for i in alignment.sentences]
    if not all(source.text[s.start : s.end].rstrip().endswith("?") for s in chosen):
        return False
    return "asker" in person(said_by).roles or _answered_by(alignment, chosen[-1].index)


def _answered_by(alignment: Alignment, question: int) -> bool:
    """Whether the source sentence after the question is the article speaker's."""
    after = next((s for s in alignment.source.sentences if s.index == question + 1), None)
    if after is None or not after.speaker or not alignment.unit.speaker:
        return False
    return bool(same_person(article_person(alignment.unit), person(after.speaker)))


def detect(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    if alignment.same_speaker() is not False or asked(alignment):
        return
    said_by = alignment.source_speaker()
    sentence = {form for t in article.sentence_tokens(alignment) for form in name_forms(t.lower)}
    surnames = {person(s.speaker).surname for s in alignment.source.sentences if s.speaker}
    mentioned = (surnames - {None}) & sentence
    if mentioned - article_person(alignment.unit).names:
        return  # the article refers to the source speaker ("Kirbys Drohungen"): no mix-up
    if speaks_for(alignment):
        return
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


def speaks_for(alignment: Alignment) -> bool:
    """Whether the source introduces its speaker together with the article's: an
    institution whose spokesperson the source quotes ("wie das Landesamt für
    Denkmalpflege mitteilte" for "Pressekonferenz des Landesamts für Denkmalpflege,
    Sprecher Dr. Benedikt Harlan: ..."), not someone else. The introduction is in the
    reporting words of the region's sentences or of the speaker's sentences before them."""
    speaker = article_person(alignment.unit)
    source, said_by = alignment.source, alignment.source_speaker()
    if not speaker.surname or not said_by:
        return False
    frames = []
    position = alignment.sentences[-1]
    while position >= 0 and source.sentences[position].speaker == said_by:
        frames += [source.text[a:b] for a, b in source.sentences[position].frame]
        position -= 1
    words = {  # names are capitalised: "Said" is a name, "said" the verb
        form
        for frame in frames
        for w in _WORDS.findall(frame)
        if w[:1].isupper()
        for form in name_forms(w.lower())
    }
    return bool(name_forms(speaker.surname) & words)


_WORDS = re.compile(r"\w+")


def speaks_in_source(candidate: Alignment) -> bool:
    """Whether the unit's speaker says anything in the candidate's source. WHY: the article
    may quote people the source does not contain, and their words are no change."""
    speaker = article_person(candidate.unit)
    return any(
        s.speaker and same_person(speaker, person(s.speaker)) for s in candidate.source.sentences
    )


def unsourced(candidate: Alignment, article: ArticleView) -> Iterator[Change]:
    """A statement the article gives to a speaker of the source that no passage of the
    source renders: said by someone else when another speaker's words come close, else
    added. WHY only for speakers of the source: the article may quote people the source
    does not contain, and their words are no change."""
    unit = candidate.unit
    if (unit.cue_span is None and not unit.continues) or not unit.speaker:
        return  # only what the article explicitly attributes ("sagte er"), not a lead
    if sum(map(is_content, candidate.passage.tokens)) < MIN_UNSOURCED:
        return
    if not speaks_in_source(candidate) or _asked(candidate, article):
        return
    if candidate.same_speaker() is False and candidate.coverage >= MISATTRIBUTED:
        if "asker" not in person(candidate.source_speaker()).roles:  # a question says nothing
            yield from detect(candidate, article)
        return
    first, last = clause_region(candidate)
    yield Change(
        "content_added",
        (unit.start, unit.end),
        token_span(candidate.tokens, first, last),
        f"The source has words of {unit.speaker}, but none that say this: its nearest "
        f"passage renders only {candidate.coverage:.0%} of the statement's words.",
        candidate,
    )


def _asked(alignment: Alignment, article: ArticleView) -> bool:
    """Whether the unit is the question put to the speaker ("Auf die Frage einer
    Reporterin, ob das Rennen gelaufen sei, sagte er ..."): the interviewer's words, not
    the speaker's, so nothing in it is added to what the speaker said."""
    unit, text = alignment.unit, article.text
    tokens = alignment.passage.tokens
    if not tokens or tokens[0].lower not in lx.OPEN_QUESTION:
        return False
    before = text[unit.sentence_start : unit.start].lower()
    return any(w in before for w in _QUESTIONED)


# Words that introduce the question put to a speaker.
_QUESTIONED = ("frage", "gefragt", "question", "asked")
