"""TF-IDF n-gram features as scikit-learn's ``TfidfVectorizer.transform`` computes them,
from a stored vocabulary and idf, without scikit-learn.

WHY: importing scikit-learn takes about a second of every cold start, and a pickled
vectorizer ties a model file to a class path. Training still fits scikit-learn's vectorizer
(its ``min_df`` and ``max_features`` choose the vocabulary); :meth:`Tfidf.from_vectorizer`
keeps what ``transform`` needs. The tests check that both give the same matrix, bit for
bit: the same n-grams, counts, float32/float64 arithmetic and summation order.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

TOKEN_PATTERN = r"(?u)\b\w\w+\b"
ANALYZERS = ("word", "char_wb")
_WHITE_SPACES = re.compile(r"\s\s+")
# Distinct words whose char_wb n-gram columns a Tfidf keeps.
_WORD_CACHE = 20_000
# What `from_vectorizer` requires of a fitted vectorizer (anything else changes transform).
_FIXED = {
    "binary": False,
    "input": "content",
    "preprocessor": None,
    "stop_words": None,
    "strip_accents": None,
    "tokenizer": None,
    "use_idf": True,
}


@dataclass
class Tfidf:
    """A fitted TF-IDF transform: feature names by column, their idf, and the options of
    the vectorizer that chose them."""

    vocabulary: list[str]
    idf: np.ndarray
    analyzer: str = "word"
    ngram_range: tuple[int, int] = (1, 1)
    lowercase: bool = True
    sublinear_tf: bool = False
    norm: str | None = "l2"
    token_pattern: str = TOKEN_PATTERN
    dtype: str = "float64"
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _word_grams: dict[str, bytes] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.analyzer not in ANALYZERS:
            raise ValueError(f"analyzer {self.analyzer!r} is not one of {ANALYZERS}")
        if self.norm not in ("l2", None):
            raise ValueError(f"norm {self.norm!r} is not supported (l2 or None)")
        if len(self.vocabulary) != len(self.idf):
            raise ValueError(f"{len(self.vocabulary)} features but {len(self.idf)} idf values")
        self.ngram_range = (int(self.ngram_range[0]), int(self.ngram_range[1]))
        # idf keeps its own dtype: scikit-learn multiplies the counts by it as stored
        self.idf = np.asarray(self.idf)
        self._pattern = re.compile(self.token_pattern)

    @classmethod
    def from_vectorizer(cls, vectorizer: Any) -> Tfidf:
        """The transform of a fitted scikit-learn ``TfidfVectorizer``."""
        params = vectorizer.get_params()
        unsupported = {k: params[k] for k, v in _FIXED.items() if params[k] != v}
        if unsupported:
            raise ValueError(f"vectorizer options not supported: {unsupported}")
        index = vectorizer.vocabulary_
        return cls(
            vocabulary=sorted(index, key=index.__getitem__),
            idf=vectorizer.idf_,
            analyzer=params["analyzer"],
            ngram_range=params["ngram_range"],
            lowercase=params["lowercase"],
            sublinear_tf=params["sublinear_tf"],
            norm=params["norm"],
            token_pattern=params["token_pattern"],
            dtype=np.dtype(params["dtype"]).name,
        )

    def options(self) -> dict[str, Any]:
        """Everything but the vocabulary and idf, JSON-able (see :meth:`from_options`)."""
        return {
            "analyzer": self.analyzer,
            "ngram_range": list(self.ngram_range),
            "lowercase": self.lowercase,
            "sublinear_tf": self.sublinear_tf,
            "norm": self.norm,
            "token_pattern": self.token_pattern,
            "dtype": self.dtype,
        }

    @classmethod
    def from_options(cls, options: dict[str, Any], vocabulary: list[str], idf: np.ndarray) -> Tfidf:
        return cls(vocabulary=vocabulary, idf=idf, **options)

    @cached_property
    def index(self) -> dict[str, int]:
        return {feature: i for i, feature in enumerate(self.vocabulary)}

    def ngrams(self, text: str) -> list[str]:
        """The n-grams scikit-learn's analyzer yields for ``text``."""
        return list(self._ngrams(text))

    def _ngrams(self, text: str) -> Iterator[str]:
        """:meth:`ngrams` one at a time: counting a whole long article's character n-grams
        from a list took about 220 bytes a character (450 MB for a 2 MB text)."""
        if self.lowercase:
            text = text.lower()
        low, high = self.ngram_range
        if self.analyzer == "char_wb":
            return _char_wb_ngrams(text, low, high)
        return _word_ngrams(self._pattern.findall(text), low, high)

    def transform(self, texts: Sequence[str]) -> Any:
        """(len(texts), n_features) CSR matrix of TF-IDF weights, rows L2-normalised."""
        from scipy.sparse import csr_matrix

        rows = [self._column_counts(text) for text in texts]
        indptr = np.cumsum([0, *(len(columns) for columns, _ in rows)])
        columns = np.concatenate([np.zeros(0, np.int64), *(columns for columns, _ in rows)])
        counts = np.concatenate([np.zeros(0, np.int64), *(counts for _, counts in rows)])
        index_dtype = np.int64 if indptr[-1] > np.iinfo(np.int32).max else np.int32
        matrix = csr_matrix(
            (
                counts.astype(np.intc),
                columns.astype(index_dtype),
                indptr.astype(index_dtype),
            ),
            shape=(len(texts), len(self.vocabulary)),
            dtype=self.dtype,
        )
        matrix.sort_indices()
        data = matrix.data
        if self.sublinear_tf:
            np.log(data, data)
            data += 1.0
        data *= self.idf[matrix.indices]
        if self.norm == "l2":
            _normalise_rows(data, matrix.indptr)
        return matrix

    def _column_counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The vocabulary columns that occur in ``text``, ascending, and how often each
        occurs (n-grams outside the vocabulary left out). WHY by word for ``char_wb``: its
        n-grams never cross a word, and an article repeats its words, so each distinct word
        is cut into n-grams and looked up once per process (:meth:`_grams_of_word`), not at
        every occurrence; counting the n-grams one by one took about a tenth of a CPU-second
        an article."""
        if self.analyzer != "char_wb":
            get = self.index.get
            found = ((get(gram), n) for gram, n in Counter(self._ngrams(text)).items())
            pairs = sorted((j, n) for j, n in found if j is not None)
            return (
                np.array([j for j, _ in pairs], dtype=np.int64),
                np.array([n for _, n in pairs], dtype=np.int64),
            )
        if self.lowercase:
            text = text.lower()
        words = Counter(_WHITE_SPACES.sub(" ", text).split())
        grams = [self._grams_of_word(word) for word in words]
        occurrences = np.frombuffer(b"".join(grams), dtype=np.int64)
        times = np.repeat(
            np.fromiter(words.values(), np.int64, len(words)), [len(g) // 8 for g in grams]
        )
        columns, which = np.unique(occurrences, return_inverse=True)
        counts = np.bincount(which.reshape(-1), weights=times, minlength=len(columns))
        return columns, counts.astype(np.int64)

    def _grams_of_word(self, word: str) -> bytes:
        """The columns of the vocabulary's ``char_wb`` n-grams of one word as int64 bytes,
        one per occurrence, kept for the word's next occurrence (a few hundred bytes a
        word; up to :data:`_WORD_CACHE` words, then started afresh)."""
        known = self._word_grams.get(word)
        if known is not None:
            return known
        if len(self._word_grams) >= _WORD_CACHE:
            self._word_grams.clear()
        get = self.index.get
        low, high = self.ngram_range
        found = (get(gram) for gram in _char_wb_ngrams(word, low, high))
        columns = array("q", (j for j in found if j is not None)).tobytes()
        self._word_grams[word] = columns
        return columns


def _word_ngrams(tokens: list[str], low: int, high: int) -> Iterator[str]:
    if low == 1:
        yield from tokens
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        yield from (" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _char_wb_ngrams(text: str, low: int, high: int) -> Iterator[str]:
    """Character n-grams inside each word padded with one space on each side; a word
    shorter than an n-gram counts once, whole."""
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            yield from (padded[i : i + n] for i in range(max(len(padded) - n, 0) + 1))
            if len(padded) <= n:
                break


def _normalise_rows(data: np.ndarray, indptr: np.ndarray) -> None:
    """Divide each row by its L2 norm in place, summing the squares in double precision in
    storage order, as scikit-learn's ``inplace_csr_row_normalize_l2`` does."""
    squares = (data * data).astype(np.float64)
    for start, end in zip(indptr[:-1], indptr[1:], strict=True):
        if start == end:
            continue
        total = float(np.add.accumulate(squares[start:end])[-1])
        if total == 0.0:
            continue
        data[start:end] = data[start:end].astype(np.float64) / np.sqrt(total)
