"""The techniques and genre/frames analyzers on a short hand-written German article."""

from __future__ import annotations

import pytest

from newsaudit.analyzers.genre_frames import GenreFramesAnalyzer
from newsaudit.analyzers.technique_definitions import DEFINITIONS
from newsaudit.analyzers.techniques import TechniqueAnalyzer
from newsaudit.api import analyze
from newsaudit.pipeline import Pipeline

ARTICLE = (
    "Die korrupte Regierung verrät das eigene Volk\n\n"
    "Diese skrupellosen Verbrecher in Berlin lügen uns jeden Tag ins Gesicht. "
    "Sie sind nichts als Marionetten Washingtons, ein Haufen Verräter.\n\n"
    "Am Dienstag stellte das Ministerium seinen Haushaltsentwurf vor. "
    "Er sieht Ausgaben von 450 Milliarden Euro vor.\n\n"
    "Wer jetzt noch schweigt, macht sich mitschuldig an der Zerstörung unseres Landes!"
)


@pytest.fixture(scope="module")
def report():
    return analyze(ARTICLE, pipeline=Pipeline([TechniqueAnalyzer(), GenreFramesAnalyzer()]))


def test_flags_point_at_their_paragraph_and_evidence_inside_it(report) -> None:
    assert report.language == "de"
    assert report.techniques, "the name-calling paragraph should be flagged"
    paragraphs = {p.index: p for p in report.paragraphs}
    for flag in report.techniques:
        assert report.text[flag.start : flag.end] == flag.text
        paragraph = paragraphs[flag.paragraph]
        assert (flag.start, flag.end) == (paragraph.start, paragraph.end)
        assert flag.score >= flag.threshold
        assert flag.definition and flag.definition_de
        assert flag.evidence
        for evidence in flag.evidence:
            assert report.text[evidence.start : evidence.end] == evidence.text
            assert flag.start <= evidence.start < evidence.end <= flag.end
            assert evidence.cues
            for cue in evidence.cues:
                assert cue in evidence.text


def test_insults_are_flagged_and_the_budget_paragraph_is_quieter(report) -> None:
    insults = report.text.index("Diese skrupellosen")
    flagged = {f.technique for f in report.techniques if f.start <= insults < f.end}
    assert flagged & {"Loaded_Language", "Name_Calling-Labeling", "Questioning_the_Reputation"}
    budget = report.text.index("Am Dienstag")
    budget_flags = [f for f in report.techniques if f.start <= budget < f.end]
    assert len(budget_flags) < len([f for f in report.techniques if f.start <= insults < f.end])


BUDGET = (
    "Stadtrat beschließt den Haushalt\n\n"
    "Der Stadtrat hat am Dienstag den Haushalt für 2024 beschlossen. Er sieht Ausgaben von "
    "450 Millionen Euro vor, davon 80 Millionen für Schulen. Die Opposition stimmte dagegen.\n\n"
    "Die Verwaltung teilte mit, die Mittel würden ab März ausgezahlt. Der Kämmerer sagte, die "
    "Rücklagen reichten bis 2026."
)


def test_genre_and_frames_tell_a_tirade_from_a_budget_report(report) -> None:
    budget = analyze(BUDGET, pipeline=Pipeline([GenreFramesAnalyzer()]))
    assert report.genre is not None and budget.genre is not None
    assert abs(sum(report.genre.scores.values()) - 1.0) < 1e-3
    assert report.genre.scores["opinion"] > 2 * budget.genre.scores["opinion"]
    assert budget.genre.scores["reporting"] > report.genre.scores["reporting"] + 0.1
    assert report.frames[0].label == "Political"
    assert "Economic" in {f.label for f in budget.frames}
    assert "Economic" not in {f.label for f in report.frames}


def test_every_technique_has_both_definitions() -> None:
    from newsaudit.models import techniques

    for technique in techniques.load().techniques:
        english, german = DEFINITIONS[technique]
        assert english and german


def test_unsupported_language_is_skipped_with_a_note() -> None:
    from newsaudit.document import Block, Document

    text = "Dit is een korte tekst."
    document = Document(id="nl", text=text, language="nl", blocks=[Block(0, 0, len(text))])
    report = Pipeline([TechniqueAnalyzer()]).run(document)
    assert report.techniques == []
    assert report.analyzers[0].status == "skipped"


ENGLISH = (
    "These corrupt traitors in Washington lie to us every single day.\n\n"
    "On Tuesday the ministry presented its draft budget of 450 billion dollars."
)


def test_english_uses_the_multilingual_attention_head_with_its_own_choices() -> None:
    from newsaudit.models import techniques

    model = techniques.load()
    group = model.groups["multi"]
    assert group.attention is not model.groups["de"].attention
    assert group.mix("en").attention > 0
    assert set(group.language_thresholds) == {"en", "fr", "it", "pl", "ru"}
    assert set(group.language_mix) == {"en"} and group.mix("fr") == group.default_mix
    report = analyze(ENGLISH, pipeline=Pipeline([TechniqueAnalyzer()]))
    assert report.language == "en"
    flagged = {flag.paragraph for flag in report.techniques}
    assert flagged and min(flagged) == 0, [(f.technique, f.paragraph) for f in report.techniques]
    calibrator = model.calibrator("en")
    assert calibrator is not None and calibrator is not model.calibrator("de")
    for flag in report.techniques:
        if flag.technique != "Repetition":
            assert flag.probability is not None
            assert flag.level == ("strong" if flag.probability >= calibrator.strong else "possible")


def test_german_flags_carry_a_calibrated_probability_and_a_level(report) -> None:
    from newsaudit.models import techniques

    calibrator = techniques.load().calibrator("de")
    assert calibrator is not None
    for flag in report.techniques:
        assert flag.probability is not None and 0.0 <= flag.probability <= 1.0
        assert flag.level == ("strong" if flag.probability >= calibrator.strong else "possible")
    insults = report.text.index("Diese skrupellosen")
    assert any(f.level == "strong" for f in report.techniques if f.start <= insults < f.end), [
        (f.technique, f.probability) for f in report.techniques
    ]


def test_persuasion_summarises_the_flags_of_the_article() -> None:
    from newsaudit.analyzers.persuasion import PersuasionAnalyzer

    report = analyze(ARTICLE, pipeline=Pipeline([TechniqueAnalyzer(), PersuasionAnalyzer()]))
    p = report.persuasion
    assert p is not None and p.all == len(report.techniques)
    assert p.strong == sum(f.level == "strong" for f in report.techniques)
    assert p.words == 55
    assert p.all_per_1000_words == round(1000 * p.all / p.words, 2)
    assert p.paragraphs and report.text[p.paragraphs[0].start : p.paragraphs[0].end] == (
        p.paragraphs[0].text
    )
    assert p.percentile is not None and p.reference


def test_a_text_without_paragraph_breaks_is_scored_window_by_window() -> None:
    sentence = (
        "Diese skrupellosen Verbrecher in Berlin lügen uns jeden Tag ins Gesicht. "
        "Am Dienstag stellte das Ministerium seinen Haushaltsentwurf vor. "
    )
    text = sentence * 12
    report = analyze(text, pipeline=Pipeline([TechniqueAnalyzer()]))
    windows = {p.index: p for p in report.paragraphs if p.window}
    assert len(windows) >= 4
    paragraph_flags = [f for f in report.techniques if f.technique != "Repetition"]
    assert paragraph_flags  # Repetition is article-level: its span is the repeated phrase
    for flag in paragraph_flags:
        window = windows[flag.paragraph]
        assert (flag.start, flag.end) == (window.start, window.end)
        assert flag.end - flag.start <= 600
