"""Strong flags by default, possible ones on request: terminal, HTML page and service page."""

from __future__ import annotations

from newsaudit.api import analyze
from newsaudit.pipeline import Pipeline
from newsaudit.report.model import Persuasion, TechniqueFlag

TEXT = "Diese Verbrecher lügen. Der Haushalt steht."


def _report():
    report = analyze(TEXT, pipeline=Pipeline([]))

    def flag(technique: str, level: str, probability: float) -> TechniqueFlag:
        return TechniqueFlag(
            start=0,
            end=23,
            text=TEXT[:23],
            technique=technique,
            paragraph=0,
            score=0.5,
            probability=probability,
            level=level,
        )

    persuasion = Persuasion(
        words=6,
        strong=1,
        all=2,
        strong_per_1000_words=166.67,
        all_per_1000_words=333.33,
        percentile=97.5,
        unusual=True,
        reference="tagesspiegel.de, zeit.de",
    )
    flags = [flag("Name_Calling-Labeling", "strong", 0.71), flag("Doubt", "possible", 0.31)]
    return report.model_copy(update={"techniques": flags, "persuasion": persuasion})


def test_terminal_shows_strong_flags_and_the_possible_ones_on_request() -> None:
    from newsaudit.report.terminal import render_text

    report = _report()
    default = render_text(report, width=160)
    assert "0.71" in default and "0.31" not in default
    assert "1 mögliche Markierungen nicht gezeigt" in default
    assert "166.7" in default and "ungewöhnlich" in default and "mehr als 98%" in default
    everything = render_text(report, width=160, possible=True)
    assert "0.71" in everything and "0.31 ?" in everything
    assert "nicht gezeigt" not in everything


def test_html_page_opens_with_possible_flags_only_when_asked() -> None:
    from newsaudit.report.render import render

    closed = render(_report(), "html")
    opened = render(_report(), "html", possible=True)
    assert 'data-layer="possible">' in closed
    assert 'data-layer="possible" checked>' in opened
    assert 'id="persuasion"' in closed and "166.67" in closed
