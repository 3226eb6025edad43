"""The persuasion model's numpy parts: the attention head and word-level evidence."""

from __future__ import annotations

import numpy as np

from newsaudit.analyzers.technique_model import (
    AttentionHead,
    article_vector,
    sentence_scores,
    word_scores,
)
from newsaudit.analyzers.techniques import evidence_cues
from newsaudit.encoder.embedder import Encoded


def _head(d: int = 4) -> AttentionHead:
    """One label that reads the first state dimension, through attention only."""
    key = np.zeros((d, 1), dtype=np.float32)
    key[0, 0] = 5.0
    values = np.zeros((1, d), dtype=np.float32)
    values[0, 0] = 1.0
    token = np.zeros((d, 1), dtype=np.float32)
    token[0, 0] = 2.0
    return AttentionHead(
        norm_weight=np.ones(d, np.float32),
        norm_bias=np.zeros(d, np.float32),
        key=key,
        key_bias=np.zeros(1, np.float32),
        queries=np.full((1, 1), 10.0, np.float32),
        values=values,
        mean=np.zeros((d, 1), np.float32),
        bias=np.zeros(1, np.float32),
        token=token,
        token_bias=np.zeros(1, np.float32),
    )


def test_attention_reads_the_piece_that_stands_out_however_long_the_paragraph() -> None:
    quiet = np.zeros((1, 2, 2), dtype=np.float16)
    quiet[0, 0] = [0.0, 1.0]
    loud = np.array([[[1.0, 0.0], [0.0, 0.0]]], dtype=np.float16)
    head = _head()
    short = np.concatenate([loud, quiet])
    long = np.concatenate([loud, *[quiet] * 40])
    logits_short, pieces_short = head.forward(short)
    logits_long, _ = head.forward(long)
    assert logits_short[0] > 1.0 and abs(logits_long[0] - logits_short[0]) < 0.05
    assert pieces_short.shape == (2, 1) and pieces_short[0, 0] > pieces_short[1, 0]


def test_word_scores_take_the_best_piece_and_sentences_their_best_word() -> None:
    spans = np.array([[0, 4], [5, 9], [5, 9], [10, 14], [15, 19]])
    pieces = np.array([[0.1], [0.2], [0.9], [0.3], [0.5]], dtype=np.float32)
    words, scores = word_scores(pieces, spans + 100)
    assert words.tolist() == [[100, 104], [105, 109], [110, 114], [115, 119]]
    np.testing.assert_allclose(scores[:, 0], [0.1, 0.9, 0.3, 0.5])
    ranked = sentence_scores(words, scores, [(100, 110), (110, 120), (130, 140)])
    np.testing.assert_allclose(ranked[:, 0], [0.9, 0.5, 0.0])


def test_cues_are_the_sentences_best_words_without_stop_words_or_punctuation() -> None:
    text = "Die „Verbrecher“ lügen. Sonst nichts."
    words = np.array([[0, 3], [4, 16], [17, 23], [24, 29], [30, 37]])
    scores = np.array([0.99, 0.8, 0.6, 0.95, 0.1], dtype=np.float32)
    assert evidence_cues(text, words, scores, 0, 23, "de") == ["Verbrecher", "lügen"]


def test_article_vector_averages_one_view_over_paragraphs() -> None:
    states = np.zeros((2, 2, 384), dtype=np.float16)
    states[0, 1, 0] = states[1, 1, 1] = 1.0
    vector = np.zeros(384, np.float32)
    vector[2] = 1.0
    encoded = Encoded(vector, states, np.zeros((2, 2), np.int32))
    by_layers = article_vector([encoded, None], 1)
    np.testing.assert_allclose(by_layers[:3], [2**-0.5, 2**-0.5, 0], atol=1e-3)
    np.testing.assert_allclose(article_vector([encoded], None), vector)
    assert not article_vector([None], 0).any()


def test_linear_head_scores_sparse_features_bit_for_bit_as_the_whole_matrix_would() -> None:
    from scipy.sparse import csr_matrix, vstack
    from scipy.sparse import random as sparse_random

    from newsaudit.analyzers.technique_model import LinearHead

    rng = np.random.default_rng(3)
    coef = rng.normal(size=(500, 7)).astype(np.float16)
    head = LinearHead(coef, rng.normal(size=7).astype(np.float32))
    some = sparse_random(5, 500, density=0.05, format="csr", random_state=4)
    # the third paragraph has no known n-gram
    features = vstack([some[:2], csr_matrix((1, 500)), some[2:]]).tocsr()
    whole = np.asarray(features @ coef.astype(np.float32)) + head.intercept
    assert np.array_equal(head.decision(features), whole)
    assert head.decision(features).dtype == whole.dtype
    dense = features.toarray()[:1].astype(np.float32)
    assert np.array_equal(head.decision(dense), dense @ coef.astype(np.float32) + head.intercept)
