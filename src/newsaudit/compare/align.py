"""Align each article unit with the source passage or passages that say the same thing.

Retrieval by e5's pooled vectors picks a few candidate sentences (and pairs of them: a
quote may draw on two passages); within each candidate, every article word is linked to
its most similar source word (mid-layer states, so "Flugzeuge" meets "aircraft" across
languages), and the aligned region is the stretch of source words that covers the unit
best for its length. The similarity of an alignment is its coverage: the mean, over the
unit's content words, of each word's best link inside the region.

Who speaks shapes the choice: a pair of sentences must be one person's words, and a region
in the article speaker's own words wins a near tie. Which source words a unit renders is
told by mutual links (``clauses.mutual_partners``), which the change detectors read too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from itertools import combinations

import numpy as np

from newsaudit.compare.clauses import LINKED, mutual_partners
from newsaudit.compare.figures import figures, same_figure
from newsaudit.compare.source import SourceSentence
from newsaudit.compare.speakers import article_person, person, same_person
from newsaudit.compare.text import Passage, Token
from newsaudit.compare.units import Unit

CANDIDATES = 4
# What one more source word in the region costs, in units of word similarity: a far-off
# word must raise the coverage of the unit by this much to be taken in.
LENGTH_COST = 0.01
# Similarity of two unrelated words in the mid layers; only what a link adds above it
# counts when the region is chosen.
FLOOR = 0.45
# A link this similar joins one word in two languages ("Mai" and "May") even where one of
# them is a function word.
SAME_WORD = 0.8
# A source word this close to an article word's best link is an equally good partner: a
# word with several ("russische" against three "Russian"s) says little about where the
# unit sits, a word with one ("Flugzeuge" against "aircraft") says much.
TIE = 0.05
# Two figures of one value ("300" and "Three hundred", "2,5" and "2.5") link this closely
# whatever their word states say (a digit and a number word barely resemble each other).
FIGURE_LINK = 0.95
# Articles retell a statement in its order: a quote that follows another of the same
# speaker gets this bonus for regions that reach past that quote's region.
ORDER_BONUS = 0.15
# Two quotes rarely render the same source words: each word of the previous quote's region
# that a region takes in again costs this much.
REUSE_COST = 0.02
# How far apart (characters) two quotes of one speaker may be and still be read in order.
ORDER_REACH = 400
# A second passage is taken only when it raises the region's score by this much and, when
# it is not the next sentence, the unit renders this many words of each.
PAIR_GAIN = 0.04
PAIR_LINKS = 2
# ... or, for the next sentence, when it raises the coverage by this much for a score
# at most ``PAIR_SLACK`` lower: the longer region pays for words ("Our current estimate
# suggests a small chance") that the unit drops, which is what is to be found.
PAIR_COVER = 0.03
PAIR_SLACK = 0.1
# A region in the article speaker's own words is preferred to one in someone else's
# (a question that repeats the answer's words) unless that covers the unit this much better.
SPEAKER_MARGIN = 0.03


@cache
def content_stop_words() -> frozenset[str]:
    from newsaudit.nlp.tokens import stop_words

    return stop_words("de") | stop_words("en")


def is_content(token: Token) -> bool:
    return token.lower not in content_stop_words() and (len(token.text) > 1 or token.text.isdigit())


@dataclass
class Source:
    """One source text: its sentences, their encodings, and the index the user gave it."""

    index: int
    text: str
    sentences: list[SourceSentence]
    passages: list[Passage]
    vectors: np.ndarray = field(init=False)
    # where each reporting word starts ("city treasurer Nina Vogel said"): not what was said
    frame_starts: frozenset[int] = field(init=False)
    # word states of every content word the speakers say, in all passages, and where
    # each of those words starts
    said_states: np.ndarray = field(init=False)
    said_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.vectors = (
            np.stack([p.vector for p in self.passages])
            if self.passages
            else np.zeros((0, 1), dtype=np.float32)
        )
        self.frame_starts = frozenset(
            t.start
            for sentence, passage in zip(self.sentences, self.passages, strict=True)
            for t in passage.tokens
            if any(a <= t.start < b for a, b in sentence.frame)
        )
        said = [
            (p.states[k], t.start)
            for p in self.passages
            for k, t in enumerate(p.tokens)
            if is_content(t) and t.start not in self.frame_starts
        ]
        self.said_states = (
            np.stack([state for state, _ in said]) if said else np.zeros((0, 1), dtype=np.float32)
        )
        self.said_starts = [start for _, start in said]

    def says(self, token: Token) -> bool:
        """Whether a token is a content word of what a speaker says, not of the report."""
        return is_content(token) and token.start not in self.frame_starts


@dataclass
class Alignment:
    """A unit and the source region that says the same thing.

    ``tokens`` are the source tokens of the chosen sentences in order, ``region`` a
    (first, last + 1) slice of them, ``links[i]`` the position in ``tokens`` of the best
    source word for the unit's token ``i`` inside the region and ``sims[i]`` its similarity.
    """

    unit: Unit
    passage: Passage
    source: Source
    sentences: list[int]
    tokens: list[Token]
    region: tuple[int, int]
    links: list[int]
    sims: list[float]
    coverage: float
    similarity: float
    score: float
    word_sims: np.ndarray  # (unit tokens, tokens) similarity of every word pair

    @property
    def region_span(self) -> tuple[int, int]:
        first, last = self.region
        return self.tokens[first].start, self.tokens[last - 1].end

    def region_sentences(self) -> tuple[int, int]:
        """(first, last + 1) positions in ``tokens`` of the whole sentences the region
        lies in (a pair's other sentence only when the region reaches into it)."""
        first, last = self.region
        start = 0
        bounds = []
        for i in self.sentences:
            end = start + len(self.source.passages[i].tokens)
            if start < last and first < end:
                bounds.append((start, end))
            start = end
        return bounds[0][0], bounds[-1][1]

    def source_speaker(self) -> str | None:
        """The speaker of the source sentences the region lies in, when they agree."""
        start, end = self.region_span
        speakers = {
            sentence.speaker
            for sentence in (self.source.sentences[i] for i in self.sentences)
            if sentence.start < end and start < sentence.end
        }
        return speakers.pop() if len(speakers) == 1 else None

    def same_speaker(self) -> bool | None:
        """True or False when both sides say who speaks and the words decide, else None."""
        said_by = self.source_speaker()
        if not said_by or not self.unit.speaker:
            return None
        return same_person(article_person(self.unit), person(said_by))

    def linked(self, i: int) -> Token:
        return self.tokens[self.links[i]]


def _best_region(
    sims: np.ndarray, weights: np.ndarray, previous: tuple[int, int] | None = None
) -> tuple[int, int, float]:
    """(first, last + 1, score) of the source window maximising covered weight minus length;
    with the previous quote's (first, last + 1) there, windows reaching past it get the
    order bonus and pay for every word of it they take in again."""
    n = sims.shape[1]
    best = (0, n, -np.inf)
    reused = np.zeros(n + 1)
    if previous is not None:
        inside = np.zeros(n)
        inside[previous[0] : previous[1]] = 1.0
        reused[1:] = np.cumsum(inside)
    for a in range(n):
        cover = np.maximum.accumulate(sims[:, a:], axis=1)  # (unit words, windows from a)
        scores = weights @ cover - LENGTH_COST * np.arange(1, n - a + 1)
        if previous is not None:
            scores[max(0, previous[1] - a) :] += ORDER_BONUS
            scores -= REUSE_COST * (reused[a + 1 :] - reused[a])
        b = int(np.argmax(scores))
        if scores[b] > best[2]:
            best = (a, a + b + 1, float(scores[b]))
    return best


def _align_to(
    unit: Unit,
    passage: Passage,
    source: Source,
    chosen: list[int],
    previous: Alignment | None = None,
) -> Alignment | None:
    tokens = [t for i in chosen for t in source.passages[i].tokens]
    if not tokens:
        return None
    states = np.vstack([source.passages[i].states for i in chosen])
    content = np.array([1.0 if is_content(t) else 0.0 for t in passage.tokens])
    if content.sum() == 0:
        return None
    sims = passage.states @ states.T
    # a content word is rendered by a content word, not by "the" (function words' mid
    # layer states resemble everything), unless the two are one word ("Mai", "May")
    function = np.array([not is_content(t) for t in tokens])
    block = sims[np.ix_(content > 0, function)]
    sims[np.ix_(content > 0, function)] = np.where(
        block >= SAME_WORD, block, np.minimum(block, FLOOR)
    )
    for k, j in _figure_links(passage.tokens, tokens):
        sims[k, j] = max(sims[k, j], FIGURE_LINK)
    ties = (sims >= sims.max(axis=1, keepdims=True) - TIE).sum(axis=1)
    weights = content / ties
    first, last, score = _best_region(
        np.maximum(sims - FLOOR, 0.0), weights, _order_start(unit, source, tokens, previous)
    )
    inside = sims[:, first:last]
    links = (first + inside.argmax(axis=1)).tolist()
    best = inside.max(axis=1)
    coverage = float((best * content).sum() / content.sum())
    similarity = float(np.mean([passage.vector @ source.vectors[i] for i in chosen]))
    return Alignment(
        unit,
        passage,
        source,
        chosen,
        tokens,
        (first, last),
        links,
        best.tolist(),
        coverage,
        similarity,
        score,
        sims,
    )


def _figure_links(unit: list[Token], tokens: list[Token]) -> list[tuple[int, int]]:
    """(unit position, source position) of the first words of figures of one value."""
    written = figures(unit)
    if not written:
        return []
    said = figures(tokens)
    return [(a.first, b.first) for a in written for b in said if same_figure(a, b)]


def _follows(unit: Unit, source: Source, previous: Alignment | None) -> bool:
    """Whether the unit is the next quote of the speaker whose previous quote was aligned
    in this source, close enough to be read in order."""
    return (
        previous is not None
        and previous.source is source
        and previous.unit.speaker == unit.speaker
        and unit.start - previous.unit.end <= ORDER_REACH
    )


def _order_start(
    unit: Unit, source: Source, tokens: list[Token], previous: Alignment | None
) -> tuple[int, int] | None:
    """The (first, last + 1) positions in ``tokens`` of the previous quote's region, when
    that quote is near and of the same speaker."""
    if previous is None or not _follows(unit, source, previous):
        return None
    start, end = previous.region_span
    inside = [k for k, t in enumerate(tokens) if t.start >= start and t.end <= end]
    return (inside[0], inside[-1] + 1) if inside else None


def rendered(alignment: Alignment, first: int, last: int) -> set[int]:
    """Positions in ``tokens[first:last]`` that the unit renders: each the mutual best
    partner (among all the chosen sentences' words) of a content word of the unit, at
    least ``LINKED`` similar."""
    passage, tokens = alignment.passage, alignment.tokens
    rows = [i for i, t in enumerate(passage.tokens) if is_content(t)]
    columns = [j for j, t in enumerate(tokens) if is_content(t)]
    partners = mutual_partners(alignment.word_sims, rows, columns)
    return {j for j, sim in partners.values() if sim >= LINKED and first <= j < last}


def renders_clause(alignment: Alignment, first: int, last: int) -> bool:
    """Whether the unit renders at least half of the content words in ``tokens[first:last]``
    (a condition or a rebuttal retold in other words)."""
    content = [j for j in range(first, last) if is_content(alignment.tokens[j])]
    return len(rendered(alignment, first, last)) * 2 >= max(1, len(content))


def _draws_on_both(alignment: Alignment) -> bool:
    """Whether a region over two sentences is one person's words and, for sentences apart,
    renders words of both: a single similar word on one side ("supplies" for
    "Flugzeuge") is noise, not a second passage."""
    first_sentence, second = (alignment.source.sentences[i] for i in alignment.sentences)
    speakers = (first_sentence.speaker, second.speaker)
    if all(speakers) and same_person(*(person(s) for s in speakers)) is False:
        return False
    if second.index == first_sentence.index + 1:
        return True
    split = len(alignment.source.passages[alignment.sentences[0]].tokens)
    first, last = alignment.region
    if not first < split < last:
        return True
    return min(len(rendered(alignment, first, split)), len(rendered(alignment, split, last))) >= (
        PAIR_LINKS
    )


def _completes(pair: Alignment, single: Alignment, best: Alignment) -> bool:
    """Whether ``pair`` is ``single``'s sentence and the next one, its region taking in the
    single region and reaching on into the next sentence, covering the unit
    ``PAIR_COVER`` better than the best so far at a score at most ``PAIR_SLACK`` lower, with
    words rendered in each sentence ("Mond" for "Moon": the gain in coverage is the rest
    of the evidence)."""
    first, second = pair.sentences
    if second != first + 1 or first not in single.sentences:
        return False
    if pair.coverage < best.coverage + PAIR_COVER or pair.score < best.score - PAIR_SLACK:
        return False
    split = len(pair.source.passages[first].tokens)
    lo, hi = pair.region
    if lo > single.region[0] or hi <= split:
        return False  # no extension of the single sentence's region into the next
    return bool(rendered(pair, lo, split)) and bool(rendered(pair, split, hi))


def align_unit(
    unit: Unit, passage: Passage, source: Source, previous: Alignment | None = None
) -> Alignment | None:
    """The best alignment of one unit within one source (one sentence or two)."""
    if not source.passages:
        return None
    cosines = source.vectors @ passage.vector
    top = [int(i) for i in np.argsort(-cosines)[:CANDIDATES]]
    if previous is not None and _follows(unit, source, previous):
        # the next quote of a speaker often renders the words right after the last one
        last = previous.sentences[-1]
        top += [i for i in (last, last + 1) if i < len(source.passages) and i not in top]
    singles = [a for i in top if (a := _align_to(unit, passage, source, [i], previous)) is not None]
    if not singles:
        return None
    best = max(singles, key=lambda a: a.score)
    pairs = {tuple(sorted(p)) for p in combinations(top, 2)}
    pairs |= {(i, i + 1) for i in top if i + 1 < len(source.passages)}
    considered = list(singles)
    single = best
    for pair in sorted(pairs):
        aligned = _align_to(unit, passage, source, list(pair), previous)
        if aligned is not None and _draws_on_both(aligned):
            considered.append(aligned)
            if aligned.score > best.score + PAIR_GAIN or _completes(aligned, single, best):
                best = aligned
    if best.same_speaker() is False:
        own = [
            a
            for a in considered
            if a.same_speaker() and a.coverage >= best.coverage - SPEAKER_MARGIN
        ]
        if own:
            best = max(own, key=lambda a: a.score)
    if best.region[0] >= best.region[1]:
        return None
    return best
