"""Organisation names corrected by their head word (hand-written sentences)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsaudit.analyzers.org_names import correct_organisations
from newsaudit.benchmarks.bio import bio_spans


def _names(words: list[str], tags: list[str]) -> list[tuple[str, str]]:
    fixed = correct_organisations(words, tags)
    return [(" ".join(words[a:b]), label) for a, b, label in bio_spans(fixed)]


def test_arabic_opening_word_joins_a_split_name_into_one_organisation() -> None:
    words = "die Jabhat Fateh al-Sham von der Opposition".split()
    tags = ["O", "B-PER", "B-ORG", "B-PER", "O", "O", "O"]
    assert _names(words, tags) == [("Jabhat Fateh al-Sham", "ORG")]


def test_person_label_with_a_closing_type_noun_becomes_organisation() -> None:
    words = "Kämpfer der Nusra Front griffen an".split()
    tags = ["O", "O", "B-PER", "I-PER", "O", "O"]
    assert _names(words, tags) == [("Nusra Front", "ORG")]


def test_organisation_takes_in_the_untagged_head_noun_after_it() -> None:
    words = "die Miliz Al-Quds Brigade und die Armee".split()
    tags = ["O", "O", "B-ORG", "O", "O", "O", "O"]
    assert _names(words, tags) == [("Al-Quds Brigade", "ORG")]


def test_organisation_starting_with_a_function_word_takes_in_its_head() -> None:
    words = "Das syrische Ministerium für Versöhnung bietet".split()
    tags = ["O", "B-LOCderiv", "O", "B-ORG", "I-ORG", "O"]
    assert _names(words, tags) == [("syrische", "LOCderiv"), ("Ministerium für Versöhnung", "ORG")]


def test_genitive_person_before_a_type_noun_stays_a_person() -> None:
    words = "Merkels Partei verliert".split()
    tags = ["B-PER", "O", "O"]
    assert _names(words, tags) == [("Merkels", "PER")]


def test_names_without_head_words_are_untouched() -> None:
    words = "John Kirby warnte Russland".split()
    tags = ["B-PER", "I-PER", "O", "B-LOC"]
    assert correct_organisations(words, tags) == tags


TAGS = st.sampled_from(["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"])
WORDS = st.sampled_from(["Jabhat", "Front", "für", "Ministerium", "Kirby", "al-Sham", "und"])


@given(st.lists(st.tuples(WORDS, TAGS), max_size=12))
def test_corrections_keep_length_and_only_ever_produce_organisations(
    pairs: list[tuple[str, str]],
) -> None:
    words = [w for w, _ in pairs]
    tags = [t for _, t in pairs]
    fixed = correct_organisations(words, tags)
    assert len(fixed) == len(tags)
    for before, after in zip(tags, fixed, strict=True):
        assert after == before or after.endswith("-ORG")
