"""Compare: the parts that read words (numbers, speakers, lexicons) and the whole on pairs."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.compare import compare
from newsaudit.compare.changes.modality import condition_positions, universal_positions
from newsaudit.compare.evaluate import PARTS, read_pairs, score_pairs
from newsaudit.compare.figures import figures
from newsaudit.compare.model import KINDS
from newsaudit.compare.source import source_sentences
from newsaudit.compare.speakers import person, same_person
from newsaudit.compare.text import tokenize
from newsaudit.errors import InputError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "compare"


def _values(text: str) -> list[tuple[str, object]]:
    return [(f.kind, f.value) for f in figures(tokenize(text), text)]


def test_numbers_are_values_not_strings() -> None:
    assert _values("1.200 Mitglieder") == _values("1,200 members") == [("count", 1200.0)]
    assert _values("18 Millionen Euro") == [("count", 18e6)]
    assert _values("18 million euros") == [("count", 18e6)]
    assert _values("bis zum 14. März") == [("date", (3, 14))]
    assert _values("on 14 March") == _values("on March 14") == [("date", (3, 14))]
    assert _values("am Dienstag") == _values("on Tuesday") == [("weekday", 1)]
    assert _values("im Jahr 2027") == [("year", 2027.0)]
    assert _values("drei Prozent") == _values("three percent")


@given(st.text(max_size=80))
def test_figures_never_crash_and_point_into_the_text(text: str) -> None:
    tokens = tokenize(text)
    for figure in figures(tokens, text):
        assert 0 <= figure.first < figure.last <= len(tokens)


def test_conditions_and_universals_in_context() -> None:
    text = "Sollte die Lage eskalieren, werden wir handeln. Wir sollten reden."
    tokens = tokenize(text)
    assert [tokens[i].text for i in condition_positions(tokens, text)] == ["Sollte"]
    text = "He asked if it rains. If it rains, we stay."
    tokens = tokenize(text)
    assert [tokens[i].text for i in condition_positions(tokens, text)] == ["If"]
    tokens = tokenize("Vor allem in ganz Deutschland, ganz klar, immer wieder alle Schulen")
    assert [tokens[i].text for i in universal_positions(tokens)] == ["ganz", "alle"]


def test_source_speakers_from_labels_verbs_and_headers() -> None:
    text = (
        "MODERATOR: Minister, is it true?\nAHMADI: It is not.\n"
        'Her rival, Viktor Hale, told reporters: "This failed." "Completely," he added.\n'
        "The weather was fine."
    )
    speakers = [(text[s.start : s.end], s.speaker) for s in source_sentences(text)]
    assert speakers == [
        ("Minister, is it true?", "MODERATOR"),
        ("It is not.", "AHMADI"),
        ('Her rival, Viktor Hale, told reporters: "This failed."', "Viktor Hale"),
        ('"Completely," he added.', "Viktor Hale"),
        ("The weather was fine.", None),
    ]
    header = "Press briefing. Spokesperson Jane Roe, answering a question:\n\nWe act now."
    assert source_sentences(header)[-1].speaker == "Spokesperson Jane Roe"


def test_role_words_are_not_names() -> None:
    maier = person("Landrätin Eva Maier")
    assert maier.surname == "maier" and "landrätin" not in maier.names
    assert maier.roles == {"councillor"}
    assert same_person(maier, person("Eva Maier")) is True
    assert same_person(person("Peter Stolz"), maier) is False
    assert same_person(person("MR KIRBY"), person("John Kirby")) is True
    assert same_person(person("Kirbys"), person("John Kirby")) is True
    kirby = person("der Sprecher des US Department of State John Kirby")
    assert same_person(person("SPOKESPERSON"), kirby) is True
    assert same_person(person("QUESTION"), person("Minister Ahmadi")) is False
    assert same_person(person("SPOKESPERSON"), person("Ministerin Keller")) is None


def test_a_role_label_is_read_as_the_person_introduced_with_that_role() -> None:
    text = (
        "Briefing notes. Spokesperson Jane Roe opened the briefing.\n"
        "QUESTION: Will there be sanctions?\nSPOKESPERSON: We are discussing options."
    )
    speakers = [s.speaker for s in source_sentences(text)]
    assert speakers[-2:] == ["QUESTION", "SPOKESPERSON (Spokesperson Jane Roe)"]


def test_a_role_word_before_the_name_is_no_second_speaker() -> None:
    """Regression: "Stadträtin" in the article was read as naming another person, which
    suppressed the misattribution."""
    source = (
        "In der Sitzung sagte Stadträtin Jana Wolff: „Der Haushalt ist solide.“ Der Kämmerer "
        "der Stadt, Bernd Ott, fügte hinzu: „Wir müssen die Gebühren für Parkplätze erhöhen.“"
    )
    article = "Stadträtin Jana Wolff sagte, man müsse die Gebühren für Parkplätze erhöhen."
    report = compare(article, [source])
    assert [f.kind for f in report.findings] == ["misattribution"]
    assert "Wolff" in report.findings[0].article_text


def test_a_transcript_label_that_gives_only_the_role_is_the_spokesperson() -> None:
    """Regression: "SPOKESPERSON:" against "Ministeriumssprecher Tom Weber" read as two
    people, so the faithful rendering was flagged as misattributed."""
    source = (
        "QUESTION: Will the minister travel to the summit?\n"
        "SPOKESPERSON: The minister will not travel to the summit. She has other duties."
    )
    article = "Ministeriumssprecher Tom Weber sagte, die Ministerin werde nicht zum Gipfel reisen."
    report = compare(article, [source])
    assert report.alignments and report.alignments[0].source_speaker == "SPOKESPERSON"
    assert report.findings == []


ARTICLE = (
    "Bahnsprecher Martin Kühn sagte am Montag, die Strecke zwischen Kassel und Fulda "
    "bleibe bis zum 24. März gesperrt."
)
SOURCE = (
    'Rail spokesman Martin Kühn said on Monday: "The line between Kassel and Fulda will '
    'stay closed until 14 March."'
)


def test_a_changed_date_is_found_with_both_spans() -> None:
    report = compare(ARTICLE, [SOURCE])
    assert [f.kind for f in report.findings] == ["number_changed"]
    finding = report.findings[0]
    assert finding.article_text == ARTICLE[finding.article_start : finding.article_end]
    assert "24" in finding.article_text
    assert finding.source_text == SOURCE[finding.source_start : finding.source_end]
    assert "14" in finding.source_text
    assert report.alignments and report.alignments[0].source_speaker == "Martin Kühn"


def test_a_faithful_translation_has_no_finding() -> None:
    faithful = ARTICLE.replace("24. März", "14. März")
    report = compare(faithful, [SOURCE])
    assert report.alignments, "the quote should align with its source"
    assert report.findings == []


def test_offsets_point_into_the_text_as_given(tmp_path: Path) -> None:
    """Regression: ingest normalises CRLF, so offsets into its text were off by one per
    line break against the file as given."""
    article = tmp_path / "article.txt"
    article.write_bytes(("Titel\r\n\r\n" + ARTICLE).encode("utf-8"))
    source = tmp_path / "source.txt"
    source.write_bytes(("Transcript\r\n\r\n" + SOURCE).encode("utf-8"))
    report = compare(article, [source])
    given_article = article.read_bytes().decode("utf-8")
    given_source = source.read_bytes().decode("utf-8")
    assert report.article.text == given_article
    for f in report.findings:
        assert given_article[f.article_start : f.article_end] == f.article_text
        assert given_source[f.source_start : f.source_end] == f.source_text
    assert report.findings


@pytest.mark.parametrize("bad", ["", "   \n", b"\x00\x01\x02binary"])
def test_empty_or_unreadable_sources_get_a_clear_error(bad) -> None:
    with pytest.raises(InputError, match="source 1: input"):
        compare(ARTICLE, [bad])


def test_no_source_is_an_error() -> None:
    with pytest.raises(InputError, match="at least one source"):
        compare(ARTICLE, [])


@pytest.mark.parametrize("part", ["test2", "test3", "test4", "test7", "test8", "dev+test"])
def test_the_evaluation_set_covers_every_kind(part: str) -> None:
    """TEST2, TEST3, TEST4, TEST7 and TEST8 each meet the issue's rules for an evaluation
    set, as DEV and TEST did (TEST7 and TEST8 read for their shape only: never scored here)."""
    pairs = [p for name in part.split("+") for p in read_pairs(FIXTURES / f"{name}.json")]
    kinds = [p["kind"] for p in pairs]
    assert len(pairs) >= 30
    assert kinds.count("faithful") >= len(pairs) / 3
    for kind in KINDS:
        assert kinds.count(kind) >= 3, kind
    assert {p["source_language"] for p in pairs} == {"de", "en"}


def test_test5_covers_every_kind_in_both_languages() -> None:
    """TEST5 holds every kind at least 3 times and 13 faithful pairs of 40: a hair under the
    issue's third (13.3), kept as committed before it was scored."""
    pairs = read_pairs(FIXTURES / "test5.json")
    kinds = [p["kind"] for p in pairs]
    assert (len(pairs), kinds.count("faithful")) == (40, 13)
    for kind in KINDS:
        assert kinds.count(kind) >= 3, kind
    assert {p["source_language"] for p in pairs} == {"de", "en"}


