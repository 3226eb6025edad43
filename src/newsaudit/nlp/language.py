"""Language identification with lingua, restricted to the languages newsaudit serves."""

from __future__ import annotations

from functools import lru_cache

SUPPORTED = ("de", "en", "fr", "it", "pl", "ru", "es", "nl", "pt")
_SAMPLE_CHARS = 3000
_MIN_LETTERS = 10
# Below this the best guess is no more likely than all the others together: undetermined.
# (Arabic or Chinese text scores 0.0 for every language served and came out as "nl".)
MIN_CONFIDENCE = 0.5


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and confidence; no code when the text is too short to tell or the best
    guess is below :data:`MIN_CONFIDENCE` (then the confidence says how unsure it was)."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None, 0.0
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None, 0.0
    best = values[0]
    confidence = round(float(best.value), 4)
    if confidence < MIN_CONFIDENCE:
        return None, confidence
    return best.language.iso_code_639_1.name.lower(), confidence
