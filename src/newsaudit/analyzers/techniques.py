"""Persuasion techniques per paragraph (SemEval-2023 Task 3 taxonomy), with evidence.

Each analysable paragraph (or window of a long line) is scored by the packaged model (TF-IDF
heads and an attention head over e5's word pieces, tuned per-technique thresholds). Each flag
gets a calibrated probability and a level (``analyzers/technique_calibration.py``). For each
technique over its threshold, the attention head's piece scores, trained on the annotated
character spans, rank the paragraph's sentences: the best sentence (and a close second)
become the evidence, with the words that scored highest in it as cues.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.report.model import Evidence, TechniqueFlag

SUPPORTED = frozenset({"de", "en", "fr", "it", "pl", "ru"})


class PersuasionModelAnalyzer(Analyzer):
    """An analyzer over the packaged persuasion model: one file serves the techniques and
    the genre/frames analyzers, loaded once per process."""

    languages: ClassVar[frozenset[str] | None] = SUPPORTED

    def load(self) -> None:
        from newsaudit.models import techniques

        self._model = techniques.load()


class TechniqueAnalyzer(PersuasionModelAnalyzer):
    name: ClassVar[str] = "techniques"
    version: ClassVar[str] = "0.3"
    assigns: ClassVar[tuple[str, ...]] = ("techniques",)

    @property
    def model_name(self) -> str | None:
        return "techniques-semeval2023"

    def piece_reader(self, language: str | None) -> Any:
        return self._model.piece_reader(language)

    def analyze(self, context: Context) -> dict[str, Any]:
        from newsaudit.analyzers.technique_definitions import definition
        from newsaudit.analyzers.technique_model import sentence_scores, word_scores

        document = context.document
        language = document.language
        model = self._model
        blocks = document.analysable_blocks
        texts = [document.text[b.start : b.end] for b in blocks]
        if not texts:
            return {"techniques": []}

        sentences_of: dict[int, list[tuple[int, int]]] = {}
        for span, block_index in zip(
            context.layer.sentences, context.layer.sentence_block, strict=True
        ):
            sentences_of.setdefault(block_index, []).append(span)
        encodings = context.encodings  # one row per analysable block
        reader = model.piece_reader(language)
        reads = [encodings.read(row, self.name, reader) for row in range(len(blocks))]
        scores, piece_scores = model.score_paragraphs(texts, language, reads=reads)
        thresholds = model.thresholds(language)
        over, probabilities, strong = model.flag_levels(scores, language, texts)
        flags: list[TechniqueFlag] = []
        for row, block in enumerate(blocks):
            hits = np.flatnonzero(over[row])
            encoded, pieces = encodings[row], piece_scores[row]
            if len(hits) == 0 or encoded is None or pieces is None:
                continue
            sentences = sentences_of.get(block.index) or [(block.start, block.end)]
            words, word_probs = word_scores(pieces, encoded.spans + block.start)
            ranked = sentence_scores(words, word_probs, sentences)
            for j in hits:
                technique = model.techniques[j]
                probability = None
                if probabilities is not None:
                    probability = round(float(probabilities[row, j]), 4)
                flags.append(
                    TechniqueFlag(
                        start=block.start,
                        end=block.end,
                        text=document.text[block.start : block.end],
                        technique=technique,
                        paragraph=block.index,
                        score=round(float(scores[row, j]), 4),
                        threshold=round(float(thresholds[j]), 4),
                        probability=probability,
                        level="strong" if strong is not None and strong[row, j] else "possible",
                        evidence=_evidence(
                            document.text,
                            sentences,
                            ranked[:, j],
                            words,
                            word_probs[:, j],
                            language,
                        ),
                        definition=definition(technique, "en"),
                        definition_de=definition(technique, "de"),
                    )
                )
        flags += _repetition(context, blocks)
        flags.sort(key=lambda f: (f.paragraph, -(f.probability or 0.0), -f.score))
        return {"techniques": flags}


def _repetition(context: Context, blocks: list) -> list[TechniqueFlag]:
    """Repetition flags (article level): phrases repeated across paragraphs, names aside."""
    from newsaudit.analyzers.repetition import repetition_flags

    document = context.document
    names = [(e.start, e.end) for e in context.results.get("entities", []) or []]
    title = next(((b.start, b.end) for b in blocks if b.role == "title"), None)
    return repetition_flags(document.text, blocks, document.language, names, title)


_EDGE_PUNCTUATION = "\"'„“”«»‚‘’()[]{}.,;:!?…–—-"


def _evidence(
    text: str,
    sentences: list[tuple[int, int]],
    sentence_scores: np.ndarray,
    words: np.ndarray,
    word_scores: np.ndarray,
    language: str | None,
) -> list[Evidence]:
    """The best sentence, plus the runner-up when it scores nearly as high, each with its
    highest-scoring words as cues."""
    order = np.argsort(-sentence_scores, kind="stable")
    chosen = [int(order[0])]
    if len(order) > 1 and sentence_scores[order[1]] >= 0.8 * sentence_scores[order[0]]:
        chosen.append(int(order[1]))
    out = []
    for i in sorted(chosen):
        start, end = sentences[i]
        out.append(
            Evidence(
                start=start,
                end=end,
                text=text[start:end],
                score=round(float(sentence_scores[i]), 4),
                cues=evidence_cues(text, words, word_scores, start, end, language),
            )
        )
    return out


def evidence_cues(
    text: str,
    words: np.ndarray,
    scores: np.ndarray,
    start: int,
    end: int,
    language: str | None,
    k: int = 3,
) -> list[str]:
    """Up to ``k`` words of the sentence with the highest piece scores, in the order of
    their scores; stop words and very short words are never a reason."""
    from newsaudit.nlp.tokens import stop_words

    stop = stop_words(language)
    out: list[str] = []
    inside = np.flatnonzero((words[:, 0] >= start) & (words[:, 0] < end))
    for i in inside[np.argsort(-scores[inside], kind="stable")]:
        word = text[words[i, 0] : words[i, 1]].strip(_EDGE_PUNCTUATION)
        if len(word) < 3 or word.lower() in stop or word in out:
            continue
        out.append(word)
        if len(out) == k:
            break
    return out
