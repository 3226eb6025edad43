"""Sentence classification on the shared e5 pass, run by ONNX Runtime (int8).

The packaged embedder graph's `trunk` output (e5's frozen layers 1..TRUNK_LAYER) feeds a
small graph that `train/encoder.py` exports: a fine-tuned copy of the layers above, mean
pooling and a linear head. So a classifier ships a few MB instead of a whole e5. Each
sentence runs alone: int8 activation scales are computed per input tensor, so batching
would make a sentence's label depend on its neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newsaudit.encoder.embedder import Embedder
from newsaudit.encoder.pieces import WordPieces
from newsaudit.encoder.runtime import onnx_session

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
        self.embedder = Embedder(threads=threads)

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n, classes) softmax probabilities."""
        out = []
        for text in texts:
            states = self.embedder.trunk(text_ids(text, self.embedder.pieces))[None]
            mask = np.ones(states.shape[:2], dtype=bool)
            (logits,) = self.session.run(None, {"emb": states, "mask": mask})
            z = np.exp(logits[0] - logits[0].max())
            out.append(z / z.sum())
        return np.array(out, dtype=np.float32).reshape(len(texts), -1)
