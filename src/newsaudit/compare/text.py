"""Tokens with offsets, and passages encoded on their own with one vector per token.

A passage's text is handed to the encoder with every character that is not part of a
token blanked out (same length, so offsets hold): quote marks and punctuation then never
become word pieces of their own, and each whitespace-separated chunk the encoder sees is
exactly one token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsaudit.compare.encoding import encode

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:[-'’]\w+)*")
# Encoder layers 8-10 (the third layer group): their word states align translations
# ("Flugzeuge"/"aircraft" 0.73, unrelated words about 0.45) better than the last layers,
# which keep the topic more than the word.
LAYER_GROUP = 2


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


@dataclass
class Passage:
    """A stretch of a text, encoded alone: e5's pooled vector and a unit vector per token."""

    start: int
    end: int
    tokens: list[Token]
    vector: np.ndarray
    states: np.ndarray  # (len(tokens), hidden) float32, L2-normalised rows

    @property
    def lowers(self) -> list[str]:
        return [t.lower for t in self.tokens]


def _masked(text: str, tokens: Sequence[Token], start: int, end: int) -> str:
    chars = [" "] * (end - start)
    for token in tokens:
        chars[token.start - start : token.end - start] = token.text
    return "".join(chars)


def encode_passages(text: str, spans: Sequence[tuple[int, int]]) -> list[Passage]:
    """Encode each (start, end) stretch of ``text``; empty stretches get zero vectors."""
    token_lists = [tokenize(text, s, e) for s, e in spans]
    masked = [_masked(text, toks, s, e) for toks, (s, e) in zip(token_lists, spans, strict=True)]
    encoded = encode(masked)
    passages = []
    for (start, end), tokens, enc in zip(spans, token_lists, encoded, strict=True):
        by_chunk: dict[int, list[int]] = {}
        for i, (a, _) in enumerate(enc.spans.tolist()):
            by_chunk.setdefault(a, []).append(i)
        hidden = enc.states.shape[2]
        states = np.zeros((len(tokens), hidden), dtype=np.float32)
        for k, token in enumerate(tokens):
            rows = by_chunk.get(token.start - start)
            if rows:
                states[k] = enc.states[rows, LAYER_GROUP].astype(np.float32).mean(axis=0)
        norms = np.linalg.norm(states, axis=1, keepdims=True)
        states /= np.where(norms > 0, norms, 1.0)
        passages.append(Passage(start, end, tokens, enc.vector.astype(np.float32), states))
    return passages
