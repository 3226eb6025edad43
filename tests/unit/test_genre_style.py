"""The German genre cues: rates per 100 words, in STYLE_NAMES order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.analyzers.genre_style import STYLE_NAMES, style_features


def _cue(text: str, name: str) -> float:
    return float(style_features(text)[STYLE_NAMES.index(name)])


def test_reporting_cues_count_attribution_and_konjunktiv() -> None:
    text = "Der Minister sagte, die Lage sei ernst. Laut Polizei habe es zwei Verletzte gegeben."
    words = len(text.split())
    assert _cue(text, "attribution") == pytest.approx(2 * 100 / words)
    assert _cue(text, "konjunktiv_i") == pytest.approx(2 * 100 / words)
    assert _cue(text, "first_person") == 0.0


def test_satire_cues_count_the_postillon_tag_questions_and_exclamations() -> None:
    text = "Berlin (dpo) - Wer hätte das gedacht? Wir jedenfalls nicht!"
    assert _cue(text, "postillon_tag") > 0
    assert _cue(text, "agency_tag") > 0
    assert _cue(text, "questions") > 0
    assert _cue(text, "exclamations") > 0
    assert _cue(text, "first_person") > 0


def test_paragraphs_are_non_empty_lines() -> None:
    text = "Titel\n\nErster Absatz hier.\n\nZweiter Absatz hier."
    assert _cue(text, "log_paragraphs") == np.float32(np.log1p(3))


@given(st.text(max_size=300))
def test_any_text_gives_finite_features_of_the_right_length(text: str) -> None:
    values = style_features(text)
    assert values.shape == (len(STYLE_NAMES),)
    assert np.isfinite(values).all()
