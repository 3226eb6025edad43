"""The NER training corpora's label mapping onto GermEval, on hand-made tag sequences."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsaudit.benchmarks.bio import bio_spans, iob1_to_bio, map_bio, repair_bio
from newsaudit.train.ner_corpora import LER_MAP, conll_to_germeval


def test_conll_misc_becomes_oth_or_a_derived_location() -> None:
    tokens = ["Die", "deutschen", "Frankfurter", "lesen", "Harry", "Potter", "."]
    tags = ["O", "I-MISC", "I-MISC", "O", "I-MISC", "I-MISC", "O"]
    # IOB1: one MISC span "deutschen Frankfurter" (two words: not derived), one "Harry Potter"
    assert conll_to_germeval(tokens, tags) == [
        "O", "B-OTH", "I-OTH", "O", "B-OTH", "I-OTH", "O",
    ]  # fmt: skip
    assert conll_to_germeval(["die", "Briten", "kommen"], ["O", "I-MISC", "O"]) == [
        "O",
        "B-LOCderiv",
        "O",
    ]
    assert conll_to_germeval(["Nord-Süd"], ["I-MISC"]) == ["B-OTH"]


def test_iob1_starts_a_span_where_the_type_changes() -> None:
    assert iob1_to_bio(["I-PER", "I-PER", "I-LOC", "B-LOC", "O"]) == [
        "B-PER", "I-PER", "B-LOC", "B-LOC", "O",
    ]  # fmt: skip


def test_ler_labels_are_mapped_and_unknown_types_dropped() -> None:
    tags = ["B-RR", "I-RR", "B-GS", "I-GS", "B-ST", "I-INN"]
    assert map_bio(tags, LER_MAP) == ["B-PER", "I-PER", "O", "O", "B-LOC", "B-ORG"]


bio = st.lists(st.sampled_from(["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "I-X"]), max_size=12)


@given(bio)
def test_mapping_keeps_spans_of_mapped_types(tags) -> None:
    mapped = map_bio(tags, {"PER": "PER", "LOC": "LOC"})
    assert repair_bio(mapped) == mapped
    assert [s for s in bio_spans(mapped)] == [s for s in bio_spans(tags) if s[2] != "X"]
