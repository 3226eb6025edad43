"""The packaged persuasion model, per language group: TF-IDF heads and an attention head
over e5's word-piece states for techniques; TF-IDF, e5 and style heads for genre and frames.

Kept as plain arrays and TF-IDF vocabularies (stored by ``newsaudit.models.techniques``), so
inference needs only numpy and scipy (the e5 states come from the ONNX graph in
``models/e5``). The attention head's
piece scores, trained on the gold character spans, give the evidence: the sentence and the
words that carry a flagged technique.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from newsaudit.analyzers.genre_style import style_features
from newsaudit.numeric import sigmoid

if TYPE_CHECKING:
    from newsaudit.analyzers.technique_calibration import Calibrator
    from newsaudit.encoder.embedder import Encoded
    from newsaudit.nlp.tfidf import Tfidf

EMBED_DIM = 384


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
        """Scores of dense or sparse (CSR) features. WHY the gather: converting the whole
        float16 matrix to float32 took 24 ms a call for the 200,000 multi features, and a
        paragraph reads a few thousand of them. Only the rows that the sparse features
        read are converted, and the products are summed in the same order as over the
        whole matrix, so the scores are the same bit for bit."""
        from scipy.sparse import csr_matrix, issparse

        if not issparse(features):
            return np.asarray(features @ self.coef.astype(np.float32)) + self.intercept
        features = csr_matrix(features)
        rows, columns = np.unique(features.indices, return_inverse=True)
        read = csr_matrix(
            (features.data, columns.reshape(-1), features.indptr),
            shape=(features.shape[0], len(rows)),
        )
        return np.asarray(read @ self.coef[rows].astype(np.float32)) + self.intercept

    def proba(self, features: Any) -> np.ndarray:
        return sigmoid(self.decision(features))


@dataclass
class TextFeatures:
    """Word (1-2) and character (2-5) TF-IDF, fitted on one language group."""

    word: Tfidf
    char: Tfidf

    def transform(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import hstack

        clean = [t.replace("\r", " ") for t in texts]
        return hstack([self.word.transform(clean), self.char.transform(clean)]).tocsr()

    @property
    def n_features(self) -> int:
        return len(self.word.vocabulary) + len(self.char.vocabulary)


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-5) * weight + bias


@dataclass
class AttentionHead:
    """Per-technique attention over a paragraph's word pieces (trained in
    ``train/attention.py`` on frozen e5 states of all six languages).

    WHY: a technique usually sits in a few words of one sentence, and a mean-pooled
    paragraph vector blurs them; each technique here learns which pieces to read. The
    pieces' own scores (``token`` weights, trained on the gold character spans) point at
    the words that carry a technique.
    """

    norm_weight: np.ndarray  # (d,)
    norm_bias: np.ndarray  # (d,)
    key: np.ndarray  # (d, a)
    key_bias: np.ndarray  # (a,)
    queries: np.ndarray  # (n_labels, a)
    values: np.ndarray  # (n_labels, d)
    mean: np.ndarray  # (d, n_labels)
    bias: np.ndarray  # (n_labels,)
    token: np.ndarray  # (d, n_labels)
    token_bias: np.ndarray  # (n_labels,)

    def forward(self, states: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(paragraph logits (n_labels,), piece logits (pieces, n_labels)) of one
        paragraph's (pieces, groups, hidden) states."""
        flat = np.asarray(states.reshape(len(states), -1), dtype=np.float32)
        x = layer_norm(flat, self.norm_weight, self.norm_bias)
        attention = np.tanh(x @ self.key + self.key_bias) @ self.queries.T
        attention = np.exp(attention - attention.max(axis=0))
        attention /= attention.sum(axis=0)
        pooled = ((attention.T @ x) * self.values).sum(axis=1)
        logits = pooled + x.mean(axis=0) @ self.mean + self.bias
        return logits, x @ self.token + self.token_bias


@dataclass(frozen=True)
class Mix:
    """How a group blends its technique scores: the attention head against TF-IDF, then the
    article and neighbour context."""

    attention: float = 0.0
    article: float = 0.0
    neighbour: float = 0.0


@dataclass
class GroupModel:
    """Everything for one language group (``de``, or ``multi`` for the others)."""

    features: TextFeatures
    text_head: LinearHead
    thresholds: np.ndarray
    attention: AttentionHead
    default_mix: Mix = Mix()
    genre_text: LinearHead | None = None
    genre_e5: LinearHead | None = None
    frames_text: LinearHead | None = None
    frames_e5: LinearHead | None = None
    frame_thresholds: np.ndarray | None = None
    genre_style: LinearHead | None = None
    genre_style_weight: float = 0.0
    genre_view: int | None = None
    frames_view: int | None = None
    language_thresholds: dict[str, np.ndarray] = field(default_factory=dict)
    language_mix: dict[str, Mix] = field(default_factory=dict)

    def mix(self, language: str | None) -> Mix:
        """The blend chosen for the language when it had its own later-period tuning data."""
        return self.language_mix.get(language or "", self.default_mix)


