"""SentencePiece unigram segmentation of single words, as multilingual-e5 does it.

WHY word by word: the NER reads the text layer's tokens (or a benchmark's given tokens),
so each word is segmented on its own, "▁" + word, and a label is predicted from the word's
first piece. Results are cached: news repeats its words.
"""

from __future__ import annotations

from functools import cache, lru_cache

from newsaudit.encoder.weights import Vocabulary, read_e5

METASPACE = "\u2581"
MAX_PIECE_CHARS = 24


class WordPieces:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.unk_score = float(vocabulary.scores.min()) - 10.0
        self.segment = lru_cache(maxsize=200_000)(self._segment)

    def normalised(self, word: str) -> str:
        table = self.vocabulary.normalise
        return "".join(table.get(ch, ch) for ch in word).replace(" ", "")

    def _segment(self, word: str) -> tuple[int, ...]:
        """Viterbi over the unigram pieces; unknown single characters fall back to <unk>."""
        text = METASPACE + self.normalised(word)
        pieces, scores = self.vocabulary.pieces, self.vocabulary.scores
        n = len(text)
        best = [0.0] + [float("-inf")] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for i in range(n):
            if best[i] == float("-inf"):
                continue
            for e in range(i + 1, min(n, i + MAX_PIECE_CHARS) + 1):
                idx = pieces.get(text[i:e])
                if idx is not None and idx != self.vocabulary.unk:
                    score = best[i] + float(scores[idx])
                    if score > best[e]:
                        best[e], back[e] = score, (i, idx)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.vocabulary.unk)
        ids: list[int] = []
        e = n
        while e > 0:
            i, idx = back[e]
            ids.append(idx)
            e = i
        ids.reverse()
        return tuple(ids)


@cache
def word_pieces() -> WordPieces:
    """One segmenter, and so one word cache, per process for every e5 model."""
    return WordPieces(read_e5(with_layers=False).vocabulary)
