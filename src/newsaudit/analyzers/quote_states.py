"""e5 context for the quote tagger's tokens, from the same paragraph pass every analyzer reads.

The tagger reads each token's e5 state (the mean over its word's pieces of all four layer
groups) through a projection it learnt (``QuoteTagger.project``). In the pipeline the
projection is a piece reader of the Context's shared paragraph encodings, so quotes add no
encoder pass of their own. SpkAtt's files come tokenised, without paragraphs: for training
and ``predict quotes`` their sentences are joined into paragraph-sized texts as news prints
them (no space before a comma, inside quotation marks ...) and encoded alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from newsaudit.analyzers.base import Context

# A paragraph's (pieces, groups, hidden) e5 states -> (pieces, d) features per piece.
Projection = Callable[[np.ndarray], np.ndarray]

# Tokens written without a space before them, and those without a space after them.
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%“”’»…") | {"'s", "’s"}
_NO_SPACE_AFTER = frozenset("„«‚([{")
# SpkAtt sentences joined into one text until it has this many tokens (a news paragraph).
PARAGRAPH_TOKENS = 90


def token_states(
    piece_values: np.ndarray, piece_spans: np.ndarray, token_spans: Sequence[tuple[int, int]]
) -> np.ndarray:
    """Per token the mean of ``piece_values`` over the pieces of the whitespace word that
    holds it (an e5 piece's span is its word's); zeros for a token outside every word."""
    out = np.zeros((len(token_spans), piece_values.shape[1]), dtype=np.float32)
    if len(piece_values) == 0 or not len(token_spans):
        return out
    starts = piece_spans[:, 0]
    first = np.flatnonzero(np.r_[True, starts[1:] != starts[:-1]])
    sums = np.add.reduceat(piece_values.astype(np.float32), first, axis=0)
    means = sums / np.diff(np.r_[first, len(starts)])[:, None]
    word_starts, word_ends = starts[first], piece_spans[first, 1]
    begin = np.array([a for a, _ in token_spans])
    word = np.searchsorted(word_starts, begin, side="right") - 1
    inside = (word >= 0) & (begin < word_ends[np.maximum(word, 0)])
    out[inside] = means[word[inside]]
    return out


def joined(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The tokens as printed text, with each token's character span in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    at, glue, open_double = 0, True, False
    for token in tokens:
        closes = token in _NO_SPACE_BEFORE or (token == '"' and open_double)
        if not glue and not closes:
            parts.append(" ")
            at += 1
        spans.append((at, at + len(token)))
        parts.append(token)
        at += len(token)
        opens = token in _NO_SPACE_AFTER or (token == '"' and not open_double)
        if token == '"':
            open_double = not open_double
        glue = opens
    return "".join(parts), spans


def paragraphs(sentences: Sequence[Sequence[str]]) -> Iterator[tuple[list[int], str, list]]:
    """Consecutive sentences grouped into paragraph-sized texts: (sentence numbers, text,
    each sentence's token spans in the text)."""
    group: list[int] = []
    for s in range(len(sentences)):
        group.append(s)
        if sum(len(sentences[g]) for g in group) >= PARAGRAPH_TOKENS or s == len(sentences) - 1:
            text, spans = joined([t for g in group for t in sentences[g]])
            bounds = np.cumsum([0, *(len(sentences[g]) for g in group)])
            yield group, text, [spans[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
            group = []


def sentence_states(
    sentences: Sequence[Sequence[str]], project: Projection, dims: int
) -> list[np.ndarray]:
    """Per sentence an (n_tokens, dims) array of the tokens' projected e5 states, from
    paragraph-sized texts encoded alone (for pre-tokenised benchmark files)."""
    from newsaudit.analyzers.embeddings import paragraph_encodings

    out = [np.zeros((len(s), dims), np.float32) for s in sentences]
    groups = list(paragraphs(sentences))
    for (numbers, _, spans), encoded in zip(
        groups, paragraph_encodings([text for _, text, _ in groups]), strict=True
    ):
        if encoded is None:
            continue
        pieces = project(encoded.states)
        for s, token_spans in zip(numbers, spans, strict=True):
            out[s] = token_states(pieces, encoded.spans, token_spans)
    return out


def context_states(
    context: Context,
    spans: Sequence[Sequence[tuple[int, int]]],
    blocks: Sequence[int],
    name: str,
    project: Projection,
    dims: int,
) -> list[np.ndarray]:
    """Per sentence (its tokens' character ``spans``, in the paragraph ``blocks``) the
    tokens' projected e5 states, read from the Context's shared paragraph encodings; zeros
    for a sentence outside every analysable paragraph (the tag line)."""
    document = context.document
    by_index = {b.index: b for b in document.analysable_blocks}
    out = []
    for token_spans, block_index in zip(spans, blocks, strict=True):
        block = by_index.get(block_index)
        row = context.encodings.row(block_index) if block is not None else None
        encoding = context.encodings[row] if row is not None else None
        if block is None or row is None or encoding is None:
            out.append(np.zeros((len(token_spans), dims), np.float32))
            continue
        pieces = context.encodings.read(row, name, project)
        local = [(a - block.start, b - block.start) for a, b in token_spans]
        out.append(token_states(pieces, encoding.spans, local))
    return out
