import pickle

import pytest

from newsaudit import analyze
from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.pipeline import Pipeline
from newsaudit.report.model import Keyword


class _GermanOnly(Analyzer):
    name = "german_only"
    languages = frozenset({"de"})

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
    assert [a.name for a in default_analyzers(["claims"])] == ["quotes", "claims"]
    with pytest.raises(InputError, match="unknown analyzer"):
        default_analyzers(["bogus"])
