"""What every change detector reads and returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsaudit.compare.align import Alignment, is_content
from newsaudit.compare.clauses import LINKED, broken, mutual_partners
from newsaudit.compare.text import Token, tokenize


@dataclass(frozen=True)
class Change:
    """A finding before its offsets are mapped to the texts as given."""

    kind: str
    article: tuple[int, int]
    source: tuple[int, int]
    explanation: str
    alignment: Alignment


@dataclass
class ArticleView:
    """The article text with the spans that are its speakers' words, not the outlet's,
    and which unit renders which source word best: (source index, word start) -> (link
    similarity, start of the unit)."""

    text: str
    messages: list[tuple[int, int]] = field(default_factory=list)
    renderings: dict[tuple[int, int], tuple[float, int]] = field(default_factory=dict)
    # the same with the sentences outside every unit: where the outlet retells a source
    # sentence in its own words (a condition one sentence on)
    retold_by: dict[tuple[int, int], tuple[float, int]] = field(default_factory=dict)

    def rendered_by_other(self, alignment: Alignment, start: int, sim: float) -> bool:
        """Whether another unit renders the source word at ``start`` more closely than a
        link of ``sim``: the word is that unit's, not evidence for this one."""
        best = self.renderings.get((alignment.source.index, start))
        return best is not None and best[1] != alignment.unit.start and best[0] > sim

    def retold(self, alignment: Alignment, tokens: list[Token]) -> bool:
        """Whether units of the article render at least half of the source's words among
        ``tokens`` (what one quote leaves out, the next may say)."""
        said = [t for t in tokens if alignment.source.says(t)]
        kept = [t for t in said if (alignment.source.index, t.start) in self.renderings]
        return bool(said) and 2 * len(kept) >= len(said)

    def rendered_in(
        self, alignment: Alignment, tokens: list[Token], near: list[Token], outlet: bool = False
    ) -> bool:
        """Whether units starting in the article's sentence ``near`` (with ``outlet``, also
        that sentence when it is the outlet's own, `retold_by`) render at least half of the
        source's words among ``tokens``: a hedge or a condition kept one sentence on, in
        other words."""
        best = self.retold_by if outlet else self.renderings
        said = [t for t in tokens if alignment.source.says(t)]
        kept = [
            t
            for t in said
            if near[0].start
            <= best.get((alignment.source.index, t.start), (0.0, -1))[1]
            < near[-1].end
        ]
        return bool(said) and 2 * len(kept) >= len(said)

    def goes_on(self, alignment: Alignment, tokens: list[Token]) -> bool:
        """Whether a unit of the article's next sentence renders two or more of the source's
        words among ``tokens``: the article goes on with what the speaker goes on to say
        ("..., sagte sie. Sie erwarte, dass die Kosten sinken; ..."), in its own words."""
        start = alignment.unit.sentence_end
        ends = [i for i in (self.text.find(c, start + 1) for c in ".!?") if i >= 0]
        end = min(ends, default=len(self.text))
        units = [
            self.renderings.get((alignment.source.index, t.start), (0.0, -1))[1]
            for t in tokens
            if alignment.source.says(t)
        ]
        return sum(start <= u < end for u in units) >= 2

    def sentence_tokens(self, alignment: Alignment) -> list[Token]:
        unit = alignment.unit
        return tokenize(self.text, unit.sentence_start, unit.sentence_end)

    def outlet_tokens(self, alignment: Alignment) -> list[Token]:
        """Tokens of the unit's sentences outside every quoted message: the outlet's words."""
        return [
            t
            for t in self.sentence_tokens(alignment)
            if not any(s <= t.start and t.end <= e for s, e in self.messages)
        ]


