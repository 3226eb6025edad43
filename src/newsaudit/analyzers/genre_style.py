"""Surface cues of German news genres, as rates per 100 words.

WHY: TF-IDF and the mean e5 vector say what an article is about; whether it reports,
argues or mocks shows more in how it is written. Reporting attributes ("sagte", "laut",
Konjunktiv I), opinion evaluates ("leider", "sogenannt"), satire addresses the reader,
asks and exclaims, and Der Postillon signs "(dpo)". German cues only: the heads that use
them are trained on German articles.
"""

from __future__ import annotations

import math
import re

import numpy as np

_CUE_WORDS = {
    "first_person": r"\b(ich|mir|mich|mein\w*|wir|uns|unser\w*)\b",
    "second_person": r"\b(du|dich|dir|dein\w*|ihr|euch|euer\w*)\b",
    "attribution": (
        r"\b(sagte|sagt|erklärte|erklärt|betonte|teilte|sprach|laut|zufolge|"
        r"berichtet\w*|mitteilte)\b"
    ),
    "konjunktiv_i": r"\b(sei|seien|habe|werde|könne|müsse|solle|wolle)\b",
    "modal": r"\b(muss|müssen|sollte|sollten|darf|dürfen)\b",
    "evaluative": (
        r"\b(leider|natürlich|offenbar|angeblich|sogenannt\w*|wohl|doch|eben|gar|freilich)\b"
    ),
}
_CUES = {name: re.compile(p, re.IGNORECASE) for name, p in _CUE_WORDS.items()}
_AGENCY = re.compile(r"\((dpa|afp|ap|reuters|dpo|kna|epd)\)|\bdpa\b|\bAFP\b")
_POSTILLON = re.compile(r"\(dpo\)")
_QUOTE_MARKS = ('"', "„", "“", "»", "«")

STYLE_NAMES = (
    *_CUE_WORDS,
    "agency_tag",
    "postillon_tag",
    "questions",
    "exclamations",
    "quote_marks",
    "digits_per_100_chars",
    "log_words",
    "log_paragraphs",
    "words_per_paragraph_50",
)


def style_features(text: str) -> np.ndarray:
    """The cue rates of ``text`` in the order of ``STYLE_NAMES``; paragraphs are
    non-empty lines."""
    words = max(1, len(text.split()))
    paragraphs = max(1, sum(1 for line in text.split("\n") if line.strip()))
    per_100 = 100 / words
    values = [len(p.findall(text)) * per_100 for p in _CUES.values()]
    values += [
        len(_AGENCY.findall(text)) * per_100,
        len(_POSTILLON.findall(text)) * per_100,
        text.count("?") * per_100,
        text.count("!") * per_100,
        sum(text.count(q) for q in _QUOTE_MARKS) * per_100,
        sum(ch.isdigit() for ch in text) * 100 / max(1, len(text)),
        math.log1p(words),
        math.log1p(paragraphs),
        words / paragraphs / 50,
    ]
    return np.array(values, dtype=np.float32)
