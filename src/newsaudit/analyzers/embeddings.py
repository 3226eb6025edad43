"""e5 encodings of an article's paragraphs, shared by every analyzer that reads them.

The :class:`ParagraphEncodings` of a document live on its ``Context``: each paragraph is
encoded once per document, when an analyzer first reads it, for the techniques, claims,
genre/frames and narratives analyzers alike (one encoder pass per paragraph).
WHY the piece states are not kept: they take about 3 KB a word piece, gigabytes for a 2 MB
text. Instead each analyzer that reads piece states registers a reader (its head over them:
the technique attention head, the check-worthiness head) before the first paragraph is
encoded; the readers run right after a paragraph's encoding and the states are dropped. What
stays is the passage embedding, each layer group's pooled state, the pieces' word spans and
the readers' outputs, about 100 bytes a piece.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from newsaudit.document import Document
    from newsaudit.encoder.embedder import Encoded

# What an analyzer reads of one paragraph's (pieces, groups, hidden) float16 piece states.
PieceReader = Callable[[np.ndarray], Any]

_model: Any = None


def _embedder() -> Any:
    global _model
    if _model is None:
        from newsaudit.encoder.embedder import Embedder

        _model = Embedder(threads=int(os.environ.get("NEWSAUDIT_THREADS", "1")))
    return _model


@dataclass(frozen=True)
class ParagraphEncoding:
    """What is kept of a paragraph's encoding: its passage embedding, each layer group's
    pooled state, the word span of each piece (offsets into the paragraph) and each
    registered reader's output, by reader name."""

    vector: np.ndarray  # (hidden,)
    groups: np.ndarray  # (len(LAYER_GROUPS), hidden)
    spans: np.ndarray  # (pieces, 2) int32
    reads: dict[str, Any]

    def pooled(self, group: int) -> np.ndarray:
        return self.groups[group]


class ParagraphEncodings(Sequence["ParagraphEncoding | None"]):
    """The encodings of a list of paragraphs (``None`` for an empty one), each made once, on
    first read, and passed through every registered reader."""

    def __init__(self, texts: Sequence[str], keys: Sequence[int] | None = None) -> None:
        self.texts = texts
        self._rows = {key: row for row, key in enumerate(keys or range(len(texts)))}
        self._readers: dict[str, PieceReader] = {}
        self._made: list[ParagraphEncoding | None] = [None] * len(texts)
        self._done = [False] * len(texts)

    @classmethod
    def of_document(cls, document: Document) -> ParagraphEncodings:
        """One row per analysable paragraph, in order; :meth:`row` maps a block index."""
        blocks = document.analysable_blocks
        return cls([document.text[b.start : b.end] for b in blocks], [b.index for b in blocks])

    def register(self, name: str, reader: PieceReader) -> None:
        """Run ``reader`` on each paragraph's piece states when it is encoded (register
        before the first read, or :meth:`read` encodes the paragraphs read before again)."""
        self._readers[name] = reader

    def row(self, block_index: int) -> int:
        return self._rows[block_index]

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[ParagraphEncoding | None]:
        return (self[row] for row in range(len(self)))

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if not self._done[row]:
            self._made[row] = self._encode(row)
            self._done[row] = True
        return self._made[row]

    def read(self, row: int, name: str, reader: PieceReader) -> Any:
        """The output of the reader ``name`` on the paragraph's piece states (``None`` for
        an empty paragraph). A reader not registered yet is registered now; a paragraph
        encoded before that is encoded again for it."""
        self._readers.setdefault(name, reader)
        made = self[row]
        if made is None:
            return None
        if name not in made.reads:
            made.reads[name] = reader(_embedder().encode(self.texts[row]).states)
        return made.reads[name]

    def _encode(self, row: int) -> ParagraphEncoding | None:
        text = self.texts[row]
        if not text.strip():
            return None
        encoded = _embedder().encode(text)
        groups = np.stack([encoded.pooled(g) for g in range(encoded.states.shape[1])])
        # One float32 copy of the states for every reader (each converted its own).
        states = encoded.states.astype(np.float32)
        reads = {name: reader(states) for name, reader in self._readers.items()}
        return ParagraphEncoding(encoded.vector, groups, encoded.spans, reads)


def paragraph_encodings(texts: Sequence[str]) -> Sequence[Encoded | None]:
    """Each text's full e5 encoding (piece states included), made each time it is read:
    for commands that read each paragraph once (``predict techniques``)."""
    return _FullEncodings(texts)


class _FullEncodings(Sequence["Encoded | None"]):
    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        text = self.texts[index]
        return _embedder().encode(text) if text.strip() else None


def sentence_encodings(texts: Sequence[str], prefix: str = "query") -> list[Encoded | None]:
    """e5's encoding of each text on its own, as e5 embeds a search query (its pooled vector
    and piece states), None for an empty text. Same process-wide model as the paragraph
    encodings."""
    model = _embedder()
    return [model.encode(t, prefix) if t.strip() else None for t in texts]


def sentence_vectors(texts: Sequence[str], prefix: str = "query") -> Any:
    """e5's pooled vector of each text on its own (:func:`sentence_encodings`): an
    ``(n, hidden)`` array, zeros for an empty text."""
    hidden = _embedder().words.hidden
    rows = [
        e.vector if e is not None else np.zeros(hidden, np.float32)
        for e in sentence_encodings(texts, prefix)
    ]
    return np.stack(rows) if rows else np.zeros((0, hidden), np.float32)
