"""Findings: ranked, one sentence each, pointing at real passages; future layers plug in."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

from newsaudit.report.findings import derive_findings
from newsaudit.report.model import (
    Claim,
    Credibility,
    Report,
    ScoreEffect,
    Signal,
    SignalEvidence,
    TechniqueFlag,
)

TEXT = (
    "Die Regierung hat die Wahl gestohlen. Experten sagen, die Zahlen seien gefälscht. "
    "Der Minister sagte, man prüfe alles. Diese Verräter zerstören unser Land."
)


def _span(needle: str) -> dict[str, Any]:
    start = TEXT.index(needle)
    return {"start": start, "end": start + len(needle), "text": needle}


def _flag(technique: str, needle: str, score: float, **extra: Any) -> dict[str, Any]:
    return {
        **_span(needle),
        "technique": technique,
        "paragraph": 0,
        "score": score,
        "evidence": [{**_span(needle), "score": score, "cues": [needle.split()[1]]}],
        **extra,
    }


def _report(**layers: Any) -> Report:
    return Report.model_validate({"id": "t", "text": TEXT, "language": "de", **layers})


def test_unsourced_claims_rank_above_techniques_and_point_at_their_passage() -> None:
    report = _report(
        claims=[
            Claim(**_span("Die Regierung hat die Wahl gestohlen."), score=0.9),
            Claim(
                **_span("die Zahlen seien gefälscht"),
                score=0.8,
                attribution="source",
                attributed_name="Experten",
            ),
            Claim(
                **_span("man prüfe alles"),
                score=0.99,
                attribution="source",
                attributed_to="c1",
                attributed_name="Der Minister",
            ),
        ],
        techniques=[_flag("Name_Calling-Labeling", "Diese Verräter zerstören unser Land.", 0.7)],
    )
    findings = derive_findings(report)
    assert [f.kind for f in findings] == ["claim", "claim", "technique"]
    assert [f.rank for f in findings] == [1, 2, 3]
    assert "no source given" in findings[0].sentence
    assert "ohne Quellenangabe" in findings[0].sentence_de
    assert "vague source (Experten)" in findings[1].sentence  # a named minister is no finding
    assert "Name calling" in findings[2].sentence and "„Verräter“" in findings[2].sentence_de
    for finding in findings:
        assert TEXT[finding.start : finding.end] == finding.text


def test_one_finding_per_technique_with_its_strongest_passage() -> None:
    report = _report(
        techniques=[
            _flag("Loaded_Language", "Die Regierung hat die Wahl gestohlen.", 0.4),
            _flag("Loaded_Language", "Diese Verräter zerstören unser Land.", 0.8),
        ]
    )
    (finding,) = derive_findings(report)
    assert finding.text == "Diese Verräter zerstören unser Land."
    assert finding.ref == 1 and finding.layer == "techniques"
    assert "2 paragraphs" not in finding.sentence  # both flags sit in paragraph 1
    assert "paragraph 1 " in finding.sentence


class _LevelledFlag(TechniqueFlag):
    model_config = ConfigDict(extra="allow")


class _FutureReport(Report):
    """A Report as the narratives, techniques and credibility issues will extend it."""

    model_config = ConfigDict(extra="allow")


def test_layers_of_other_issues_plug_in() -> None:
    evidence = _span("Die Regierung hat die Wahl gestohlen.")
    report = _FutureReport.model_validate(
        {
            "id": "t",
            "text": TEXT,
            "techniques": [
                _LevelledFlag(
                    **_flag("Doubt", "die Zahlen seien gefälscht", 0.9), level="possible"
                ),
                _LevelledFlag(
                    **_flag("Loaded_Language", "Diese Verräter zerstören unser Land.", 0.5),
                    level="strong",
                    probability=0.66,
                ),
            ],
            "credibility": Credibility(
                signals=[Signal(name="named_sources", value=0, explanation="no named sources")],
                score=0.35,
                score_effects=[ScoreEffect(signal="named_sources", value=0.0, effect=-0.12)],
            ),
            "narratives": [
                {
                    "case_id": "12345",
                    "title": "The election was stolen",
                    "database": "EUvsDisinfo",
                    "score": 0.7,
                    "probability": 0.81,
                    "evidence": evidence,
                    "narrative": 0,
                }
            ],
            "narrative_groups": [
                {
                    "title": "The election was stolen",
                    "case_count": 3,
                    "matches": [0],
                    "date_from": "2016-01-02",
                    "date_to": "2019-05-06",
                }
            ],
        }
    )
    findings = derive_findings(report)
    assert [f.kind for f in findings] == ["narrative", "technique", "credibility"]
    assert findings[0].text == evidence["text"]
    assert "EUvsDisinfo 12345" in findings[0].sentence and "0.81" in findings[0].sentence
    assert "3 cases, 2016-2019" in findings[0].sentence and "3 Fälle" in findings[0].sentence_de
    assert "Loaded language" in findings[1].sentence and "0.66" in findings[1].sentence
    assert "Doubt" not in " ".join(f.sentence for f in findings)  # possible flags are no finding
    assert findings[2].start == findings[2].end == 0  # about the whole article
    assert "0,35" in findings[2].sentence_de
    assert "not a verdict on truth" in findings[2].sentence
    assert "named sources −0.12" in findings[2].sentence


def test_framing_conclusion_and_vague_source_are_findings_on_their_words() -> None:
    text = "US-Beamte drohen. Kirby sprach eine direkte Drohung aus. Das zeigt deutlich, dass."
    spans = {
        w: SignalEvidence(start=text.index(w), end=text.index(w) + len(w), text=w)
        for w in ("US-Beamte", "direkte Drohung", "Das zeigt deutlich, dass")
    }
    signals = [
        Signal(name="vague_sources", value=1, explanation=".", spans=[spans["US-Beamte"]]),
        Signal(name="speech_framing", value=1, explanation=".", spans=[spans["direkte Drohung"]]),
        Signal(
            name="unsupported_conclusions",
            value=1,
            explanation=".",
            spans=[spans["Das zeigt deutlich, dass"]],
        ),
        Signal(name="named_sources", value=0, explanation="."),
    ]
    report = Report(id="t", text=text, credibility=Credibility(signals=signals))
    findings = derive_findings(report)
    assert [f.text for f in findings] == [
        "direkte Drohung",
        "Das zeigt deutlich, dass",
        "US-Beamte",
    ]
    assert all(f.kind == "credibility" for f in findings)
    assert "„direkte Drohung“" in findings[0].sentence_de


def test_an_article_with_nothing_flagged_has_no_findings() -> None:
    assert derive_findings(_report()) == []


def test_quotes_changed_against_a_source_rank_first() -> None:
    change = {
        **_span("man prüfe alles"),
        "kind": "hedge_strengthened",
        "source_index": 0,
        "source_start": 4,
        "source_end": 30,
        "source_text": "we may look at everything",
        "explanation": "The source hedges this ('may'); the article states it without any hedge.",
        "score": 0.8,
    }
    report = _report(
        quote_changes=[change],
        claims=[{**_span("Die Regierung hat die Wahl gestohlen."), "score": 0.9}],
    )
    findings = derive_findings(report)
    assert [f.kind for f in findings] == ["quote_fidelity", "claim"]
    first = findings[0]
    assert (first.layer, first.ref, first.severity) == ("quote_changes", 0, "high")
    assert TEXT[first.start : first.end] == first.text == "man prüfe alles"
    assert "hedge made certain" in first.sentence and "we may look" in first.sentence
    assert "Einschränkung" in first.sentence_de


def test_the_score_finding_names_its_signals_in_the_reader_s_language() -> None:
    report = Report(
        id="t",
        text=TEXT,
        credibility=Credibility(
            signals=[],
            score=0.2,
            score_effects=[
                ScoreEffect(signal="word_use", value=-2.8, effect=-0.31),
                ScoreEffect(signal="speech_framing", value=2.2, effect=-0.18),
            ],
        ),
    )
    (finding,) = derive_findings(report)
    assert "word use −0.31, judging what sources said −0.18" in finding.sentence
    assert "Wortwahl −0,31, Wertung von Aussagen −0,18" in finding.sentence_de


def test_the_terminal_names_the_score_s_signals_in_the_article_s_language() -> None:
    from newsaudit.report.terminal import render_text

    report = Report(
        id="t",
        text=TEXT,
        language="de",
        credibility=Credibility(
            signals=[],
            score=0.2,
            score_effects=[ScoreEffect(signal="word_use", value=-2.8, effect=-0.31)],
        ),
    )
    assert "Wortwahl -0.31" in render_text(report, width=160)
