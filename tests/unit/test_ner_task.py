"""GermEval TSV reading/writing and the strict span metric (no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.benchmarks.bio import FINE, bio_spans
from newsaudit.benchmarks.germeval import (
    TaggedSentence,
    evaluate_files,
    format_germeval,
    parse_germeval,
    score_spans,
)
from newsaudit.errors import InputError

SAMPLE = (
    "#\thttp://de.wikipedia.org/wiki/Beispiel\t[2009-10-23]\n"
    "1\tAngela\tB-PER\tO\n"
    "2\tMerkel\tI-PER\tO\n"
    "3\tbesucht\tO\tO\n"
    "4\tdie\tO\tO\n"
    "5\tdeutsche\tB-LOCderiv\tO\n"
    "6\tBotschaft\tO\tO\n"
    "7\tin\tO\tO\n"
    "8\tParis\tB-LOC\tO\n"
    "\n"
    "#\tspiegel.de vom 27.04.2005\n"
    "1\tDie\tO\tO\n"
    "2\tUNO-Mission\tB-ORGpart\tO\n"
    "3\tendet\tO\tO\n"
    "\n"
)


def test_parse_reads_tokens_tags_and_comments() -> None:
    sentences = parse_germeval(SAMPLE)
    assert len(sentences) == 2
    assert sentences[0].tokens[:2] == ["Angela", "Merkel"]
    assert sentences[0].outer[4] == "B-LOCderiv"
    assert sentences[1].comments == ["#\tspiegel.de vom 27.04.2005"]


def test_round_trip_is_identical() -> None:
    assert format_germeval(parse_germeval(SAMPLE)) == SAMPLE


@pytest.mark.parametrize(
    "bad",
    ["1\tonly-two-columns\n", "1\tWort\tX-PER\tO\n", "#\tcomment only\n\n1\tWort\tO\tO\n"],
)
def test_malformed_input_raises_input_error(bad: str) -> None:
    with pytest.raises(InputError):
        parse_germeval(bad)


def test_bio_spans_reads_stray_inside_tag_as_a_start() -> None:
    assert bio_spans(["I-PER", "I-PER", "O", "B-LOC", "I-ORG"]) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "ORG"),
    ]


def test_metric_on_hand_made_example() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOCderiv", "O", "B-ORG"]]
    # PER exact, LOCderiv predicted as plain LOC, ORG boundary wrong, one false OTH.
    pred = [["B-PER", "I-PER", "B-OTH", "B-LOC", "O", "O"]]
    fine = score_spans(gold, pred, coarse=False)
    assert (fine["micro"].correct, fine["micro"].predicted, fine["micro"].support) == (1, 3, 3)
    assert fine["micro"].f1 == pytest.approx(1 / 3, abs=1e-4)
    coarse = score_spans(gold, pred, coarse=True)
    assert (coarse["micro"].correct, coarse["micro"].predicted) == (2, 3)
    assert coarse["LOC"].f1 == 1.0
    assert coarse["ORG"].recall == 0.0


def test_evaluate_files_scores_perfect_prediction(tmp_path: Path) -> None:
    gold = tmp_path / "gold.tsv"
    gold.write_text(SAMPLE, encoding="utf-8")
    results = evaluate_files(gold, gold)
    assert results["coarse"]["micro"].f1 == 1.0
    assert results["fine"]["micro"].support == 4


def test_evaluate_files_rejects_other_tokens(tmp_path: Path) -> None:
    gold = tmp_path / "gold.tsv"
    gold.write_text(SAMPLE, encoding="utf-8")
    pred = tmp_path / "pred.tsv"
    pred.write_text(SAMPLE.replace("Paris", "Rom"), encoding="utf-8")
    with pytest.raises(InputError):
        evaluate_files(gold, pred)


_tag = st.sampled_from(["O"] + [f"{p}-{label}" for p in "BI" for label in FINE])
_token = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=8,
).filter(lambda t: not t.startswith("#"))
_sentence = st.lists(st.tuples(_token, _tag, _tag), min_size=1, max_size=12).map(
    lambda rows: TaggedSentence(
        tokens=[r[0] for r in rows],
        outer=[r[1] for r in rows],
        inner=[r[2] for r in rows],
        comments=["#\tsource"],
    )
)


@given(st.lists(_sentence, max_size=6))
def test_parser_inverts_formatter(sentences: list[TaggedSentence]) -> None:
    assert parse_germeval(format_germeval(sentences)) == sentences


@given(st.lists(_tag, max_size=20))
def test_spans_are_within_bounds_and_disjoint(tags: list[str]) -> None:
    spans = bio_spans(tags)
    covered = [i for s, e, _ in spans for i in range(s, e)]
    assert len(covered) == len(set(covered))
    assert all(0 <= s < e <= len(tags) for s, e, _ in spans)
    assert len(spans) == sum(1 for t in tags if t.startswith("B-")) + sum(
        1
        for i, t in enumerate(tags)
        if t.startswith("I-") and (i == 0 or tags[i - 1] == "O" or tags[i - 1][2:] != t[2:])
    )