# TEST11 was written blind, without the other files, and numbers its pairs d01-d44 as DEV
# does (d01-d41); its ids stay as scored and reported. Every other two parts share none.
SHARED_IDS = {frozenset({"dev", "test11"})}


def test_pair_ids_are_unique_across_parts() -> None:
    parts = (*PARTS, "test7")
    ids = {name: [p["id"] for p in read_pairs(FIXTURES / f"{name}.json")] for name in parts}
    for name, own in ids.items():
        assert len(set(own)) == len(own), name
    for a, b in itertools.combinations(parts, 2):
        if frozenset({a, b}) not in SHARED_IDS:
            assert not set(ids[a]) & set(ids[b]), (a, b)


@pytest.mark.parametrize("part", ["dev", "dev2"])
def test_dev_scores_stay_above_the_bar(part: str) -> None:
    """The DEV parts (tuned on): at least 80% of distorted pairs detected (DEV2 holds few
    and hard ones: at least 70%), at most 15% of faithful pairs with a false alarm. The
    TEST parts are scored by `newsaudit evaluate compare`, never here, so nothing is tuned
    on them."""
    scores = score_pairs(read_pairs(FIXTURES / f"{part}.json"))
    summary = scores.summary()
    assert scores.detection_rate >= (0.8 if part == "dev" else 0.7), json.dumps(summary)
    assert scores.false_alarm_rate <= 0.15, json.dumps(summary)


