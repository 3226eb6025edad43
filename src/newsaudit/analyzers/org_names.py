"""Organisation names that the NER model reads as persons, corrected by their head word.

WHY: the tagger learned German and Western names. A transliterated Arabic group name such
as "Jabhat Fateh al-Sham" ("Front for the Conquest of the Levant") looks like one or more
persons to it, and "Al-Quds Brigade" loses its English head noun. A name headed by a
word for "front", "brigade", "party", "army" or "ministry" names an organisation,
whatever its other words look like. The rules only relabel, join or extend names the
model found; they never create an entity from untagged words alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsaudit.benchmarks.bio import bio_spans

# Arabic words that open the names of movements, parties and armed groups.
OPENING_HEADS = frozenset(
    {"Ansar", "Faylaq", "Harakat", "Hayat", "Hay'at", "Hizb", "Jabhat", "Jaish", "Kataib",
     "Liwa", "Saraya"}
)  # fmt: skip
# German and English type nouns that close organisation names ("Al-Quds Brigade").
CLOSING_HEADS = frozenset(
    {"Armee", "Army", "Bataillon", "Battalion", "Bewegung", "Brigade", "Brigaden",
     "Brigades", "Front", "Militia", "Miliz", "Movement", "Partei", "Party", "Regiment"}
)  # fmt: skip
PERSON_LIKE = frozenset({"PER", "OTH"})
# Function words a name continues with but never starts with ("Ministerium für ...").
INNER_WORDS = frozenset({"der", "des", "for", "für", "of", "von", "vom", "zum", "zur"})


def _mark(tags: list[str], first: int, stop: int) -> None:
    tags[first] = "B-ORG"
    tags[first + 1 : stop] = ["I-ORG"] * (stop - first - 1)


def _untagged_capital(words: Sequence[str], tags: Sequence[str], i: int) -> bool:
    return tags[i] == "O" and words[i][:1].isupper()


def correct_organisations(words: Sequence[str], tags: Sequence[str]) -> list[str]:
    """BIO tags with four corrections: a tagged Arabic opening head ("Jabhat") and the
    tagged words right after it become one ORG; a PER/OTH name containing a closing head
    ("Nusra Front") becomes ORG; an ORG name directly followed by an untagged closing head
    ("Al-Quds" + "Brigade") takes it in; an ORG name that starts with a function word
    ("für Versöhnung") takes in the untagged capitalised word before it ("Ministerium")."""
    fixed = list(tags)
    i = 0
    while i < len(words):
        if words[i] in OPENING_HEADS and fixed[i] != "O":
            stop = i + 1
            while stop < len(words) and fixed[stop] != "O":
                stop += 1
            first = i
            while first > 0 and fixed[first].startswith("I-"):
                first -= 1
            _mark(fixed, first, stop)
            i = stop
        else:
            i += 1
    for first, stop, label in bio_spans(fixed):
        if label in PERSON_LIKE and any(w in CLOSING_HEADS for w in words[first:stop]):
            _mark(fixed, first, stop)
        if label != "ORG":
            continue
        if stop < len(words) and fixed[stop] == "O" and words[stop] in CLOSING_HEADS:
            _mark(fixed, first, stop + 1)
        if first > 0 and words[first] in INNER_WORDS and _untagged_capital(words, fixed, first - 1):
            _mark(fixed, first - 1, stop)
    return fixed
