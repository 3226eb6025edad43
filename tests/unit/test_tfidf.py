"""nlp.tfidf gives scikit-learn's TF-IDF matrix bit for bit, without scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudit.nlp.tfidf import Tfidf

CORPUS = [
    "Die Regierung lügt, sagt er.  Die Regierung\tlügt nicht!",
    "Le gouvernement ment-il ? Non.",
    "They are crooks, crooks and liars; ÄRGER über ẞ und ß.",
    "",
    "a b c d e f g",
    "Straße STRASSE straße Ünïcödé İstanbul ﬁnance",
]
OPTIONS = [
    {"ngram_range": (1, 2), "min_df": 1, "dtype": np.float32},
    {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 1, "dtype": np.float32},
    {"ngram_range": (1, 2)},
    {"analyzer": "char_wb", "ngram_range": (1, 3), "norm": None},
    {"ngram_range": (2, 3), "lowercase": False},
]


def _fitted(options: dict):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(sublinear_tf=True, **options).fit(CORPUS)


def _same(a, b) -> bool:
    a = a.tocsr()
    return (
        a.shape == b.shape
        and a.data.dtype == b.data.dtype
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and a.data.tobytes() == b.data.tobytes()
    )


texts = st.lists(
    st.text(
        alphabet=st.sampled_from(list("aäbcdeéfgijlmnorsßtuxyzÄÖẞİ -.,!?\t\n\u00a0\u2028")),
        max_size=60,
    ),
    min_size=1,
    max_size=5,
)


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: o.get("analyzer", "word"))
@settings(max_examples=40, deadline=None)
@given(texts)
def test_transform_matches_scikit_learn(options, batch) -> None:
    vectorizer = _fitted(options)
    ours = Tfidf.from_vectorizer(vectorizer)
    assert _same(vectorizer.transform(batch + CORPUS), ours.transform(batch + CORPUS))


def test_options_survive_a_json_round_trip() -> None:
    import json

    ours = Tfidf.from_vectorizer(_fitted(OPTIONS[1]))
    again = Tfidf.from_options(json.loads(json.dumps(ours.options())), ours.vocabulary, ours.idf)
    assert _same(ours.transform(CORPUS), again.transform(CORPUS))
    assert again.ngrams("ab") == [" a", "ab", "b ", " ab", "ab ", " ab "]


def test_unsupported_vectorizers_are_refused() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    with pytest.raises(ValueError, match="stop_words"):
        Tfidf.from_vectorizer(TfidfVectorizer(stop_words=["die"]).fit(CORPUS))
    with pytest.raises(ValueError, match="analyzer"):
        Tfidf.from_vectorizer(TfidfVectorizer(analyzer="char").fit(CORPUS))


def test_a_long_text_is_counted_without_a_list_of_its_ngrams() -> None:
    # Regression: the n-grams of a whole article were listed before counting, about 220
    # bytes a character (the genre and frames heads read a 2 MB text as one article).
    import tracemalloc

    ours = Tfidf.from_vectorizer(_fitted(OPTIONS[1]))
    text = "Die Regierung lügt, sagt er, und die Straße ist nass. " * 4000  # 216,000 chars
    tracemalloc.start()
    matrix = ours.transform([text])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert matrix.nnz > 0
    assert peak < 5_000_000
