"""CheckThat! readers: Task 3 paragraphs are lines, labelled by overlapping gold spans;
Task 1 check-worthiness TSV with quoted texts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudit.benchmarks.checkthat import article_from_record, format_worthiness, parse_worthiness
from newsaudit.errors import InputError

TECHNIQUES = {"Loaded_Language", "Doubt"}


def test_paragraph_labels_come_from_overlapping_spans_of_known_techniques() -> None:
    text = "A title\n\nThey are crooks.\r\nNobody believes them.\n"
    record = {
        "article_id": 7,
        "lang": "en",
        "text": text,
        "annotations": [
            {"tag": "Loaded_Language", "start": 18, "end": 24},
            {"tag": "Doubt", "start": 27, "end": 48},
            {"tag": "Unknown_Tag", "start": 0, "end": 7},
        ],
    }
    article = article_from_record(record, TECHNIQUES)
    assert (article.id, article.language) == ("7", "en")
    assert [(p.text, p.labels) for p in article.paragraphs] == [
        ("A title", []),
        ("They are crooks.", ["Loaded_Language"]),
        ("Nobody believes them.", ["Doubt"]),
    ]
    assert article.spans == [("Loaded_Language", 18, 24), ("Doubt", 27, 48)]


lines = st.lists(
    st.text(alphabet=st.characters(blacklist_characters="\n", blacklist_categories=("Cs",))),
    max_size=6,
)


@settings(max_examples=80, deadline=None)
@given(lines, st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), max_size=5))
def test_paragraph_offsets_and_labels_hold_for_any_text(parts, spans) -> None:
    text = "\n".join(parts)
    annotations = [
        {"tag": "Doubt", "start": min(s, len(text)), "end": min(s + n, len(text))} for s, n in spans
    ]
    article = article_from_record(
        {"article_id": "1", "lang": "bg", "text": text, "annotations": annotations}, TECHNIQUES
    )
    for p in article.paragraphs:
        assert p.text == text[p.start : p.end] and p.text.strip() == p.text and p.text
        overlaps = any(a["start"] < p.end and a["end"] > p.start for a in annotations)
        assert p.labels == (["Doubt"] if overlaps else [])


def test_check_worthiness_tsv_unquotes_texts_and_checks_labels() -> None:
    text = (
        "Sentence_id\tText\tclass_label\n"
        '26\t"You know, I saw a movie - ""Crocodile Dundee."""\tNo\n'
        "80\tWe're consuming 50 percent of the world's cocaine.\tYes\n"
    )
    rows = parse_worthiness(text)
    assert [(r.sentence_id, r.sentence, r.label) for r in rows] == [
        ("26", 'You know, I saw a movie - "Crocodile Dundee."', "No"),
        ("80", "We're consuming 50 percent of the world's cocaine.", "Yes"),
    ]
    with pytest.raises(InputError, match="'Maybe'"):
        parse_worthiness("Sentence_id\tText\tclass_label\n1\tx\tMaybe\n")
    with pytest.raises(InputError, match="header"):
        parse_worthiness("id\ttext\n1\tx\n")


ids_and_labels = st.lists(
    st.tuples(st.integers(0, 10**6).map(str), st.sampled_from(["Yes", "No"])), max_size=10
)


@given(ids_and_labels)
def test_check_worthiness_predictions_read_back(pairs) -> None:
    ids = [i for i, _ in pairs]
    labels = [label for _, label in pairs]
    parsed = parse_worthiness(format_worthiness(ids, labels))
    assert [(r.sentence_id, r.label) for r in parsed] == pairs
