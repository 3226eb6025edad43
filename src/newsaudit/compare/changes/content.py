"""Content the source does not contain, and quotes cut so that their meaning changes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from newsaudit.compare import lexicon as lx
from newsaudit.compare.align import Alignment, is_content
from newsaudit.compare.changes.base import ArticleView, Change, clause_region, token_span
from newsaudit.compare.text import Token

# A clause of the unit whose words find partners in the source no better than this (mean
# best similarity, mid layers) while the rest of the unit finds them clearly better is
# content the source does not have.
UNSUPPORTED = 0.56
SUPPORTED = 0.68
MIN_CLAUSE_WORDS = 3
_CLAUSE_WORDS = lx.words(
    "und sowie weil da denn aber sondern obwohl damit wobei oder zudem außerdem and because "
    "but while although whereas"
)
_BREAK = re.compile(r"[,;:.!?–—]")


def clauses(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    cuts = [0]
    for i in range(1, len(tokens)):
        between = text[tokens[i - 1].end : tokens[i].start]
        if _BREAK.search(between) or tokens[i].lower in _CLAUSE_WORDS:
            cuts.append(i)
    cuts.append(len(tokens))
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _loaded(alignment: Alignment) -> Iterator[Change]:
    sentence_lowers = [t.lower for t in alignment.tokens]
    for i, token in enumerate(alignment.passage.tokens):
        stem = next((k for k in lx.LOADED if token.lower.startswith(k)), None)
        if stem is None:
            continue
        support = lx.LOADED[stem]
        if any(w.startswith(s) for w in sentence_lowers for s in support):
            continue
        first, last = clause_region(alignment)
        linked = alignment.linked(i).text
        yield Change(
            "content_added",
            (token.start, token.end),
            token_span(alignment.tokens, first, last),
            f"The article says „{token.text}“; the source says nothing of the kind here "
            f"(its nearest word is '{linked}').",
            alignment,
        )
        return


def _unsupported_clause(
    alignment: Alignment, article: ArticleView, everything: np.ndarray
) -> Iterator[Change]:
    tokens = alignment.passage.tokens
    best = (alignment.passage.states @ everything.T).max(axis=1) if len(everything) else None
    if best is None:
        return
    scored = []
    for a, b in clauses(tokens, article.text):
        content = [k for k in range(a, b) if is_content(tokens[k])]
        if content:
            scored.append((a, b, len(content), float(np.mean(best[content]))))
    for a, b, n, score in scored:
        rest = [s for x, y, m, s in scored if (x, y) != (a, b)]
        if n >= MIN_CLAUSE_WORDS and score < UNSUPPORTED and rest and max(rest) >= SUPPORTED:
            first, last = clause_region(alignment)
            words = " ".join(t.text for t in tokens[a:b])
            yield Change(
                "content_added",
                (tokens[a].start, tokens[b - 1].end),
                token_span(alignment.tokens, first, last),
                f"The source contains nothing that matches „{words}“; the article adds it to "
                "what the speaker said.",
                alignment,
            )
            return


def detect(alignment: Alignment, article: ArticleView, everything: np.ndarray) -> Iterator[Change]:
    found = list(_loaded(alignment))
    yield from found
    if not found:
        yield from _unsupported_clause(alignment, article, everything)
    yield from _cut(alignment, article)


def _cut(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    """Someone else's view, or a denial, around the region in the source, which the article
    drops so the words read as the speaker's own claim."""
    tokens = alignment.tokens
    lowers = [t.lower for t in tokens]
    first, last = alignment.region
    kept = [t.lower for t in article.sentence_tokens(alignment)]
    if lx.phrase_positions(kept, lx.FOREIGN_VIEW + lx.DENIED_FRAME) or any(
        w.startswith(("kritik", "gerücht", "behaupt")) for w in kept
    ):
        return
    frames = [
        (a, b)
        for a, b in lx.phrase_positions(lowers, lx.FOREIGN_VIEW + lx.DENIED_FRAME)
        if b <= first + 1 and _same_sentence(alignment, a, first)
    ]
    if frames:
        a, _ = max(frames)
        words = " ".join(t.text for t in tokens[a:first] if t.start < tokens[first].start)
        yield Change(
            "quote_cut",
            (alignment.unit.start, alignment.unit.end),
            token_span(tokens, a, last),
            f"In the source these words follow '{words}': the speaker reports or rejects a "
            "view, and the article presents it as his or her own claim.",
            alignment,
        )
        return
    after = [
        (a, b) for a, b in lx.phrase_positions(lowers, lx.REBUTTAL) if a >= last and a - last <= 3
    ]
    if after:
        a, b = min(after)
        end = b
        while end < len(tokens) and not any(
            c in alignment.source.text[tokens[end - 1].end : tokens[end].start] for c in ".!?"
        ):
            end += 1
        words = " ".join(t.text for t in tokens[a:end])
        yield Change(
            "quote_cut",
            (alignment.unit.start, alignment.unit.end),
            token_span(tokens, first, end),
            f"The article leaves out what the speaker says right after these words: '{words}'.",
            alignment,
        )


def _same_sentence(alignment: Alignment, a: int, b: int) -> bool:
    text = alignment.source.text
    return not any(c in text[alignment.tokens[a].end : alignment.tokens[b].start] for c in ".!?")
