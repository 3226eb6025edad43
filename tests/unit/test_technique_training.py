"""Choices made by the persuasion model's training code, on hand-made scores."""

from __future__ import annotations

import numpy as np

from newsaudit.train.techniques import (
    STYLE_C,
    _genre_head,
    choose_style,
    macro_f1_arrays,
    style_head,
)


def test_style_head_folds_the_standardisation_into_its_weights() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal([5.0, 0.2, 40.0], [2.0, 0.05, 9.0], size=(60, 3)).astype(np.float32)
    x[:, 1] = 0.2  # a constant column must not divide by zero
    y = (x[:, 0] > 5).astype(int) + (x[:, 2] > 45).astype(int)
    head = style_head(x, y, 3, c=1.0)
    scale = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    reference = _genre_head((x - x.mean(axis=0)) / scale, y, 3, 1.0)
    expected = reference.decision((x - x.mean(axis=0)) / scale)
    np.testing.assert_allclose(head.decision(x), expected, atol=0.02)


def test_choose_style_takes_the_style_head_where_it_alone_separates_the_genres() -> None:
    y = np.array([0] * 8 + [1] * 4 + [2] * 3)
    base = np.zeros((len(y), 3), dtype=np.float32)
    base[:, 0] = 1.0
    style = {c: np.eye(3, dtype=np.float32)[y] * 4.0 for c in STYLE_C}
    assert macro_f1_arrays(y, base.argmax(axis=1), 3) < 0.4
    _, weight = choose_style(y, base, style, 3)
    assert weight > 0
    assert (
        macro_f1_arrays(y, ((1 - weight) * base + weight * style[STYLE_C[0]]).argmax(1), 3) == 1.0
    )


def test_choose_style_keeps_the_base_when_style_only_adds_noise() -> None:
    y = np.array([0, 1, 2] * 5)
    base = np.eye(3, dtype=np.float32)[y]
    style = {c: np.eye(3, dtype=np.float32)[(y + 1) % 3] * 10 for c in STYLE_C}
    assert choose_style(y, base, style, 3)[1] == 0.0
