"""Article genre (opinion, reporting, satire) and frames (14, multi-label).

Uses the techniques model's TF-IDF of the whole article, the German style cues, and an e5
view of the article from its paragraphs' pooled encodings (the Context's, shared with the
other analyzers).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from newsaudit.analyzers.base import Context
from newsaudit.analyzers.techniques import PersuasionModelAnalyzer
from newsaudit.report.model import Frame, Genre


class GenreFramesAnalyzer(PersuasionModelAnalyzer):
    name: ClassVar[str] = "genre_frames"
    version: ClassVar[str] = "0.2"
    assigns: ClassVar[tuple[str, ...]] = ("genre", "frames")

    @property
    def model_name(self) -> str | None:
        return "techniques-semeval2023 (genre, frames)"

    def analyze(self, context: Context) -> dict[str, Any]:
        document = context.document
        language = document.language
        model = self._model
        texts = [document.text[b.start : b.end] for b in document.analysable_blocks]
        if not any(t.strip() for t in texts):
            return {"genre": None, "frames": []}
        encodings = list(context.encodings)
        article = "\n".join(texts)
        features = model.article_features(article, language)
        genre_scores = model.genre_scores(article, language, encodings, features)
        genre = Genre(
            label=model.genres[int(np.argmax(genre_scores))],
            scores={g: round(float(s), 4) for g, s in zip(model.genres, genre_scores, strict=True)},
        )
        frame_scores = model.frame_scores(article, language, encodings, features)
        thresholds = model.group(language).frame_thresholds
        frames = [
            Frame(label=label, score=round(float(score), 4))
            for label, score, threshold in zip(model.frames, frame_scores, thresholds, strict=True)
            if score >= threshold
        ]
        frames.sort(key=lambda f: -f.score)
        return {"genre": genre, "frames": frames}
