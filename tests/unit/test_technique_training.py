"""Choices made by the persuasion model's training code, on hand-made scores and articles."""

from __future__ import annotations

import numpy as np
import pytest

from newsaudit.analyzers.technique_model import Mix, blend_scores
from newsaudit.benchmarks.metrics import macro_f1_arrays
from newsaudit.benchmarks.semeval import Article, Paragraph
from newsaudit.train.article_heads import (
    STYLE_C,
    ArticleData,
    FoldScores,
    choose,
    genre_head,
    style_head,
)
from newsaudit.train.attention import Example, HeadJob, piece_marks
from newsaudit.train.technique_folds import article_folds, cv_jobs, german_jobs, outer_parts
from newsaudit.train.technique_rows import paragraph_rows


def test_style_head_folds_the_standardisation_into_its_weights() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal([5.0, 0.2, 40.0], [2.0, 0.05, 9.0], size=(60, 3)).astype(np.float32)
    x[:, 1] = 0.2  # a constant column must not divide by zero
    y = (x[:, 0] > 5).astype(int) + (x[:, 2] > 45).astype(int)
    head = style_head(x, y, 3, c=1.0)
    scale = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    reference = genre_head((x - x.mean(axis=0)) / scale, y, 3, 1.0)
    expected = reference.decision((x - x.mean(axis=0)) / scale)
    np.testing.assert_allclose(head.decision(x), expected, atol=0.02)


def _scores(y: np.ndarray, base: np.ndarray, style: np.ndarray) -> tuple[ArticleData, FoldScores]:
    n = len(y)
    frames = np.eye(2, dtype=np.int8)[np.arange(n) % 2]
    data = ArticleData(["x"] * n, None, y, frames, np.ones(n, bool), np.zeros((n, 1)))
    scores = FoldScores(base, frames.astype(np.float32), {}, {}, {c: style for c in STYLE_C})
    return data, scores


def test_choose_takes_the_style_head_where_it_alone_separates_the_genres() -> None:
    y = np.array([0] * 8 + [1] * 4 + [2] * 3)
    base = np.zeros((len(y), 3), dtype=np.float32)
    base[:, 0] = 1.0
    data, scores = _scores(y, base, np.eye(3, dtype=np.float32)[y] * 4.0)
    assert macro_f1_arrays(y, base.argmax(axis=1), 3) < 0.4
    choice = choose(data, np.arange(len(y)), scores, 3)
    assert choice.style_weight > 0 and choice.genre is None
    assert choice.frame_threshold >= 0.1


def test_choose_keeps_the_base_when_style_only_adds_noise() -> None:
    y = np.array([0, 1, 2] * 5)
    data, scores = _scores(
        y, np.eye(3, dtype=np.float32)[y], np.eye(3, dtype=np.float32)[(y + 1) % 3] * 10
    )
    assert choose(data, np.arange(len(y)), scores, 3).style_weight == 0.0


def test_blend_scores_weights_the_attention_head_and_zeroes_empty_paragraphs() -> None:
    text = np.full((2, 1), 0.2, dtype=np.float32)
    attention = np.full((2, 1), 0.6, dtype=np.float32)
    empty = np.array([False, True])
    out = blend_scores(text, attention, ["a", "a"], empty, Mix(attention=0.5))
    np.testing.assert_allclose(out[:, 0], [0.4, 0.0])
    assert blend_scores(text, None, ["a", "a"], empty, Mix(attention=1.0))[0, 0] == np.float32(0.2)


def test_piece_marks_mark_the_pieces_of_words_inside_a_gold_span() -> None:
    # paragraph at article offset 100: "Diese Verbrecher lügen." -> words at 0-5, 6-16, 17-23
    spans = np.array([[0, 5], [6, 16], [6, 16], [17, 23]], dtype=np.int32)
    marks = piece_marks(spans, 100, [(1, 106, 116), (0, 90, 101)], 2)
    assert marks[:, 1].tolist() == [0, 1, 1, 0]
    assert marks[:, 0].tolist() == [1, 0, 0, 0]


