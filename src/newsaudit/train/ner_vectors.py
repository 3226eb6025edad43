"""Static word vectors from FANG-COVID German news, for the NER model's tok2vec.

WHY: the GermEval split alone is small; vectors trained on German news give the CNN
knowledge of names and contexts it never saw labelled. Trained with floret (MIT).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

# Tokens roughly as spaCy's German tokenizer cuts them; n-gram hashing absorbs the rest.
_TOKEN = re.compile(r"\w+(?:[-.']\w+)*|[^\w\s]")

# Whole-word vectors (floret's plain fastText mode, no character n-grams): subword hashing
# trains an order of magnitude slower, which two shared cores cannot afford. Words seen
# fewer than 10 times get no vector; the CNN's prefix/suffix/shape features cover them.
FLORET_PARAMS = {
    "model": "cbow",
    "dim": 64,
    "minn": 0,
    "maxn": 0,
    "minCount": 10,
    "epoch": 5,
    "mode": "fasttext",
    "thread": 1,
    "verbose": 0,
}


# About a third of FANG-COVID: enough for name and inflection knowledge, and it trains in
# minutes on one shared core.
MAX_TOKENS = 12_000_000


def write_corpus(fang_gz: Path, out: Path, max_tokens: int = MAX_TOKENS) -> int:
    """One article per line, tokens separated by spaces; returns the number of tokens."""
    n = 0
    with gzip.open(fang_gz, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if n >= max_tokens:
                break
            record = json.loads(line)
            text = f"{record.get('header') or ''}\n{record.get('article') or ''}"
            tokens = _TOKEN.findall(text)
            n += len(tokens)
            dst.write(" ".join(tokens) + "\n")
    return n


def train_vectors(fang_gz: Path, workdir: Path) -> Path:
    """Train the vectors (cached in ``workdir``) and return the word2vec-format text table."""
    import floret

    workdir.mkdir(parents=True, exist_ok=True)
    table = workdir / "fang_vectors.vec"
    if table.is_file():
        return table
    corpus = workdir / "fang_corpus.txt"
    if not corpus.is_file():
        write_corpus(fang_gz, corpus)
    model = floret.train_unsupervised(str(corpus), **FLORET_PARAMS)
    words = model.get_words()
    with table.open("w", encoding="utf-8") as out:
        out.write(f"{len(words)} {model.get_dimension()}\n")
        for word in words:
            vector = " ".join(f"{x:.5f}" for x in model.get_word_vector(word))
            out.write(f"{word} {vector}\n")
    return table
