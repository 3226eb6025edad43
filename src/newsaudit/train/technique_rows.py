"""Paragraph rows of SemEval articles with their e5 encodings (cached on disk), and the
scores the TF-IDF and attention heads give them: what both recipes choose from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from newsaudit.analyzers.technique_model import (
    AttentionHead,
    GroupModel,
    Mix,
    attention_scores,
    blend_scores,
)
from newsaudit.benchmarks.semeval import Article
from newsaudit.encoder.embedder import Encoded
from newsaudit.train.attention import Example, piece_marks

MULTI = ("en", "fr", "it", "pl", "ru")
C_TEXT = 4.0


@dataclass
class Rows:
    texts: list[str]
    y: np.ndarray
    groups: list[str]
    languages: list[str]


def paragraph_rows(articles: Sequence[Article], labels: Sequence[str]) -> Rows:
    texts, ys, groups, langs = [], [], [], []
    for a in articles:
        for p in a.paragraphs:
            texts.append(p.text)
            ys.append([t in p.labels for t in labels])
            groups.append(f"{a.language}:{a.id}")
            langs.append(a.language)
    return Rows(texts, np.array(ys, dtype=np.int8).reshape(-1, len(labels)), groups, langs)


@lru_cache(maxsize=1)
def _encoding_cache() -> Any:
    from newsaudit.train.embeddings import EncodingCache

    return EncodingCache()


def encodings(texts: Sequence[str]) -> list[Encoded | None]:
    """e5 encodings of ``texts``, computing and caching the ones not seen before."""
    return _encoding_cache().encodings(texts)


def attention_examples(
    articles: Sequence[Article], labels: Sequence[str]
) -> dict[str, list[Example]]:
    """By article id, one example per non-empty paragraph, its pieces marked by the gold
    spans."""
    index = {t: j for j, t in enumerate(labels)}
    out: dict[str, list[Example]] = {}
    for a in articles:
        gold = [(index[t], s, e) for t, s, e in a.spans if t in index]
        encoded = encodings([p.text for p in a.paragraphs])
        for p, enc in zip(a.paragraphs, encoded, strict=True):
            if enc is None or not len(enc.states):
                continue
            y = np.array([t in p.labels for t in labels], dtype=np.float32)
            marks = piece_marks(enc.spans, p.start, gold, len(labels))
            out.setdefault(a.id, []).append(Example(enc.states, marks, y))
    return out


@dataclass
class Scored:
    """Paragraph rows with the TF-IDF and attention heads' scores."""

    rows: Rows
    text: np.ndarray
    attention: np.ndarray

    @cached_property
    def empty(self) -> np.ndarray:
        return np.array([not t.strip() for t in self.rows.texts])

    def blended(self, mix: Mix) -> np.ndarray:
        return blend_scores(self.text, self.attention, self.rows.groups, self.empty, mix)


def score_rows(group: GroupModel, rows: Rows, head: AttentionHead) -> Scored:
    return Scored(
        rows,
        group.text_head.proba(group.features.transform(rows.texts)),
        attention_scores(head, encodings(rows.texts), rows.y.shape[1]),
    )


def mix_key(mix: Mix) -> str:
    return f"attention {mix.attention}, article {mix.article}, next {mix.neighbour}"
