"""The sample's credibility signals: the framings, the vague source and the outlet's own
conclusion, each with evidence on those words."""

from __future__ import annotations

import pytest

from newsaudit.api import analyze


@pytest.fixture(scope="module")
def signals(sample_path):
    report = analyze(sample_path)
    for signal in report.credibility.signals:
        for span in signal.spans:
            assert report.text[span.start : span.end] == span.text
    return report, {s.name: s for s in report.credibility.signals}


def test_direct_threat_and_admission_are_framings_linked_to_kirbys_quotes(signals):
    report, by_name = signals
    spans = {s.text: s for s in by_name["speech_framing"].spans}
    assert "direkte Drohung" in spans and "Eingeständnis" in spans
    for word in ("direkte Drohung", "Eingeständnis"):
        quote = report.quotes[spans[word].quote]
        assert "Kirby" in (quote.speaker_name or "") or "Konashenkov" in (quote.speaker_name or "")
    assert "Kirby" in report.quotes[spans["direkte Drohung"].quote].speaker_name
    # Konashenkov's own "Kirbys Drohungen" sits inside his quote: his words, not the outlet's
    assert "Drohungen" not in spans


def test_the_sample_scores_low_and_says_it_is_a_style_estimate(signals):
    report, by_name = signals
    credibility = report.credibility
    assert credibility.score is not None and credibility.score < 0.5
    assert "not a verdict" in credibility.note
    assert credibility.score_effects and "word_use" in by_name


def test_us_officials_are_a_vague_source(signals):
    _, by_name = signals
    assert "US-Beamte" in [s.text for s in by_name["vague_sources"].spans]


def test_the_outlets_own_conclusion_has_no_source(signals):
    _, by_name = signals
    texts = [s.text for s in by_name["unsupported_conclusions"].spans]
    assert texts == ["Dieser Schritt zeigt deutlich, dass"]
