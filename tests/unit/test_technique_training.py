"""Choices made by the persuasion model's training code, on hand-made scores."""

from __future__ import annotations

import numpy as np

from newsaudit.analyzers.technique_model import Mix, blend_scores, sentence_max
from newsaudit.train.semeval import Article, Paragraph
from newsaudit.train.techniques import (
    STYLE_C,
    _genre_head,
    choose_style,
    macro_f1_arrays,
    paragraph_rows,
    sentence_rows,
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


def test_sentence_max_gives_each_paragraph_its_best_sentence() -> None:
    scores = np.array([[0.2, 0.9], [0.7, 0.1], [0.4, 0.4]], dtype=np.float32)
    owner = np.array([0, 0, 2])
    out = sentence_max(scores, owner, 3)
    np.testing.assert_allclose(out, [[0.7, 0.9], [0.0, 0.0], [0.4, 0.4]])


def test_blend_scores_weights_each_head_and_zeroes_empty_paragraphs() -> None:
    text = np.full((2, 1), 0.2, dtype=np.float32)
    e5 = np.full((2, 1), 0.6, dtype=np.float32)
    sentence = np.full((2, 1), 1.0, dtype=np.float32)
    empty = np.array([False, True])
    out = blend_scores(text, e5, sentence, ["a", "a"], empty, Mix(e5=0.5, sentence=0.5))
    np.testing.assert_allclose(out[:, 0], [0.7, 0.0])
    assert blend_scores(text, e5, None, ["a", "a"], empty, Mix(sentence=1.0))[0, 0] == np.float32(
        0.2
    )


def test_sentence_rows_name_the_paragraph_row_of_each_sentence() -> None:
    text = "Erster Satz. Zweiter Satz.\nDritter Satz."
    article = Article(
        id="1",
        language="de",
        text=text,
        paragraphs=[
            Paragraph(number=1, start=0, end=26, text=text[:26], labels=["Doubt"]),
            Paragraph(number=2, start=27, end=40, text=text[27:], labels=[]),
        ],
        spans=[("Doubt", 13, 26)],
    )
    texts, y, owner = sentence_rows([article], ["Doubt"])
    assert texts == ["Erster Satz.", "Zweiter Satz.", "Dritter Satz."]
    assert owner.tolist() == [0, 0, 1]
    assert y[:, 0].tolist() == [0, 1, 0]
    assert len(paragraph_rows([article], ["Doubt"]).texts) == 2