def attention_read(head: AttentionHead, states: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The head's paragraph probabilities (n_labels,) and piece probabilities (pieces,
    n_labels) of one paragraph's piece states; ``None`` without pieces. The piece
    probabilities say which words carry a technique (trained on the gold spans)."""
    if not len(states):
        return None
    logits, piece_logits = head.forward(states)
    return sigmoid(logits), sigmoid(piece_logits)


def stack_reads(
    reads: Sequence[tuple[np.ndarray, np.ndarray] | None], n_labels: int
) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """:func:`attention_read` outputs of the paragraphs as (n, n_labels) paragraph
    probabilities (0 without pieces) and each paragraph's piece probabilities."""
    out = np.zeros((len(reads), n_labels), dtype=np.float32)
    pieces: list[np.ndarray | None] = [None] * len(reads)
    for row, read in enumerate(reads):
        if read is not None:
            out[row], pieces[row] = read
    return out, pieces


def attention_outputs(
    head: AttentionHead, encodings: Sequence[Encoded | None], n_labels: int
) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """One pass of the head over each paragraph (see :func:`stack_reads`)."""
    reads = [attention_read(head, e.states) if e is not None else None for e in encodings]
    return stack_reads(reads, n_labels)


def attention_scores(
    head: AttentionHead, encodings: Sequence[Encoded | None], n_labels: int
) -> np.ndarray:
    """(n, n_labels) attention-head probabilities; 0 for a paragraph without pieces."""
    return attention_outputs(head, encodings, n_labels)[0]


def blend_scores(
    text: np.ndarray,
    attention: np.ndarray | None,
    groups: Sequence[str],
    empty: np.ndarray,
    mix: Mix,
) -> np.ndarray:
    """The blend of ``mix`` over the heads' scores; empty paragraphs score 0."""
    scores = text
    if attention is not None and mix.attention > 0:
        scores = (1 - mix.attention) * scores + mix.attention * attention
    if mix.article or mix.neighbour:
        return context_blend(scores, groups, empty, mix.article, mix.neighbour)
    out = np.array(scores, dtype=np.float32)
    out[empty] = 0.0
    return out


def article_vector(encodings: Sequence[Encoded | None], view: int | None) -> np.ndarray:
    """An article's e5 view: the normalised mean over its paragraphs of one layer group's
    pooled states, or (view ``None``) of e5's own passage embeddings."""
    vectors = [e.vector if view is None else e.pooled(view) for e in encodings if e is not None]
    return mean_embedding(np.array(vectors, dtype=np.float32).reshape(-1, EMBED_DIM))


