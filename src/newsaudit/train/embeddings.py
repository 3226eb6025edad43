"""A disk cache of e5 encodings (the analyzers' ONNX embedder) keyed by text hash.

Encoding is the one expensive step of training (about 30 German paragraphs per second per
thread), so every text is encoded once and kept under the cache directory in chunks of
plain ``.npy`` files that are memory-mapped on load: the piece states of all training
paragraphs take several GB.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newsaudit.encoder.embedder import Encoded

DEFAULT_CACHE = (
    Path(os.environ.get("NEWSAUDIT_CACHE", Path.home() / ".cache" / "newsaudit"))
    / "techniques"
    / "e5-states"
)
_ARRAYS = ("keys", "index", "vectors", "states", "spans")


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EncodingCache:
    def __init__(self, directory: Path = DEFAULT_CACHE, chunk: int = 500) -> None:
        self.directory = directory
        self.chunk = chunk
        self.where: dict[str, tuple[dict[str, np.ndarray], int]] = {}
        self._model = None
        self.reload()

    def reload(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for path in sorted(self.directory.glob("chunk-*")):
            self._load(path)

    def _load(self, path: Path) -> None:
        arrays = {n: np.load(path / f"{n}.npy", mmap_mode="r") for n in _ARRAYS}
        for row, key in enumerate(arrays["keys"]):
            self.where[str(key)] = (arrays, row)

    def _embedder(self):  # noqa: ANN202
        if self._model is None:
            from newsaudit.encoder.embedder import Embedder

            self._model = Embedder(threads=int(os.environ.get("NEWSAUDIT_THREADS", "1")))
        return self._model

    def missing(self, texts: Sequence[str]) -> list[str]:
        seen: set[str] = set()
        out = []
        for text in texts:
            key = text_key(text)
            if text.strip() and key not in self.where and key not in seen:
                seen.add(key)
                out.append(text)
        return out

    def compute(self, texts: Sequence[str], log_every: int = 2000) -> None:
        todo = self.missing(texts)
        for i in range(0, len(todo), self.chunk):
            batch = [self._embedder().encode(t) for t in todo[i : i + self.chunk]]
            keys = [text_key(t) for t in todo[i : i + self.chunk]]
            # named by content, written aside and renamed: runs sharing the cache never clash
            path = self.directory / f"chunk-{hashlib.sha1(''.join(keys).encode()).hexdigest()}"
            tmp = self.directory / f".tmp-{os.getpid()}-{path.name}"
            tmp.mkdir(parents=True, exist_ok=True)
            arrays = {
                "keys": np.array(keys),
                "index": np.cumsum([0] + [len(e.states) for e in batch]).astype(np.int64),
                "vectors": np.stack([e.vector for e in batch]).astype(np.float32),
                "states": np.concatenate([e.states for e in batch]),
                "spans": np.concatenate([e.spans for e in batch]),
            }
            for name, array in arrays.items():
                np.save(tmp / f"{name}.npy", array)
            try:
                tmp.rename(path)
            except OSError:  # another run wrote the same chunk first
                shutil.rmtree(tmp)
            self._load(path)
            if (i // self.chunk) % max(1, log_every // self.chunk) == 0:
                print(f"encoded {i + len(batch)}/{len(todo)}", flush=True)

    def encodings(self, texts: Sequence[str]) -> list[Encoded | None]:
        """The cached encodings (``None`` for empty texts), computing missing ones first."""
        missing = self.missing(texts)
        if missing:
            print(f"encoding {len(missing)} texts with e5 (cached for reruns)", flush=True)
            self.compute(missing)
        out: list[Encoded | None] = []
        for text in texts:
            if not text.strip():
                out.append(None)
                continue
            arrays, row = self.where[text_key(text)]
            start, end = int(arrays["index"][row]), int(arrays["index"][row + 1])
            out.append(
                Encoded(
                    vector=np.asarray(arrays["vectors"][row]),
                    states=arrays["states"][start:end],
                    spans=np.asarray(arrays["spans"][start:end]),
                )
            )
        return out
