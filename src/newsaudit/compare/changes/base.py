"""What every change detector reads and returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsaudit.compare.align import Alignment
from newsaudit.compare.clauses import broken
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
    """The article text with the spans that are its speakers' words, not the outlet's."""

    text: str
    messages: list[tuple[int, int]] = field(default_factory=list)

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
