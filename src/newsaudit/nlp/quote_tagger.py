"""The quote tagger: per-token Cue/Source/Message/Addr probabilities from the packaged model.

Stage 1 is a logistic regression per role over sparse surface features
(``newsaudit.nlp.speech``); stage 2, a small bidirectional LSTM over each sentence,
re-scores each token from the stage-1 scores of its neighbours and of its sentence, which
smooths spans into clause-sized messages, and from the token's e5 state reduced by a learnt
projection (PCA):
WHY e5: most missed speakers were never tagged at all, a surface feature cannot tell "laut
X" or a role phrase far from the verb, and the paragraph's e5 states are computed for the
other analyzers anyway (``analyzers.quote_states``). Both stages are plain numpy at
inference. ``nlp.quote_assembly`` turns the tagged tokens into quotes.
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


def lstm(
    inputs: list[np.ndarray], wi: np.ndarray, wh: np.ndarray, b: np.ndarray
) -> list[np.ndarray]:
    """One LSTM direction over each sentence's (n, d) inputs: the (n, hidden) outputs, with
    PyTorch's gate order (input, forget, cell, output) and weight layout. All sentences step
    together (padded at their ends, which later steps of a sentence never read), so an
    article costs as many steps as its longest sentence has tokens."""
    hidden = wh.shape[1]
    lengths = [len(x) for x in inputs]
    steps = max(lengths, default=0)
    gates_in = np.zeros((len(inputs), steps, 4 * hidden), np.float32)
    for row, x in enumerate(inputs):
        gates_in[row, : len(x)] = x @ wi.T + b
    h = np.zeros((len(inputs), hidden), np.float32)
    c = np.zeros((len(inputs), hidden), np.float32)
    out = np.empty((len(inputs), steps, hidden), np.float32)
    for t in range(steps):
        g = gates_in[:, t] + h @ wh.T
        i, f = sigmoid(g[:, :hidden]), sigmoid(g[:, hidden : 2 * hidden])
        c = f * c + i * np.tanh(g[:, 2 * hidden : 3 * hidden])
        h = sigmoid(g[:, 3 * hidden :]) * np.tanh(c)
        out[:, t] = h
    return [out[row, :n] for row, n in enumerate(lengths)]


class QuoteTagger:
    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ModelError(f"the quote model is missing at {path}; run `newsaudit train quotes`")
        try:
            data = np.load(path, allow_pickle=False)
            self.vocab = {f: i for i, f in enumerate(data["vocab"].tolist())}
            self.coef = data["coef"].astype(np.float32)
            self.intercept = data["intercept"].astype(np.float32)
            self.input_mean = data["input_mean"].astype(np.float32)
            self.input_scale = data["input_scale"].astype(np.float32)
            self.lstm = [
                tuple(data[f"lstm_{d}_{part}"].astype(np.float32) for part in ("wi", "wh", "b"))
                for d in ("forward", "backward")
            ]
            self.out_w = data["out_w"].astype(np.float32)
            self.out_b = data["out_b"].astype(np.float32)
            self.thresholds = data["thresholds"].astype(np.float32)
            self.cue_words = frozenset(str(w) for w in data["cue_words"])
            self.state_mean = data["state_mean"].astype(np.float32)
            self.state_projection = data["state_projection"].astype(np.float32)
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

    @property
    def state_dims(self) -> int:
        """How many e5 dimensions stage 2 reads per token."""
        return self.state_projection.shape[1]

    def project(self, states: np.ndarray) -> np.ndarray:
        """A paragraph's (pieces, groups, hidden) e5 piece states reduced to the
        (pieces, state_dims) features stage 2 reads: the shared encodings' piece reader.
        Linear, so the mean over a word's pieces is the projection of their mean state."""
        flat = np.asarray(states.reshape(len(states), -1), dtype=np.float32)
        return ((flat - self.state_mean) @ self.state_projection).astype(np.float16)

    def probabilities(
        self, sentences: list[list[str]], states: list[np.ndarray] | None = None
    ) -> list[np.ndarray]:
        """Per sentence an (n_tokens, 4) array of Cue/Source/Message/Addr probabilities.
        ``states`` are the tokens' projected e5 states per sentence; a token without one
        (no states given, a paragraph that was not encoded) reads zeros, the mean state."""
        if not sentences:
            return []
        first = self.stage1(sentences)
        ctx = context_features(first)
        if states is None:
            states = [np.zeros((len(s), self.state_dims), np.float32) for s in sentences]
        xs = [
            (np.hstack([c, e.astype(np.float32)]) - self.input_mean) / self.input_scale
            for c, e in zip(ctx, states, strict=True)
        ]
        forward = lstm(xs, *self.lstm[0])
        backward = [h[::-1] for h in lstm([x[::-1] for x in xs], *self.lstm[1])]
        return [
            sigmoid(np.hstack([f, r, x]) @ self.out_w.T + self.out_b)
            for f, r, x in zip(forward, backward, xs, strict=True)
        ]

    def find(
        self,
        sentences: list[list[str]],
        language: str | None = "de",
        states: list[np.ndarray] | None = None,
    ) -> list[FoundQuote]:
        probs = self.probabilities(sentences, states)
        tags = [p >= self.thresholds for p in probs]
        if language == "en":
            english_rules(sentences, tags)
        return assemble(sentences, tags, probs)
