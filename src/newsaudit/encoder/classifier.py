"""Text classification with fine-tuned e5 layers run by ONNX Runtime (one label per text).

The graph pools the pieces' final states by their mean, as e5 does, then applies the head.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newsaudit.encoder.pieces import WordPieces
from newsaudit.encoder.weights import read_e5, word_table

MAX_TEXT_PIECES = 128
BATCH_PIECES = 4096
MODEL_FILE = "classifier.onnx"
PREFIX = "query:"


def text_ids(text: str, pieces: WordPieces, limit: int = MAX_TEXT_PIECES) -> list[int]:
    """<s> "query:" words </s>, cut to `limit` pieces (sentences rarely come near it)."""
    voc = pieces.vocabulary
    ids = [voc.bos]
    for word in (PREFIX, *text.split()):
        ids.extend(pieces.segment(word))
        if len(ids) >= limit - 1:
            break
    return [*ids[: limit - 1], voc.eos]


class TextClassifier:
    """Class probabilities for short texts (sentences)."""

    def __init__(self, model_dir: Path, threads: int = 1) -> None:
        import onnxruntime as ort

        meta = json.loads((model_dir / "classifier.json").read_text(encoding="utf-8"))
        self.labels: list[str] = meta["labels"]
        self.threshold: float = float(meta.get("threshold", 0.5))
        self.version: str = meta["version"]
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(model_dir / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )
        self.pieces = WordPieces(read_e5(with_layers=False).vocabulary)
        self.words = word_table()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Softmax over the labels, one row per text, in input order."""
        rows = [text_ids(t, self.pieces) for t in texts]
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        out = np.zeros((len(rows), len(self.labels)), dtype=np.float32)
        i = 0
        while i < len(order):
            j = i + 1
            while j < len(order) and (j - i + 1) * len(rows[order[j]]) <= BATCH_PIECES:
                j += 1
            chunk = order[i:j]
            width = len(rows[chunk[-1]])
            ids = np.full((len(chunk), width), self.pieces.vocabulary.pad, dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=bool)
            for r, n in enumerate(chunk):
                ids[r, : len(rows[n])] = rows[n]
                mask[r, : len(rows[n])] = True
            (logits,) = self.session.run(None, {"emb": self.words.rows(ids), "mask": mask})
            e = np.exp(logits - logits.max(-1, keepdims=True))
            out[chunk] = e / e.sum(-1, keepdims=True)
            i = j
        return out
