"""Check-worthiness of a sentence: a logistic head over multilingual-e5-small's frozen word
piece states (mean over the sentence's pieces, each of the four layer groups).

WHY frozen states and not a fine-tuned encoder: the head trained on English debate sentences
scores the English dev split at F1 0.905 (MODEL_CARD.md), ships as 6 KB instead of another
22 MB encoder, and in an article it reads the piece states the techniques analyzer computes
for each paragraph anyway, so a claim costs no encoder pass of its own. WHY it carries over
to German: e5 aligns languages in the same space, and the head sees no words, only states.
The head is linear in the mean state, so each piece's share of the logit is exact: the
words that weighed most are the reason given for a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from newsaudit.errors import ModelError
from newsaudit.numeric import sigmoid

if TYPE_CHECKING:
    from newsaudit.encoder.embedder import Encoded

REASON_WORDS = 3
MAX_CHARS = 2000
_EDGE = "\"'„“”«»‚‘’()[]{}.,;:!?…–—-"


@dataclass(frozen=True)
class Worthiness:
    """A probability that the text holds a claim worth checking, and the words (with their
    share of the logit) that raised it most."""

    probability: float
    words: list[tuple[str, float]]


class CheckworthinessModel:
    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ModelError(
                f"the check-worthiness model is missing at {path}; "
                "run `newsaudit train checkworthiness`"
            )
        try:
            with np.load(path, allow_pickle=False) as data:
                self.weights = data["weights"].astype(np.float32)  # (groups, hidden)
                self.bias = float(data["bias"])
                self.threshold = float(data["threshold"])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"the check-worthiness model at {path} is broken: {exc}") from exc

    def piece_logits(self, states: np.ndarray) -> np.ndarray:
        """Each piece's term of the logit before averaging: (pieces,) for (pieces, groups,
        hidden) states."""
        flat = np.asarray(states.reshape(len(states), -1), dtype=np.float32)
        return flat @ self.weights.reshape(-1)

    def score(
        self, encoded: Encoded, text: str, start: int = 0, end: int | None = None
    ) -> Worthiness:
        """Score the pieces of ``encoded`` (an encoding of ``text``) whose words overlap
        ``text[start:end]``; the whole text by default."""
        return self.score_pieces(self.piece_logits(encoded.states), encoded.spans, text, start, end)

    def score_pieces(
        self,
        logits: np.ndarray,
        spans: np.ndarray,
        text: str,
        start: int = 0,
        end: int | None = None,
    ) -> Worthiness:
        """:meth:`score` from the pieces' :meth:`piece_logits` and word spans (offsets into
        ``text``), which is all an article's paragraph encodings keep for this head."""
        end = len(text) if end is None else end
        inside = np.flatnonzero((spans[:, 0] < end) & (spans[:, 1] > start))
        if len(inside) == 0:
            return Worthiness(0.0, [])
        terms = logits[inside] / len(inside)
        probability = float(sigmoid(np.float64(self.bias + terms.sum())))
        by_word: dict[tuple[int, int], float] = {}
        for (a, b), term in zip(spans[inside].tolist(), terms.tolist(), strict=True):
            by_word[(a, b)] = by_word.get((a, b), 0.0) + term
        top = sorted(by_word.items(), key=lambda kv: -kv[1])[:REASON_WORDS]
        return Worthiness(
            probability, [(_word(text, a, b), round(t, 3)) for (a, b), t in top if t > 0]
        )

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Probability of Yes for each text, each encoded on its own (benchmark use)."""
        from newsaudit.encoder.embedder import Embedder

        embedder = Embedder()
        return np.array(
            [self.score(embedder.encode(t[:MAX_CHARS]), t[:MAX_CHARS]).probability for t in texts],
            dtype=np.float32,
        )

    def predict(self, texts: list[str]) -> list[str]:
        return ["Yes" if p >= self.threshold else "No" for p in self.predict_proba(texts)]


def _word(text: str, start: int, end: int) -> str:
    return text[start:end].strip(_EDGE)
