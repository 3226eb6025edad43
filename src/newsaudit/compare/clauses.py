"""Clauses of a token sequence, and the word links that say which clause renders which.

WHY clauses: a statement is retold clause by clause. Where an aligned region starts and
ends, whether a condition was rendered, and whether the article added a clause of its own
are all questions about whole clauses, not about where a quote tagger happened to start.

WHY mutual links: mid-layer word states make words of one topic similar ("Spieler" and
"gespielt" 0.75), so a word's best partner alone says little. A link counts when each word
is the other's best partner: an added clause's words then find none, because the source
words they resemble are already the partners of the words that render them.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np

from newsaudit.compare import lexicon as lx
from newsaudit.compare.text import Token

# Characters between two tokens that end a clause; a longer gap ends one too.
CLAUSE_BREAK = re.compile(r"[,;:.!?–—()\"“”„«»]|\s-\s")
MAX_GAP = 40
# Words that open a clause of their own without a comma before them.
OPENERS = (
    lx.words(
        "und sowie weil da denn aber sondern obwohl damit wobei oder zudem außerdem "
        "and because but while although whereas which"
    )
    | lx.CONDITIONS
)
# A mutual link this similar shows that an article word renders that source word.
LINKED = 0.6


def broken(text: str, a: Token, b: Token) -> bool:
    """Whether a clause ends between two neighbouring tokens."""
    return bool(CLAUSE_BREAK.search(text[a.end : b.start])) or b.start - a.end > MAX_GAP


def clauses(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """(first, last + 1) token positions of each clause, cut at punctuation, long gaps and
    clause-opening words."""
    cuts = [0]
    for i in range(1, len(tokens)):
        if broken(text, tokens[i - 1], tokens[i]) or tokens[i].lower in OPENERS:
            cuts.append(i)
    cuts.append(len(tokens))
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def mutual_partners(
    sims: np.ndarray, rows: Collection[int], columns: Collection[int]
) -> dict[int, tuple[int, float]]:
    """Row -> (column, similarity) for each row and column, among those given, that are
    each other's most similar partner."""
    rows, columns = sorted(rows), sorted(columns)
    if not rows or not columns:
        return {}
    block = sims[np.ix_(rows, columns)]
    best_column = block.argmax(axis=1)
    best_row = block.argmax(axis=0)
    return {
        rows[r]: (columns[c], float(block[r, c]))
        for r, c in enumerate(best_column.tolist())
        if best_row[c] == r
    }