@dataclass
class TechniqueModel:
    techniques: list[str]
    genres: list[str]
    frames: list[str]
    groups: Mapping[str, GroupModel]
    languages: list[str]
    version: str = "2"
    calibrators: dict[str, Calibrator] = field(default_factory=dict)

    def group(self, language: str | None) -> GroupModel:
        return self.groups["de"] if language == "de" else self.groups["multi"]

    def thresholds(self, language: str | None) -> np.ndarray:
        """Per-technique cut-offs, tuned for the language when it had its own tuning data."""
        g = self.group(language)
        return g.language_thresholds.get(language or "", g.thresholds)

    def calibrator(self, language: str | None) -> Calibrator | None:
        """The group's calibrator (``None`` where no held-out data calibrated it)."""
        return self.calibrators.get("de" if language == "de" else "multi")

    def score_paragraphs(
        self,
        texts: Sequence[str],
        language: str | None,
        encodings: Sequence[Encoded | None] | None = None,
        articles: Sequence[str] | None = None,
        reads: Sequence[tuple[np.ndarray, np.ndarray] | None] | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray | None]]:
        """(n_texts, n_techniques) probabilities (empty texts score 0) and each paragraph's
        piece probabilities (``None`` without encodings), from one pass of the heads.

        ``encodings`` are the texts' e5 encodings, or ``reads`` the attention head's outputs
        on them (:meth:`piece_reader`); ``articles`` names the article of each paragraph (in
        reading order), since the context stage reads the scores of the neighbouring
        paragraphs and of the whole article.
        """
        g = self.group(language)
        text = g.text_head.proba(g.features.transform(texts))
        attention = None
        pieces: list[np.ndarray | None] = [None] * len(texts)
        if reads is not None:
            attention, pieces = stack_reads(reads, len(self.techniques))
        elif encodings is not None:
            attention, pieces = attention_outputs(g.attention, encodings, len(self.techniques))
        empty = np.array([not t.strip() for t in texts], dtype=bool)
        groups = list(articles) if articles is not None else ["_"] * len(texts)
        return blend_scores(text, attention, groups, empty, g.mix(language)), pieces

    def piece_reader(self, language: str | None) -> Callable[[np.ndarray], Any]:
        """The language group's attention head over one paragraph's piece states
        (:func:`attention_read`), for the shared paragraph encodings."""
        return partial(attention_read, self.group(language).attention)

    def technique_scores(
        self,
        texts: Sequence[str],
        language: str | None,
        encodings: Sequence[Encoded | None] | None = None,
        articles: Sequence[str] | None = None,
    ) -> np.ndarray:
        """The technique probabilities of :meth:`score_paragraphs`."""
        return self.score_paragraphs(texts, language, encodings, articles)[0]

    def flag_levels(
        self,
        scores: np.ndarray,
        language: str | None,
        texts: Sequence[str],
        articles: Sequence[str] | None = None,
    ) -> tuple[np.ndarray, Any, Any]:
        """(flags, probabilities, strong): the (n, n_techniques) mask of the ``texts``'
        scores over their thresholds, their calibrated probabilities and the mask of the
        strong ones (both ``None`` without a calibrator); ``articles`` as in
        :meth:`score_paragraphs`."""
        from newsaudit.analyzers.technique_calibration import count_words

        flags = np.asarray(scores) >= self.thresholds(language)
        calibrator = self.calibrator(language)
        if calibrator is None:
            return flags, None, None
        words = [count_words(t) for t in texts]
        probabilities = calibrator.probabilities(scores, words, articles)
        return flags, probabilities, flags & calibrator.strong_flags(probabilities, texts)

    def predict_techniques(
        self,
        texts: Sequence[str],
        language: str | None,
        encodings: Sequence[Encoded | None] | None = None,
        articles: Sequence[str] | None = None,
        strong_only: bool = False,
    ) -> list[list[str]]:
        """Each text's flagged techniques; ``strong_only`` keeps the strong ones (none
        where the language has no calibrator)."""
        scores = self.technique_scores(texts, language, encodings, articles)
        flags, _, strong = self.flag_levels(scores, language, texts, articles)
        if strong_only:
            flags = strong if strong is not None else np.zeros_like(flags)
        return [[t for t, f in zip(self.techniques, row, strict=True) if f] for row in flags]

    def article_features(self, text: str, language: str | None) -> Any:
        """The TF-IDF of a whole article, which the genre and the frames heads both read
        (made once: each made it again at nearly the cost of the technique heads' features
        of all the paragraphs)."""
        return self.group(language).features.transform([text])

    def genre_scores(
        self,
        text: str,
        language: str | None,
        encodings: Sequence[Encoded | None] | None = None,
        features: Any = None,
    ) -> np.ndarray:
        """Genre probabilities of an article from its text (or its :meth:`article_features`)
        and its paragraphs' encodings."""
        g = self.group(language)
        if features is None:
            features = self.article_features(text, language)
        logits = g.genre_text.decision(features)[0]
        if g.genre_e5 is not None and encodings is not None:
            vector = article_vector(encodings, g.genre_view).reshape(1, -1)
            logits = (logits + g.genre_e5.decision(vector)[0]) / 2
        if g.genre_style is not None and g.genre_style_weight > 0:
            style = g.genre_style.decision(style_features(text).reshape(1, -1))[0]
            logits = (1 - g.genre_style_weight) * logits + g.genre_style_weight * style
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def frame_scores(
        self,
        text: str,
        language: str | None,
        encodings: Sequence[Encoded | None] | None = None,
        features: Any = None,
    ) -> np.ndarray:
        """Frame probabilities, read like :meth:`genre_scores`."""
        g = self.group(language)
        if features is None:
            features = self.article_features(text, language)
        scores = g.frames_text.proba(features)[0]
        if g.frames_e5 is not None and encodings is not None:
            vector = article_vector(encodings, g.frames_view).reshape(1, -1)
            scores = (scores + g.frames_e5.proba(vector)[0]) / 2
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


def word_scores(piece_scores: np.ndarray, spans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct word spans of a paragraph, in reading order, and each word's highest
    piece score per label."""
    words, inverse = np.unique(spans.reshape(-1, 2), axis=0, return_inverse=True)
    out = np.zeros((len(words), piece_scores.shape[1]), dtype=np.float32)
    np.maximum.at(out, inverse.ravel(), piece_scores)
    return words, out


def sentence_scores(
    words: np.ndarray, scores: np.ndarray, sentences: Sequence[tuple[int, int]]
) -> np.ndarray:
    """(n_sentences, n_labels): each sentence's best word score (words and sentences in
    the same offsets; a word belongs to the sentence it starts in)."""
    out = np.zeros((len(sentences), scores.shape[1]), dtype=np.float32)
    for i, (start, end) in enumerate(sentences):
        inside = (words[:, 0] >= start) & (words[:, 0] < end)
        if inside.any():
            out[i] = scores[inside].max(axis=0)
    return out


def mean_embedding(vectors: np.ndarray) -> np.ndarray:
    """Article embedding: the normalised mean of its paragraph embeddings."""
    if len(vectors) == 0:
        return np.zeros(EMBED_DIM, dtype=np.float32)
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean
