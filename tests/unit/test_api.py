from pathlib import Path

import pytest

from newsaudit import Report, analyze, analyze_many
from newsaudit.document import Failure
from newsaudit.errors import InputError


def test_analyze_returns_a_report_object(sample_path: Path) -> None:
    report = analyze(sample_path)
    assert isinstance(report, Report)
    assert report.tags == ["kirby", "global war"]
    for sentence in report.sentences:
        assert report.text[sentence.start : sentence.end].strip()


def test_analyze_rejects_empty_text() -> None:
    with pytest.raises(InputError, match="empty"):
        analyze("   ")


def test_analyze_many_keeps_going_after_a_bad_article() -> None:
    results = list(analyze_many(["Ein Text über Bonn und Köln.", "", "Noch ein Text über Ulm."]))
    assert isinstance(results[0], Report) and isinstance(results[2], Report)
    assert isinstance(results[1], Failure) and "empty" in results[1].error
