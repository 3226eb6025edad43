import pickle

import pytest

from newsaudit import analyze
from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.pipeline import PIPELINE_FIELDS, Pipeline, check_contracts, default_analyzers
from newsaudit.report.model import Keyword, Report


class _GermanOnly(Analyzer):
    name = "german_only"
    languages = frozenset({"de"})
    assigns = ("keywords",)

    def analyze(self, context: Context):
        return {"keywords": [Keyword(text="x", lemma="x", score=1.0)]}


class _Broken(Analyzer):
    name = "broken"

    def analyze(self, context: Context):
        raise RuntimeError("model exploded")


class _NeedsOther(Analyzer):
    name = "needs_other"
    requires = ("other",)


def test_unsupported_language_is_skipped_with_a_note() -> None:
    report = analyze(
        "The council approved the new budget on Monday after a long debate in the chamber.",
        pipeline=Pipeline([_GermanOnly()]),
    )
    assert report.language == "en"
    assert report.keywords == []
    assert report.analyzers[0].status == "skipped"
    assert "'en' is not supported" in report.analyzers[0].note


def test_a_failing_analyzer_is_recorded_and_the_article_survives() -> None:
    report = analyze(
        "Der Rat beschloss am Montag den neuen Haushalt.", pipeline=Pipeline([_Broken()])
    )
    assert report.analyzers[0].status == "failed"
    assert "model exploded" in report.analyzers[0].note
    assert report.sentences


def test_dependency_order_is_checked() -> None:
    with pytest.raises(ValueError, match="needs"):
        Pipeline([_NeedsOther()])


def test_pipeline_pickles_without_loaded_state() -> None:
    pipeline = Pipeline()
    pipeline.run(analyze.__globals__["load"]("Ein kurzer Text über Berlin und Hamburg."))
    clone = pickle.loads(pickle.dumps(pipeline))
    assert [a.name for a in clone.analyzers] == [a.name for a in pipeline.analyzers]
    assert clone._loaded == set()


def test_a_chosen_subset_brings_what_it_requires() -> None:
    from newsaudit.errors import InputError
    from newsaudit.pipeline import default_analyzers

    assert [a.name for a in default_analyzers(["keywords"])] == ["keywords"]
    assert [a.name for a in default_analyzers(["claims"])] == ["entities", "quotes", "claims"]
    with pytest.raises(InputError, match="unknown analyzer"):
        default_analyzers(["bogus"])


def test_leaving_analyzers_out_also_leaves_out_what_reads_them() -> None:
    """Regression: bench/quotes_claims_overhead.py dropped quotes and claims alone, and the
    pipeline refused it because narratives and credibility read them."""
    from newsaudit.pipeline import analyzers_without

    kept = analyzers_without(["quotes", "claims"])
    check_contracts(kept)
    assert [a.name for a in kept] == [
        "entities",
        "keywords",
        "techniques",
        "persuasion",
        "genre_frames",
    ]
    assert [a.name for a in analyzers_without([])] == [a.name for a in default_analyzers()]


class _KeywordsToo(Analyzer):
    name = "keywords_too"
    assigns = ("keywords",)


class _WritesText(Analyzer):
    name = "writes_text"
    assigns = ("text",)


class _Undeclared(Analyzer):
    name = "undeclared"
    assigns = ("frames",)

    def analyze(self, context: Context):
        return {"frames": [], "keywords": [Keyword(text="x", lemma="x", score=1.0)]}


def test_default_analyzers_assign_every_analysis_field_once() -> None:
    analyzers = default_analyzers()
    check_contracts(analyzers)
    assigned = [field for a in analyzers for field in a.assigns]
    assert sorted(assigned) == sorted(set(Report.model_fields) - PIPELINE_FIELDS)


def test_two_analyzers_cannot_assign_one_field() -> None:
    with pytest.raises(ValueError, match="both assign 'keywords'"):
        Pipeline([_GermanOnly(), _KeywordsToo()])


def test_an_analyzer_cannot_assign_what_the_pipeline_fills() -> None:
    with pytest.raises(ValueError, match=r"assigns \['text'\]"):
        Pipeline([_WritesText()])


def test_an_undeclared_result_fails_the_analyzer_not_the_article() -> None:
    report = analyze(
        "Der Rat beschloss am Montag den neuen Haushalt.", pipeline=Pipeline([_Undeclared()])
    )
    assert report.analyzers[0].status == "failed"
    assert "['keywords']" in report.analyzers[0].note
    assert report.keywords == []


def test_a_text_over_a_million_characters_without_line_breaks_is_analysed(prose) -> None:
    # Regression: spaCy's max_length (E088) crashed the text layer above 1,000,000 characters.
    from newsaudit.ingest import document_from_text

    text = prose(1_100_000)
    report = Pipeline(default_analyzers(["keywords"])).run(document_from_text(text))
    assert report.text == text
    assert all(p.window for p in report.paragraphs) and len(report.paragraphs) > 1000
    assert max(p.end - p.start for p in report.paragraphs) <= 600
    assert report.sentences[-1].end == len(text)
    assert len(report.sentences) > len(report.paragraphs)
    assert report.keywords
    for keyword in report.keywords:
        for span in keyword.occurrences:
            assert text[span.start : span.end] == span.text
