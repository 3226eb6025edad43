"""A disk cache of e5 passage embeddings (the analyzers' ONNX embedder) keyed by text hash.

Embedding is the one expensive step of training (about 25 German paragraphs per second per
thread), so every vector is computed once and kept under the cache directory in chunks.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DEFAULT_CACHE = (
    Path(os.environ.get("NEWSAUDIT_CACHE", Path.home() / ".cache" / "newsaudit"))
    / "techniques"
    / "e5-onnx"
)


def text_key(text: str) -> str:
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, directory: Path = DEFAULT_CACHE, chunk: int = 100) -> None:
        self.directory = directory
        self.chunk = chunk
        self.vectors: dict[str, np.ndarray] = {}
        self._model = None
        self._n_files = 0
        self.reload()

    def reload(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        files = sorted(self.directory.glob("chunk-*.npz"))
        for path in files:
            data = np.load(path)
            for key, vector in zip(data["keys"], data["vectors"], strict=True):
                self.vectors[str(key)] = vector
        self._n_files = len(files)

    def _embedder(self):
        if self._model is None:
            from newsaudit.encoder.embedder import Embedder

            self._model = Embedder(threads=int(os.environ.get("NEWSAUDIT_THREADS", "1")))
        return self._model

    def missing(self, texts: Sequence[str]) -> list[str]:
        seen: set[str] = set()
        out = []
        for text in texts:
            key = text_key(text)
            if text.strip() and key not in self.vectors and key not in seen:
                seen.add(key)
                out.append(text)
        return out

    def compute(self, texts: Sequence[str], log_every: int = 500) -> None:
        todo = self.missing(texts)
        for i in range(0, len(todo), self.chunk):
            batch = todo[i : i + self.chunk]
            vectors = self._embedder().embed([t.strip() for t in batch]).astype(np.float32)
            keys = np.array([text_key(t) for t in batch])
            path = self.directory / f"chunk-{self._n_files:06d}-{keys[0][:8]}.npz"
            np.savez(path, keys=keys, vectors=vectors)
            self._n_files += 1
            for key, vector in zip(keys, vectors, strict=True):
                self.vectors[str(key)] = vector
            if (i // self.chunk) % max(1, log_every // self.chunk) == 0:
                print(f"embedded {i + len(batch)}/{len(todo)}", flush=True)

    def matrix(self, texts: Sequence[str], dim: int = 384) -> np.ndarray:
        """Cached vectors (zeros for empty texts); raises KeyError on a missing one."""
        out = np.zeros((len(texts), dim), dtype=np.float32)
        for row, text in enumerate(texts):
            if text.strip():
                out[row] = self.vectors[text_key(text)]
        return out
