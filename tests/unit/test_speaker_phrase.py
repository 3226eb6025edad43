"""Speaker phrases: a tagged run is a name, a pronoun, a role phrase, or no speaker at all."""

from __future__ import annotations

import pytest

from newsaudit.analyzers.base import Context
from newsaudit.analyzers.quotes import QuotesAnalyzer
from newsaudit.ingest import document_from_text
from newsaudit.nlp.speaker_phrase import is_role_word, is_source_noun, speaker_phrase
from newsaudit.nlp.tokens import build_text_layer


def _phrase(tokens: list[str], names: frozenset[str] = frozenset()):
    words = [tokens]
    found = speaker_phrase(
        [(0, k) for k in range(len(tokens))],
        words,
        lambda run: any(words[s][t] in names for s, t in run),
    )
    return None if found is None else (" ".join(tokens[t] for _, t in found.positions), found.kind)


@pytest.mark.parametrize(
    "run",
    [
        # the stray speakers of issue 15, one regression each
        ["der"],
        ["Die"],
        ["die"],
        ["Schätzung"],
        ["einer", "Schätzung"],
        ["dem", "strengen", "Lockdown"],
        ["Fourth", "Industrial"],
        ["Saison"],
        ["dem", "19.", "April"],
        ["In", "einem", "Interview"],
        ["Verwirrung"],
        ["und", "Rechnen"],
        ["die", "anonymen"],
    ],
)
def test_stray_words_are_no_speaker(run):
    assert _phrase(run) is None


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        (["ein", "Sprecher", "des", "Ministeriums"], ("ein Sprecher des Ministeriums", "role")),
        (["Experten"], ("Experten", "role")),
        (["Die", "Teilnehmer"], ("Die Teilnehmer", "role")),
        (["der", "38-Jährige"], ("der 38-Jährige", "role")),
        (["der", "Berliner", "Virologe"], ("der Berliner Virologe", "role")),
        # "Verwaltung" came from "Nach Angaben der Verwaltung": the source noun goes
        (["Angaben", "der", "Verwaltung"], ("der Verwaltung", "role")),
        (["einer", "Schätzung", "von", "spanischen", "Händlern"], ("spanischen Händlern", "role")),
        (["ein", "Lockdown-Gegner", "die", "Uniformierten"], ("ein Lockdown-Gegner", "role")),
        (["the", "ministry"], ("the ministry", "role")),
        (["er"], ("er", "pronoun")),
        (["Sie"], ("Sie", "pronoun")),
    ],
)
def test_role_phrases_and_pronouns(run, expected):
    assert _phrase(run) == expected


def test_names_are_cut_to_the_phrase():
    names = frozenset({"Bhushan", "Simeone", "Heinrich", "Triendls", "Laack"})
    assert _phrase(["Gesundheitsminister", "Rajesh", "Bhushan", "vergangene", "Woche"], names) == (
        "Gesundheitsminister Rajesh Bhushan",
        "name",
    )
    assert _phrase(["auch", "Atlético-Trainer", "Diego", "Simeone"], names) == (
        "Atlético-Trainer Diego Simeone",
        "name",
    )
    assert _phrase(["Bürgermeister", "Heinrich", "und"], names) == (
        "Bürgermeister Heinrich",
        "name",
    )
    assert _phrase(["van", "Laack", "seinen", "Jahresumsatz"], names) == ("van Laack", "name")
    assert _phrase(["Triendls", "Fazit"], names) == ("Triendls", "name")


def test_role_and_source_words():
    assert is_role_word("Gesundheitsministerium") and is_role_word("Marktbeobachtern")
    assert not is_role_word("Saison") and not is_role_word("Schätzung")
    assert is_source_noun("Polizeiangaben") and is_source_noun("Unbedenklichkeitserklärung")
    assert not is_source_noun("Sprecher")


def _quotes(text: str):
    document = document_from_text(text)
    context = Context(document=document, layer=build_text_layer(document))
    return document, QuotesAnalyzer().analyze(context)["quotes"]


