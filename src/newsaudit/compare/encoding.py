"""The one place where compare calls the encoder.

WHY one function: the shared, batched encoder will replace this body; everything else in
the package only sees vectors per text and per word. ``static_vectors`` reads the same
model's input embedding table (no forward pass) to pick, in a long source, the sentences
worth encoding.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from newsaudit.encoder.embedder import Embedder, Encoded

# e5 is trained with "query: " on both sides of symmetric tasks (bitext, paraphrase).
PREFIX = "query"


@cache
def _embedder() -> Embedder:
    from newsaudit.encoder.embedder import Embedder

    return Embedder()


def encode(texts: Sequence[str]) -> list[Encoded]:
    """multilingual-e5-small over each text on its own: pooled vector and piece states."""
    embedder = _embedder()
    return [embedder.encode(text, PREFIX) for text in texts]


def static_vectors(texts: Sequence[str]) -> np.ndarray:
    """The mean input embedding of each text's word pieces: no context, but names, numbers
    and shared stems ("Russ", "Syri") meet across languages, at no encoder cost."""
    from newsaudit.encoder.pieces import word_pieces
    from newsaudit.encoder.weights import word_table

    pieces, table = word_pieces(), word_table()
    out = np.zeros((len(texts), table.hidden), dtype=np.float32)
    for row, text in enumerate(texts):
        ids = [i for word in text.split() for i in pieces.segment(word)]
        if ids:
            out[row] = table.rows(np.array([ids])).astype(np.float32)[0].mean(axis=0)
    return out
