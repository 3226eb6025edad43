"""Repetition: phrases repeated across paragraphs, as technique flags with every occurrence."""

from __future__ import annotations

import pytest

from newsaudit.analyzers.base import Context
from newsaudit.analyzers.techniques import TechniqueAnalyzer
from newsaudit.errors import ModelError
from newsaudit.ingest import document_from_text
from newsaudit.models import repetition
from newsaudit.nlp.repetition import repeated_phrases
from newsaudit.nlp.tokens import build_text_layer

TEXT = (
    "Die Corona-Diktatur zeigt ihr Gesicht\n\n"
    "Die Regierung von Angela Merkel verlängert die Corona-Diktatur. Angela Merkel sagt, "
    "das sei nötig.\n\n"
    "Wer sich wehrt, wird bestraft. Die Corona-Diktatur kennt keine Gnade und keine Freiheit. "
    "Angela Merkel schweigt.\n\n"
    "Am Ende bleibt nur die Corona-Diktatur, und die Bürger zahlen dafür."
)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for part in text.split("\n\n"):
        out.append((start, start + len(part)))
        start += len(part) + 2
    return out


def test_repeated_phrase_has_every_occurrence_and_no_names_or_function_words():
    merkel = [
        (i, i + len("Angela Merkel"))
        for i in range(len(TEXT))
        if TEXT.startswith("Angela Merkel", i)
    ]
    found = repeated_phrases(TEXT, _paragraphs(TEXT), "de", excluded=merkel)
    by_key = {c.key: c for c in found}
    diktatur = by_key[("corona-diktatur",)]
    assert [TEXT[s:e] for s, e in diktatur.occurrences] == ["Corona-Diktatur"] * 4
    assert len(diktatur.paragraphs) == 4
    words = {w for c in found for w in c.key}
    assert "merkel" not in words and "angela" not in words  # names are the subject
    assert "die" not in words and "und" not in words  # function words never repeat a message


def test_a_word_twice_in_one_paragraph_is_no_candidate():
    text = "Der Hund bellt. Der Hund schläft.\n\nDie Katze miaut."
    assert not [c for c in repeated_phrases(text, _paragraphs(text), "de") if c.key == ("hund",)]


def test_repetition_flags_fit_the_technique_flag_model_and_offsets_hold():
    document = document_from_text(TEXT)
    context = Context(document=document, layer=build_text_layer(document))
    analyzer = TechniqueAnalyzer()
    analyzer.load()
    flags = analyzer.analyze(context)["techniques"]
    flagged = [f for f in flags if f.technique == "Repetition"]
    assert flagged, "the slogan repeated in every paragraph is flagged"
    flag = flagged[0]
    assert document.text[flag.start : flag.end] == flag.text == "Corona-Diktatur"
    assert len(flag.evidence) == 4
    for evidence in flag.evidence:
        assert document.text[evidence.start : evidence.end] == evidence.text
    assert flag.definition and flag.definition_de
    assert 0.0 < flag.score < 1.0 and flag.threshold == repetition.load().emit
    assert flag.probability == flag.score
    assert flag.level == "possible"  # no probability of this model reached 60% precision


def test_broken_repetition_model_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="missing"):
        repetition.read(tmp_path / "model.json")
    (tmp_path / "model.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be read"):
        repetition.read(tmp_path / "model.json")


def test_a_long_text_is_read_in_linear_time():
    """Regression: containment and paragraph lookups scanned every occurrence (a 1 MB text
    took three minutes)."""
    import time

    words = [f"wort{k % 997}" for k in range(60_000)]
    text = "\n".join(" ".join(words[i : i + 60]) + "." for i in range(0, len(words), 60))
    paragraphs = _paragraphs(text.replace("\n", "\n\n"))
    started = time.process_time()
    found = repeated_phrases(text.replace("\n", "\n\n"), paragraphs, "de")
    assert found and time.process_time() - started < 30


def test_a_phrase_never_runs_over_a_paragraph_boundary():
    """Windows of a text without breaks may cut a sentence: no occurrence may straddle two."""
    text = "rote Fahne weht rote Fahne weht rote Fahne weht"
    paragraphs = [(0, 15), (16, 31), (32, len(text))]
    for candidate in repeated_phrases(text, paragraphs, "de"):
        for (s, e), k in zip(candidate.occurrences, candidate.in_paragraph, strict=True):
            assert paragraphs[k][0] <= s and e <= paragraphs[k][1]