def next_sentence(alignment: Alignment, j: int) -> list[Token]:
    """Tokens of the source sentence right after the chosen sentence holding ``tokens[j]``,
    when the same speaker (or no one named) says it. After a sentence of a named speaker,
    one the source gives no speaker is the report's ("... in our locker room,' said Jenna
    Park. Financial details were not disclosed."), not the speaker going on."""
    source = alignment.source
    start = 0
    for i in alignment.sentences:
        start += len(source.passages[i].tokens)
        if j < start:
            break
    here = source.sentences[i]
    position = source.sentences.index(here)
    if position + 1 >= len(source.sentences):
        return []
    after = source.sentences[position + 1]
    if after.index != here.index + 1 or after.speaker != here.speaker:
        return []
    return source.passages[position + 1].tokens


# Content words of a sentence between two chosen ones the unit must render, at least
# ``LINKED`` similar, for that sentence to be read with them.
SKIPPED_LINKS = 2


def skipped_tokens(alignment: Alignment) -> list[Token]:
    """Tokens of the source sentences between two chosen sentences apart, of their
    speakers, that the unit renders words of: a unit retelling three sentences is aligned
    with two of them ("12 Hektar ...", "Spaziergänger sollten ..."), and what the one
    between says ("Nein, eine generelle Sperrung ist nicht geplant") is still rendered."""
    if len(alignment.sentences) != 2:
        return []
    source = alignment.source
    a, b = alignment.sentences
    split = len(source.passages[a].tokens)
    first, last = alignment.region
    if b - a < 2 or not first < split < last:
        return []
    speakers = {source.sentences[i].speaker for i in (a, b)}
    rows = [k for k, t in enumerate(alignment.passage.tokens) if is_content(t)]
    found: list[Token] = []
    for i in range(a + 1, b):
        passage = source.passages[i]
        if source.sentences[i].speaker not in speakers:
            continue
        columns = [j for j, t in enumerate(passage.tokens) if is_content(t)]
        sims = alignment.passage.states @ passage.states.T
        linked = [s for _, s in mutual_partners(sims, rows, columns).values() if s >= LINKED]
        if len(linked) >= SKIPPED_LINKS:
            found += passage.tokens
    return found


def renderings(alignments: list[Alignment]) -> dict[tuple[int, int], tuple[float, int]]:
    """(source index, word start) -> (similarity, unit start) of the unit whose content
    word is the closest mutual partner of that source word, of those linked at least
    ``LINKED``."""
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for alignment in alignments:
        rows = [k for k, t in enumerate(alignment.passage.tokens) if is_content(t)]
        columns = [j for j, t in enumerate(alignment.tokens) if is_content(t)]
        for j, sim in mutual_partners(alignment.word_sims, rows, columns).values():
            key = (alignment.source.index, alignment.tokens[j].start)
            if sim >= LINKED and sim > best.get(key, (0.0, -1))[0]:
                best[key] = (sim, alignment.unit.start)
    return best


def clause_region(alignment: Alignment) -> tuple[int, int]:
    """The aligned region widened to whole clauses of the source: a hedge or "not" right
    before the first aligned word still belongs to what was said."""
    tokens, text = alignment.tokens, alignment.source.text
    first, last = alignment.region
    while first > 0 and not broken(text, tokens[first - 1], tokens[first]):
        first -= 1
    while last < len(tokens) and not broken(text, tokens[last - 1], tokens[last]):
        last += 1
    return first, last


# Words that open a clause which another governs ("Es ist möglich, | dass ...").
COMPLEMENTIZERS = frozenset("dass daß ob that whether".split())


def governed_region(alignment: Alignment) -> tuple[int, int]:
    """The clause region, with the clause that governs it when it is a "dass"/"that"
    clause: "it is possible" belongs to "that we close the pool"."""
    tokens, text = alignment.tokens, alignment.source.text
    first, last = clause_region(alignment)
    if first > 0 and tokens[first].lower in COMPLEMENTIZERS:
        first -= 1
        while first > 0 and not broken(text, tokens[first - 1], tokens[first]):
            first -= 1
    return first, last


def token_span(tokens: list[Token], first: int, last: int) -> tuple[int, int]:
    return tokens[first].start, tokens[last - 1].end


def quoted(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in dict.fromkeys(words))


def german(words: list[str]) -> str:
    return ", ".join(f"„{w}“" for w in dict.fromkeys(words))
