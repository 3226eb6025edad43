import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.nlp.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Er kam am 3. Oktober 2020 an. Dr. Müller sagte z. B. nichts.",
            ["Er kam am 3. Oktober 2020 an.", "Dr. Müller sagte z. B. nichts."],
        ),
        (
            "Der 2. Weltkrieg endete 1945. Prof. Schmidt u.a. widersprach.",
            ["Der 2. Weltkrieg endete 1945.", "Prof. Schmidt u.a. widersprach."],
        ),
        (
            "Sie sagte: „Wir kommen.“ Dann ging sie. »Nie!« Er nickte.",
            ["Sie sagte: „Wir kommen.“", "Dann ging sie.", "»Nie!«", "Er nickte."],
        ),
        (
            "„Wirklich?“, fragte sie. Er antwortete am 24.11.2026 nicht.",
            ["„Wirklich?“, fragte sie.", "Er antwortete am 24.11.2026 nicht."],
        ),
        (
            'He said "No." Then U.S. officials left. Mr. Smith stayed.',
            ['He said "No."', "Then U.S. officials left.", "Mr. Smith stayed."],
        ),
        (
            "Es ist ein Netzwerk.“ Laut X reicht es “bis nach Russland“, sagte er.",
            ["Es ist ein Netzwerk.“", "Laut X reicht es “bis nach Russland“, sagte er."],
        ),
    ],
)
def test_german_and_english_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_offsets_within_a_paragraph() -> None:
    text = "Titel\nErster Satz. Zweiter Satz.\nNoch einer."
    spans = split_sentences(text, 6, 32)
    assert [text[a:b] for a, b in spans] == ["Erster Satz.", "Zweiter Satz."]


@given(st.text(alphabet=st.sampled_from(list('ab A.!?„“” "3»«')), max_size=120))
def test_sentences_cover_every_visible_character_once(text: str) -> None:
    spans = split_sentences(text)
    covered = [i for a, b in spans for i in range(a, b)]
    assert covered == sorted(set(covered))
    visible = [i for i, ch in enumerate(text) if not ch.isspace()]
    assert set(visible) <= set(covered)
    assert all(not text[a].isspace() and not text[b - 1].isspace() for a, b in spans)
