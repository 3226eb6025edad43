"""e5 encodings of paragraphs shared by the techniques and genre/frames analyzers.

Encoding is the main cost of those analyzers, so each paragraph is encoded once per
process: a small memo keyed by text lets the second analyzer reuse the first one's work.
Encodings are made when read, not all at once: a paragraph's piece states take about 3 KB a
word piece, so holding every paragraph of a 2 MB text would take gigabytes; an article of
up to ``_MEMO_SIZE`` paragraphs is still encoded exactly once.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from newsaudit.encoder.embedder import Encoded

_MEMO_SIZE = 256
_memo: OrderedDict[str, Encoded] = OrderedDict()
_model: Any = None


def _embedder() -> Any:
    global _model
    if _model is None:
        from newsaudit.encoder.embedder import Embedder

        _model = Embedder(threads=int(os.environ.get("NEWSAUDIT_THREADS", "1")))
    return _model


class ParagraphEncodings(Sequence["Encoded | None"]):
    """The e5 encoding of each text (``None`` for an empty one), made on first read; piece
    spans are offsets into the text as given."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return _encoding(self.texts[index])


def _encoding(text: str) -> Encoded | None:
    if not text.strip():
        return None
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()
    if key in _memo:
        _memo.move_to_end(key)
        return _memo[key]
    encoded = _memo[key] = _embedder().encode(text)
    if len(_memo) > _MEMO_SIZE:
        _memo.popitem(last=False)
    return encoded


def paragraph_encodings(texts: Sequence[str]) -> ParagraphEncodings:
    """The texts' encodings, made as they are read (see the module docstring)."""
    return ParagraphEncodings(texts)


@dataclass(frozen=True)
class PooledEncoding:
    """What an article view reads of a paragraph's encoding (its passage embedding and each
    layer group's pooled state), about 6 KB instead of 3 KB a word piece."""

    vector: np.ndarray
    groups: np.ndarray  # (len(LAYER_GROUPS), hidden)

    def pooled(self, group: int) -> np.ndarray:
        return self.groups[group]


def pooled_encodings(texts: Sequence[str]) -> list[PooledEncoding | None]:
    """Each text's pooled encoding, from one pass over the texts."""
    out: list[PooledEncoding | None] = []
    for encoded in paragraph_encodings(texts):
        if encoded is None:
            out.append(None)
            continue
        groups = np.stack([encoded.pooled(g) for g in range(encoded.states.shape[1])])
        out.append(PooledEncoding(vector=encoded.vector, groups=groups))
    return out


def sentence_vectors(texts: Sequence[str], prefix: str = "query") -> Any:
    """e5's pooled vector of each text on its own, as e5 embeds a search query: an
    ``(n, hidden)`` array, zeros for an empty text. Same process-wide model as
    :func:`paragraph_encodings`."""
    import numpy as np

    model = _embedder()
    rows = [
        model.encode(t, prefix).vector if t.strip() else np.zeros(model.words.hidden, np.float32)
        for t in texts
    ]
    return np.stack(rows) if rows else np.zeros((0, model.words.hidden), np.float32)
