"""e5 paragraph (and sentence) embeddings shared by the techniques and genre/frames analyzers.

Embedding is the main cost of those analyzers, so each paragraph is embedded once per
process: a small memo keyed by text lets the second analyzer reuse the first one's work.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np

EMBED_DIM = 384
_MEMO_SIZE = 4096
_memo: OrderedDict[str, np.ndarray] = OrderedDict()
_model: Any = None


def _embedder() -> Any:
    global _model
    if _model is None:
        from newsaudit.encoder.embedder import Embedder

        _model = Embedder(threads=int(os.environ.get("NEWSAUDIT_THREADS", "1")))
    return _model


def _key(text: str) -> str:
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()


def paragraph_embeddings(texts: Sequence[str], batch: int = 256) -> np.ndarray:
    """(n, 384) L2-normalised passage embeddings; empty texts get zero vectors."""
    out = np.zeros((len(texts), EMBED_DIM), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    for row, text in enumerate(texts):
        if not text.strip():
            continue
        key = _key(text)
        if key in _memo:
            _memo.move_to_end(key)
            out[row] = _memo[key]
        else:
            todo.setdefault(key, []).append(row)
    keys = list(todo)
    for i in range(0, len(keys), batch):
        chunk = keys[i : i + batch]
        vectors = _embedder().embed([texts[todo[k][0]].strip() for k in chunk])
        for key, vector in zip(chunk, np.asarray(vectors, dtype=np.float32), strict=True):
            out[todo[key]] = vector
            _memo[key] = vector
            if len(_memo) > _MEMO_SIZE:
                _memo.popitem(last=False)
    return out


def sentence_embeddings(sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """The e5 vectors of every paragraph's sentences and the paragraph row each belongs
    to; a one-sentence paragraph reuses its paragraph vector through the memo."""
    flat = [s for group in sentences for s in group]
    owner = np.array([row for row, group in enumerate(sentences) for _ in group], dtype=np.int64)
    return paragraph_embeddings(flat), owner
