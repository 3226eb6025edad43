"""Language identification with lingua, restricted to the languages newsaudit serves."""

from __future__ import annotations

from functools import lru_cache

SUPPORTED = ("de", "en", "fr", "it", "pl", "ru", "es", "nl", "pt")
_SAMPLE_CHARS = 3000
_MIN_LETTERS = 10


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code and confidence; ``(None, 0.0)`` when the text is too short to tell."""
    sample = text[:_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None, 0.0
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None, 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(float(best.value), 4)
