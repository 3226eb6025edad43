"""Everyday news for the technique calibrator: a seeded sample of FANG-COVID's training
outlets, read as the pipeline reads a corpus row and scored by the shipped heads.

WHY: SemEval's articles were chosen because they persuade; everyday news has far fewer
techniques per paragraph. Unlabelled paragraphs of ordinary newspapers let the calibrator
estimate how much rarer each technique is there (prior adaptation) and give the persuasion
summary its reference distribution. The five test outlets (``TEST_OUTLETS``) are never read
here: they are reserved for evaluation (``bench/persuasion_fang.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsaudit.benchmarks.fang import TEST_OUTLETS, quota_sample

# Everyday news: the reliable training outlets; the unreliable ones only validate.
NEWS = {"tagesspiegel.de": 100, "zeit.de": 100}
UNRELIABLE = dict.fromkeys(
    (
        "contra-magazin.com",
        "de.rt.com",
        "journalistenwatch.com",
        "politikstube.com",
        "pravda-tv.com",
        "rubikon.news",
    ),
    15,
)
SAMPLE_SEED = 2026
MIN_CHARS = 200


def training_outlet_sample(seed: int = SAMPLE_SEED) -> list[dict]:
    """Seeded FANG-COVID records of the training outlets (``NEWS`` and ``UNRELIABLE``)."""
    quota = NEWS | UNRELIABLE
    assert not set(quota) & TEST_OUTLETS
    return quota_sample(quota, seed, MIN_CHARS)


@dataclass
class NewsArticle:
    id: str
    source: str
    block_words: list[int]
    block_items: list[bool]  # list items, never strong
    scores: np.ndarray  # (blocks, techniques) blended scores of the shipped heads

    @property
    def words(self) -> int:
        return sum(self.block_words)

    @property
    def news(self) -> bool:
        return self.source in NEWS


def score_news(records: Sequence[dict], model) -> list[NewsArticle]:  # noqa: ANN001
    """Each German record's analysable blocks (as the techniques analyzer sees them),
    scored by ``model``; e5 encodings come from the training cache."""
    from newsaudit.analyzers.technique_calibration import count_words, list_items
    from newsaudit.config import Limits
    from newsaudit.ingest.corpus import record_to_document
    from newsaudit.train.technique_rows import encodings

    out = []
    for record in records:
        document = record_to_document(record, record["id"], Limits())
        if document.language != "de":
            continue
        texts = [document.text[b.start : b.end] for b in document.analysable_blocks]
        scores, _ = model.score_paragraphs(texts, "de", encodings(texts))
        words = [count_words(t) for t in texts]
        items = [bool(v) for v in list_items(texts)]
        out.append(NewsArticle(record["id"], record["source"], words, items, scores))
    return out


def prior_shift(probabilities: np.ndarray, source_prior: np.ndarray, rounds: int = 100) -> tuple:
    """Saerens-Latinne-Decaestecker EM: the techniques' rates on unlabelled target
    paragraphs whose (n, labels) ``probabilities`` are calibrated for ``source_prior``.
    Returns (target prior, log-odds shift to add to the calibrated logits)."""
    eps = 1e-4
    pi = np.clip(source_prior, eps, 1 - eps)
    target = pi.copy()
    for _ in range(rounds):
        up = target / pi * probabilities
        down = (1 - target) / (1 - pi) * (1 - probabilities)
        target = np.clip((up / (up + down)).mean(axis=0), eps, 1 - eps)
    shift = np.log(target / (1 - target)) - np.log(pi / (1 - pi))
    return target, shift
