"""The one place where compare calls the encoder.

WHY one function: the shared, batched encoder will replace this body; everything else in
the package only sees vectors per text and per word.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

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