def _articles(n: int) -> list[Article]:
    out = []
    for i in range(n):
        text = f"Absatz {i} eins.\nAbsatz {i} zwei."
        out.append(
            Article(
                id=str(1000 + i),
                language="de",
                text=text,
                paragraphs=[
                    Paragraph(1, 0, text.index("\n"), text.split("\n")[0], ["Doubt"]),
                    Paragraph(2, text.index("\n") + 1, len(text), text.split("\n")[1], []),
                ],
            )
        )
    return out


def test_a_cv_head_never_learns_from_the_fold_it_scores() -> None:
    articles = _articles(20)
    ids = [a.id for a in articles]
    rows = paragraph_rows(articles, ["Doubt"])
    folds = article_folds(rows.groups, 5)
    for f, job in enumerate(cv_jobs(ids, 5)):
        scored = {g.split(":")[1] for g in rows.groups if folds[g] == f}
        assert scored and not scored & job.german
        assert job.german | scored == set(ids)


def test_held_out_articles_reach_only_the_shipped_head_and_their_own_parts_rest() -> None:
    articles = _articles(24)
    part_of = outer_parts(articles)
    held = {a for a, p in part_of.items() if p == 0}
    assert len(held) == 6 and set(part_of.values()) == {0, 1, 2, 3}
    jobs = german_jobs(articles)
    for job in jobs["cv"] + jobs["held_out"]:
        assert not job.german & held
    for f in (1, 2, 3):
        part = {a for a, p in part_of.items() if p == f}
        for job in jobs[f"part{f}_cv"] + jobs[f"part{f}"]:
            assert not job.german & part
    assert jobs["shipped"] == [HeadJob(frozenset(part_of), jobs["shipped"][0].german_weight)]


def _examples(seed: int, n: int) -> list[Example]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        pieces = int(rng.integers(1, 7))
        states = rng.normal(size=(pieces, 2, 4)).astype(np.float16)
        y = (states[:, 0, 0].astype(np.float32).max() > 0.5) * np.ones(2, dtype=np.float32)
        out.append(Example(states, np.zeros((pieces, 2), dtype=np.int8), y))
    return out


def test_heads_do_not_depend_on_how_many_workers_fit_them() -> None:
    pytest.importorskip("torch")
    from newsaudit.train import attention

    german = {"1": _examples(1, 6), "2": _examples(2, 6)}
    others = _examples(3, 20)
    jobs = [HeadJob(frozenset({"1"}), 3.0), HeadJob(frozenset({"1", "2"}), 3.0)]
    # forked workers first: the parent has run no torch code yet
    side_by_side = attention.fit_heads(jobs, german, others, seed=5, workers=2, log=lambda m: None)
    alone = attention.fit_heads(jobs, german, others, seed=5, workers=1, log=lambda m: None)
    for job in jobs:
        np.testing.assert_array_equal(alone[job].values, side_by_side[job].values)
        np.testing.assert_array_equal(alone[job].key, side_by_side[job].key)
    assert not np.array_equal(alone[jobs[0]].values, alone[jobs[1]].values)


def test_numpy_head_reproduces_the_torch_head() -> None:
    torch = pytest.importorskip("torch")
    from newsaudit.train.attention import numpy_head, padded_batch, torch_head

    torch.manual_seed(0)
    module = torch_head(8, 3)
    with torch.no_grad():
        for p in module.parameters():
            p.add_(torch.randn_like(p) * 0.3)
    module.eval()
    examples = [
        Example(
            np.random.default_rng(k).normal(size=(5, 2, 4)).astype(np.float16),
            np.zeros((5, 3), dtype=np.int8),
            np.zeros(3, dtype=np.float32),
        )
        for k in range(2)
    ]
    x, mask, *_ = padded_batch(examples)
    logits, pieces = module(x, mask)
    head = numpy_head(module)
    for i, example in enumerate(examples):
        ours, our_pieces = head.forward(example.states)
        np.testing.assert_allclose(ours, logits[i].detach().numpy(), atol=1e-4)
        np.testing.assert_allclose(our_pieces, pieces[i].detach().numpy(), atol=1e-4)
