"""The persuasion summary: rates per 1,000 words, dominant techniques, where, how unusual."""

from __future__ import annotations

import pytest

from newsaudit.analyzers.persuasion import count_words, percentile_of, summarise
from newsaudit.report.model import TechniqueFlag

TEXT = (
    "Der Rat tagte am Montag.\n\n"
    "Diese Verräter lügen uns an, diese Marionetten!\n\n"
    "Wer schweigt, macht sich mitschuldig."
)


def _flag(paragraph: str, technique: str, level: str, probability: float) -> TechniqueFlag:
    start = TEXT.index(paragraph)
    end = start + len(paragraph)
    return TechniqueFlag(
        start=start,
        end=end,
        text=TEXT[start:end],
        technique=technique,
        paragraph=TEXT[:start].count("\n\n"),
        score=probability,
        probability=probability,
        level=level,
    )


INSULT = "Diese Verräter lügen uns an, diese Marionetten!"
FLAGS = [
    _flag("Der Rat tagte am Montag.", "Doubt", "possible", 0.2),
    _flag(INSULT, "Name_Calling-Labeling", "strong", 0.8),
    _flag(INSULT, "Loaded_Language", "strong", 0.7),
    _flag("Wer schweigt, macht sich mitschuldig.", "Name_Calling-Labeling", "possible", 0.4),
]


def test_words_are_counted_as_a_reader_would() -> None:
    assert count_words("Die US-kontrollierte Miliz, sagte er: „Nein!“") == 6
    assert count_words("") == 0


def test_rates_dominant_techniques_and_paragraphs() -> None:
    reference = {"name": "everyday news", "strong_per_1000_words": [0.0, 0.0, 10.0, 50.0, 200.0]}
    p = summarise(TEXT, FLAGS, count_words(TEXT), reference)
    assert p.words == 17 and (p.strong, p.all) == (2, 4)
    assert p.strong_per_1000_words == pytest.approx(117.65)
    assert p.all_per_1000_words == pytest.approx(235.29)
    assert [(d.technique, d.strong, d.all) for d in p.dominant] == [
        ("Name_Calling-Labeling", 1, 2),
        ("Loaded_Language", 1, 1),
        ("Doubt", 0, 1),
    ]
    assert [q.paragraph for q in p.paragraphs] == [1, 2, 0]
    for q in p.paragraphs:
        assert TEXT[q.start : q.end] == q.text
    assert p.paragraphs[0].techniques == ["Name_Calling-Labeling", "Loaded_Language"]
    assert p.percentile == 80.0 and not p.unusual and p.reference == "everyday news"


def test_an_article_above_nine_tenths_of_the_reference_is_unusual() -> None:
    reference = {"name": "r", "strong_per_1000_words": [0.0] * 95 + [500.0] * 5}
    assert summarise(TEXT, FLAGS, 16, reference).unusual
    quiet = summarise(TEXT, [FLAGS[0]], 16, reference)
    assert quiet.strong == 0 and quiet.percentile == pytest.approx(47.5) and not quiet.unusual


def test_no_flags_no_words_and_no_reference_never_fail() -> None:
    p = summarise("", [], 0, None)
    assert (p.strong, p.all, p.strong_per_1000_words, p.percentile) == (0, 0, 0.0, None)
    assert p.dominant == [] and p.paragraphs == []
    assert percentile_of(1.0, []) == 0.0