def test_analyzer_keeps_no_stray_speaker_and_offsets_hold():
    text = (
        "Formel 1 in Spielberg\n\n"
        "Max Verstappen hat das Rennen gewonnen. Verstappen fügte Mercedes die erste "
        "Niederlage der Saison zu. Der Niederländer sagte nach dem Rennen: „Das war ein "
        "perfekter Tag für uns.“\n\n"
        "Nach Angaben der Verwaltung sind in der Stadt 40 Menschen infiziert. Nach einer "
        "Schätzung fallen in diesem Jahr die Hälfte aller Veranstaltungen aus. Seit dem "
        "strengen Lockdown hätten viele Wirte aufgegeben, sagte ein Sprecher des Ministeriums.\n\n"
        "Experten warnen, dass die Zahlen im Herbst wieder steigen könnten."
    )
    document, quotes = _quotes(text)
    by_speaker = {q.speaker.text: q for q in quotes if q.speaker}
    assert set(by_speaker) == {
        "Der Niederländer",
        "der Verwaltung",
        "ein Sprecher des Ministeriums",
        "Experten",
    }
    assert all(q.speaker_kind == "role" and q.speaker_name is None for q in by_speaker.values())
    # "Verstappen fügte Mercedes die erste Niederlage zu" is no reported speech
    assert not [q for q in quotes if "Niederlage" in q.text]
    assert not [q for q in quotes if "Hälfte" in q.text]  # a Schätzung alone says nothing
    for quote in quotes:
        for span in (quote, quote.message, quote.cue, quote.speaker):
            if span is not None:
                assert document.text[span.start : span.end] == span.text


def test_pronoun_speaker_takes_the_nearest_person_before_it():
    from newsaudit.report.model import EntityCluster, Span

    text = (
        "„Wir gewinnen“, sagte Trainer Hans Müller. Später kam Eva Roth ins Stadion. "
        "Sie sagte, das Spiel sei entschieden."
    )
    document = document_from_text(text)
    context = Context(document=document, layer=build_text_layer(document))

    def cluster(cid: str, name: str) -> EntityCluster:
        start = text.index(name)
        mention = Span(start=start, end=start + len(name), text=name)
        return EntityCluster(id=cid, canonical=name, label="PER", mentions=[mention])

    context.results["entity_clusters"] = [cluster("P1", "Hans Müller"), cluster("P2", "Eva Roth")]
    quotes = QuotesAnalyzer().analyze(context)["quotes"]
    pronoun = [q for q in quotes if q.speaker_kind == "pronoun"]
    assert pronoun and pronoun[0].speaker_cluster == "P2"
    assert pronoun[0].speaker_name == "Eva Roth"


def test_definite_role_phrase_refers_to_the_person_introduced_with_that_title():
    from newsaudit.report.model import EntityCluster, Span

    text = (
        "Bundeskanzlerin Angela Merkel traf am Montag die Länderchefs. "
        "Die Kanzlerin sagte, die Lage sei ernst. "
        "Die Wissenschaftler warnten, dass die Zahlen steigen."
    )
    document = document_from_text(text)
    context = Context(document=document, layer=build_text_layer(document))
    start = text.index("Angela Merkel")
    mention = Span(start=start, end=start + 13, text="Angela Merkel")
    context.results["entity_clusters"] = [
        EntityCluster(id="P1", canonical="Angela Merkel", label="PER", mentions=[mention])
    ]
    quotes = QuotesAnalyzer().analyze(context)["quotes"]
    by_speaker = {q.speaker.text: q for q in quotes if q.speaker}
    kanzlerin = by_speaker["Die Kanzlerin"]
    assert kanzlerin.speaker_kind == "role" and kanzlerin.speaker_cluster == "P1"
    assert kanzlerin.speaker_name == "Angela Merkel"
    # a plural role phrase names a group, not the person before it
    assert by_speaker["Die Wissenschaftler"].speaker_cluster is None


def test_a_title_in_the_sentence_before_a_name_is_not_that_persons():
    """Regression: "so der 38-Jährige weiter. Diana Terlicher kommt ..." linked the man to her."""
    from newsaudit.report.model import EntityCluster, Span

    text = (
        "„Das Thema ist durch“, sagt der 38-Jährige. Diana Terlicher kommt aus der Küche. "
        "„Wir hören auf“, sagt der 38-Jährige."
    )
    document = document_from_text(text)
    context = Context(document=document, layer=build_text_layer(document))
    start = text.index("Diana Terlicher")
    mention = Span(start=start, end=start + 15, text="Diana Terlicher")
    context.results["entity_clusters"] = [
        EntityCluster(id="P1", canonical="Diana Terlicher", label="PER", mentions=[mention])
    ]
    quotes = QuotesAnalyzer().analyze(context)["quotes"]
    roles = [q for q in quotes if q.speaker and q.speaker.text == "der 38-Jährige"]
    assert roles and all(q.speaker_cluster is None for q in roles)
