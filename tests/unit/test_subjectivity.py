"""Subjectivity TSV adapter, macro-F1, and the packaged model on clear-cut sentences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.benchmarks.checkthat import format_subjectivity, parse_subjectivity
from newsaudit.benchmarks.metrics import macro_f1
from newsaudit.errors import InputError

cell = st.text(
    alphabet=st.characters(blacklist_characters='\t\r\n"', blacklist_categories=("Cs",)),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and s)


@given(st.lists(st.tuples(cell, cell, st.sampled_from(["OBJ", "SUBJ"])), min_size=1, max_size=10))
def test_parse_subjectivity_reads_every_row(rows):
    text = "sentence_id\tsentence\tlabel\n" + "".join(f"{i}\t{s}\t{lab}\n" for i, s, lab in rows)
    parsed = parse_subjectivity(text)
    assert [(r.sentence_id, r.sentence, r.label) for r in parsed] == rows


@given(st.lists(st.tuples(cell, st.sampled_from(["OBJ", "SUBJ"])), min_size=1, max_size=10))
def test_format_then_parse_roundtrip(pairs):
    ids = [i for i, _ in pairs]
    labels = [lab for _, lab in pairs]
    parsed = parse_subjectivity(format_subjectivity(ids, labels))
    assert [(r.sentence_id, r.label) for r in parsed] == pairs


def test_bad_tsv_is_an_input_error():
    with pytest.raises(InputError, match="header"):
        parse_subjectivity("id\ttext\n1\tx\n")
    with pytest.raises(InputError, match="MAYBE"):
        parse_subjectivity("sentence_id\tsentence\tlabel\n1\tx\tMAYBE\n")


def test_macro_f1_on_hand_made_labels():
    assert macro_f1(["OBJ", "SUBJ"], ["OBJ", "SUBJ"]) == 1.0
    # OBJ: tp 1 fp 1 fn 0 -> 2/3; SUBJ: tp 0 fp 0 fn 1 -> 0
    assert macro_f1(["OBJ", "SUBJ"], ["OBJ", "OBJ"]) == pytest.approx(1 / 3)
    assert macro_f1([1, 0, 1], [True, False, True]) == 1.0


@pytest.mark.slow
def test_packaged_model_separates_clear_cases():
    from newsaudit.models import subjectivity

    model = subjectivity.load()
    probs = model.predict_proba(
        [
            "Der Zug fährt um 8.15 Uhr in Berlin ab und kommt um 11 Uhr in Hamburg an.",
            "Diese erbärmliche Regierung ist eine einzige Katastrophe, was für eine Schande!",
        ]
    )
    assert probs[0] < model.threshold < probs[1]


def test_fast_model_ranks_an_opinion_above_a_timetable():
    from newsaudit.models import subjectivity

    model = subjectivity.load_fast()
    probs = model.predict_proba(
        [
            "Der Zug fährt um 8.15 Uhr in Berlin ab und kommt um 11 Uhr in Hamburg an.",
            "Diese erbärmliche Regierung ist eine einzige Katastrophe, was für eine Schande!",
        ]
    )
    assert probs.shape == (2,)
    assert probs[0] < model.threshold
    assert probs[0] < probs[1]
    assert model.predict([]) == []
