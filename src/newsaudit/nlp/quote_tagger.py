"""The quote tagger: per-token Cue/Source/Message/Addr probabilities from the packaged model.

Stage 1 is a logistic regression per role over sparse surface features
(``newsaudit.nlp.speech``); stage 2, a small perceptron per role, re-scores each token from
the stage-1 scores of its neighbours and of its sentence, which smooths spans into
clause-sized messages. Both are plain numpy at inference. ``nlp.quote_assembly`` turns the
tagged tokens into quotes.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import numpy as np

from newsaudit.errors import ModelError
from newsaudit.nlp.quote_assembly import TAGGER_ROLES, FoundQuote, assemble, english_rules
from newsaudit.nlp.speech import iter_sentence_features
from newsaudit.numeric import sigmoid

CONTEXT = 3


def context_features(probs: list[np.ndarray]) -> list[np.ndarray]:
    """Stage-2 inputs per sentence: own and neighbouring stage-1 scores, sentence summaries."""
    out = []
    n_roles = probs[0].shape[1] if probs else len(TAGGER_ROLES)
    sent_mean = [p.mean(axis=0) if len(p) else np.zeros(n_roles) for p in probs]
    sent_max = [p.max(axis=0) if len(p) else np.zeros(n_roles) for p in probs]
    for si, p in enumerate(probs):
        n = len(p)
        pad = np.full((CONTEXT, n_roles), -1.0)
        padded = np.vstack([pad, p, pad])
        window = [padded[k : k + n] for k in range(2 * CONTEXT + 1)]
        prev_mean = sent_mean[si - 1] if si > 0 else np.zeros(n_roles)
        next_mean = sent_mean[si + 1] if si + 1 < len(probs) else np.zeros(n_roles)
        # running share of message-like tokens before and after each token in the sentence
        msg = p[:, 2] if n else np.zeros(0)
        before = np.concatenate([[0.0], np.cumsum(msg)[:-1]]) / np.maximum(np.arange(n), 1)
        after_sum = np.cumsum(msg[::-1])[::-1] - msg
        after = after_sum / np.maximum(np.arange(n)[::-1], 1)
        rows = np.hstack(
            window
            + [
                np.tile(sent_mean[si], (n, 1)),
                np.tile(sent_max[si], (n, 1)),
                np.tile(prev_mean, (n, 1)),
                np.tile(next_mean, (n, 1)),
                before[:, None],
                after[:, None],
            ]
        )
        out.append(rows.astype(np.float32))
    return out


class QuoteTagger:
    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ModelError(f"the quote model is missing at {path}; run `newsaudit train quotes`")
        try:
            data = np.load(path, allow_pickle=False)
            self.vocab = {str(f): i for i, f in enumerate(data["vocab"])}
            self.coef = data["coef"].astype(np.float32)
            self.intercept = data["intercept"].astype(np.float32)
            self.w1 = data["w1"].astype(np.float32)
            self.b1 = data["b1"].astype(np.float32)
            self.w2 = data["w2"].astype(np.float32)
            self.b2 = data["b2"].astype(np.float32)
            self.thresholds = data["thresholds"].astype(np.float32)
            self.cue_words = frozenset(str(w) for w in data["cue_words"])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"the quote model at {path} is broken: {exc}") from exc

    def stage1(self, sentences: list[list[str]]) -> list[np.ndarray]:
        from scipy.sparse import csr_matrix

        vocab = self.vocab
        # Feature strings are mapped to column numbers sentence by sentence: a long article
        # would otherwise hold some 40 strings per token at once.
        indptr, indices, lengths = array("q", [0]), array("i"), []
        for rows in iter_sentence_features(sentences, self.cue_words):
            lengths.append(len(rows))
            for row in rows:
                indices.extend(vocab[f] for f in row if f in vocab)
                indptr.append(len(indices))
        X = csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.asarray(indices), np.asarray(indptr)),
            shape=(len(indptr) - 1, len(vocab)),
        )
        scores = sigmoid(X @ self.coef + self.intercept)
        bounds = np.cumsum([0, *lengths])
        return [scores[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def probabilities(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """Per sentence an (n_tokens, 4) array of Cue/Source/Message/Addr probabilities."""
        if not sentences:
            return []
        first = self.stage1(sentences)
        ctx = context_features(first)
        out = []
        for c in ctx:
            hidden = np.maximum(np.einsum("nf,rfh->rnh", c, self.w1) + self.b1[:, None, :], 0.0)
            out.append(sigmoid(np.einsum("rnh,rh->nr", hidden, self.w2) + self.b2))
        return out

    def find(self, sentences: list[list[str]], language: str | None = "de") -> list[FoundQuote]:
        probs = self.probabilities(sentences)
        tags = [p >= self.thresholds for p in probs]
        if language == "en":
            english_rules(sentences, tags)
        return assemble(sentences, tags, probs)
