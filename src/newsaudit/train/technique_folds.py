"""Which articles each part of the persuasion recipe sees: the German held-out quarter,
the outer parts that hold every German article out once, the cross-validation folds, and
the training set of every attention head (``HeadJob``), known before any head is fitted.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from newsaudit.benchmarks.semeval import Article, load_split
from newsaudit.train.attention import HeadJob
from newsaudit.train.heads import SEED

HELD_OUT_SHARE = 0.25
CV_FOLDS = 5
OUTER_PARTS = 4
# Folds of the inner choice in each outer part: fewer than CV_FOLDS to bound training time.
OUTER_CV_FOLDS = 3
# A German paragraph weighs this many paragraphs of the other languages in the German heads.
GERMAN_WEIGHT = 3.0


def german_held_out(articles: Sequence[Article], seed: int = SEED) -> set[str]:
    """Seeded article ids of the German held-out test (never fitted or tuned on)."""
    ids = sorted(a.id for a in articles)
    random.Random(seed).shuffle(ids)
    return set(ids[: round(len(ids) * HELD_OUT_SHARE)])


def outer_parts(articles: Sequence[Article], parts: int = OUTER_PARTS) -> dict[str, int]:
    """Part 0 is the held-out split; the other articles, in seeded order, form the rest."""
    held = german_held_out(articles)
    ids = sorted(a.id for a in articles)
    random.Random(SEED).shuffle(ids)
    rest = [a for a in ids if a not in held]
    part_of = {a: 1 + i * (parts - 1) // len(rest) for i, a in enumerate(rest)}
    part_of.update(dict.fromkeys(held, 0))
    return part_of


def article_folds(ids: Sequence[str], k: int, seed: int = SEED) -> dict[str, int]:
    order = sorted(set(ids))
    random.Random(seed + 1).shuffle(order)
    return {a: i % k for i, a in enumerate(order)}


def cv_jobs(ids: Sequence[str], k: int) -> list[HeadJob]:
    """The heads of a k-fold CV over German articles ``ids`` (folds as ``article_folds``
    draws them for the paragraphs' groups)."""
    folds = article_folds([f"de:{i}" for i in ids], k)
    return [
        HeadJob(frozenset(i for i in ids if folds[f"de:{i}"] != f), GERMAN_WEIGHT) for f in range(k)
    ]


def german_jobs(articles: Sequence[Article]) -> dict[str, list[HeadJob]]:
    """Every German head the recipe fits, by purpose."""
    part_of = outer_parts(articles)
    ids = sorted(a.id for a in articles)
    jobs = {
        "cv": cv_jobs([i for i in ids if part_of[i] != 0], CV_FOLDS),
        "held_out": [HeadJob(frozenset(i for i in ids if part_of[i] != 0), GERMAN_WEIGHT)],
        "shipped": [HeadJob(frozenset(ids), GERMAN_WEIGHT)],
    }
    for f in range(1, OUTER_PARTS):
        rest = [i for i in ids if part_of[i] != f]
        jobs[f"part{f}_cv"] = cv_jobs(rest, OUTER_CV_FOLDS)
        jobs[f"part{f}"] = [HeadJob(frozenset(rest), GERMAN_WEIGHT)]
    return jobs


def multi_job() -> HeadJob:
    """The multilingual group's head: every language's training articles at equal weight."""
    return HeadJob(frozenset(a.id for a in load_split("de")), 1.0)
