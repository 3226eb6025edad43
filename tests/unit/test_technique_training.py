"""Choices made by the persuasion model's training code, on hand-made scores."""

from __future__ import annotations

import numpy as np

from newsaudit.train.techniques import genre_offsets, macro_f1_arrays


def test_genre_offsets_recover_minority_classes_hidden_behind_the_majority() -> None:
    y = np.array([0] * 8 + [1] * 4 + [2] * 3)
    logits = np.zeros((len(y), 3), dtype=np.float32)
    logits[:, 0] = 1.0
    logits[y == 1, 1] = 0.55
    logits[y == 2, 2] = 0.35
    assert macro_f1_arrays(y, logits.argmax(axis=1), 3) < 0.4
    offsets = genre_offsets(y, logits, 3)
    assert offsets[0] == 0.0
    assert macro_f1_arrays(y, (logits + offsets).argmax(axis=1), 3) == 1.0