def _kinds(article: str, source: str) -> list[str]:
    return [f.kind for f in compare(article, [source]).findings]


def test_a_condition_rendered_in_other_words_is_kept() -> None:
    source = '"If the snow keeps falling, the pass road will be closed tonight," said Ida Brun.'
    article = (
        "Bei anhaltendem Schneefall werde die Passstraße heute Nacht gesperrt, sagte Ida Brun."
    )
    assert "condition_dropped" not in _kinds(article, source)


def test_a_condition_inside_the_rendered_words_counts_when_it_is_not_rendered() -> None:
    source = (
        'Mayor Ole Sand said: "We will, if the council agrees to the extra costs, open the new '
        'pool in May."'
    )
    article = "Bürgermeister Ole Sand sagte, man werde das neue Bad im Mai eröffnen."
    assert "condition_dropped" in _kinds(article, source)


def test_a_message_starting_in_the_reporting_clause_starts_at_its_clause() -> None:
    """Regression: the quote tagger starts the message at "Versammlung," so the source's
    reporting clause and its condition counted as rendered."""
    source = (
        "Die Vorsitzende Lea Brandt sagte auf der Versammlung: „Sofern die Beiträge sinken, "
        "werden wir das Vereinsheim verkaufen.“"
    )
    article = (
        "Vereinschefin Lea Brandt sagte auf der Versammlung, der Verein werde das "
        "Vereinsheim verkaufen."
    )
    report = compare(article, [source])
    assert report.alignments[0].article_text.startswith("der Verein")
    assert [f.kind for f in report.findings] == ["condition_dropped"]


def test_a_hedge_in_the_governing_clause_counts() -> None:
    """Regression: "Es ist möglich, | dass ..." lay outside the rendered clause, so the
    hedge was found only when the tagger's message start happened to pull it in."""
    source = "Museumsdirektor Kai Lenz sagte: „Es ist möglich, dass das Museum im Winter schließt.“"
    article = "Museumsdirektor Kai Lenz sagte, das Museum werde im Winter schließen."
    assert _kinds(article, source) == ["hedge_strengthened"]


def test_an_added_clause_is_found_though_it_shares_the_topic() -> None:
    """Regression: the added clause's words resemble the source's ("Eltern", "school"), so
    comparing each word with its most similar one missed it."""
    source = '"We will repaint the school gym over the summer," headteacher Olga Brandt said.'
    article = (
        "Schulleiterin Olga Brandt sagte, man werde die Turnhalle im Sommer neu streichen und "
        "die Eltern an den Kosten beteiligen."
    )
    report = compare(article, [source])
    added = [f for f in report.findings if f.kind == "content_added"]
    assert added and "Kosten" in added[0].article_text
    assert "Turnhalle" not in added[0].article_text


@pytest.mark.parametrize(
    ("article", "source"),
    [
        (
            "Wegen des Sturms fahre die Fähre am Freitag nicht, sagte Hafenmeister Per Lund.",
            '"The ferry will not run on Friday because of the storm," harbour master Per Lund '
            "said.",
        ),
        (
            "Die Halle bleibe bis März geschlossen, sagte der städtische Architekt Jan Roth am "
            "Montag.",
            '"The hall will stay closed until March," city architect Jan Roth said on Monday.',
        ),
    ],
)
def test_a_paraphrase_and_the_reporting_clause_are_no_added_content(
    article: str, source: str
) -> None:
    report = compare(article, [source])
    assert report.alignments
    assert "sagte" not in report.alignments[0].article_text
    assert report.findings == []


@pytest.mark.parametrize(("place", "widened"), [("Saxony", True), ("Germany", False)])
def test_a_region_retold_as_the_whole_country(place: str, widened: bool) -> None:
    source = f"Schools in {place} will stay closed on Monday, minister Ute Kahl said."
    article = "In Deutschland blieben die Schulen am Montag geschlossen, sagte Ministerin Ute Kahl."
    report = compare(article, [source])
    found = [f for f in report.findings if f.kind == "scope_widened"]
    assert bool(found) is widened
    if widened:
        assert found[0].article_text == "Deutschland" and "Saxony" in found[0].explanation
    else:
        assert report.findings == []


@given(st.text(alphabet=st.sampled_from('ab C:"„“”\n.,KIRBY-'), max_size=120))
def test_source_sentences_and_frames_stay_inside_the_text(text: str) -> None:
    for sentence in source_sentences(text):
        assert 0 <= sentence.start < sentence.end <= len(text)
        for start, end in sentence.frame:
            assert sentence.start <= start < end <= sentence.end
        person(sentence.speaker)
