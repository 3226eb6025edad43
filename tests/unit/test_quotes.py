"""Quote tagger, SpkAtt reader/writer/metric and the quotes analyzer (packaged model)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.analyzers.base import Context
from newsaudit.analyzers.quotes import QuotesAnalyzer
from newsaudit.benchmarks.spkatt import SpkAttDoc, read_dir, read_doc, score, write_doc
from newsaudit.errors import InputError
from newsaudit.ingest import document_from_text
from newsaudit.nlp.quote_assembly import assemble
from newsaudit.nlp.speech import QUOTE_CHARS, quote_states, sentence_features
from newsaudit.nlp.tokens import build_text_layer
from newsaudit.report.model import EntityCluster, Span

# Hand-written, not from any news source.
ARTICLE = (
    "Die Stadt Hinterfeld plant eine neue Brücke.\n\n"
    "„Wir bauen die Brücke bis zum Sommer“, sagte Bürgermeisterin Anna Lindqvist am Montag. "
    "Laut dem Bauamt kostet das Projekt 12 Millionen Euro. "
    "Lindqvist erklärte, die Kosten seien gut geplant."
)

token = st.text(alphabet=st.sampled_from(list('abcXYZ„“”"«».,:')), min_size=1, max_size=4)
sentences_strategy = st.lists(st.lists(token, min_size=1, max_size=8), min_size=1, max_size=5)


@given(sentences_strategy)
def test_quote_states_shape_matches_tokens(sentences):
    states = quote_states(sentences)
    assert [len(s) for s in states] == [len(s) for s in sentences]


@given(sentences_strategy)
def test_features_one_row_per_token(sentences):
    feats = sentence_features(sentences)
    assert [len(s) for s in feats] == [len(s) for s in sentences]
    assert all("b" in row for s in feats for row in s)


def test_quote_states_german_and_unclosed_quotation():
    german = [["„", "Ja", "“", ",", "sagte", "er", "."]]
    assert quote_states(german) == [[True, True, True, False, False, False, False]]
    # an English-style quotation never closed before a colon introduces a new one
    english = [["“", "A", "b", "."], ["X", "sagte", ":", "“", "C", "”"]]
    assert quote_states(english) == [[True] * 4, [False, False, False, True, True, True]]


def _spkatt(tmp: Path, name: str, annotations: list[dict]) -> Path:
    data = {
        "DocumentName": name,
        "Sentences": [{"SentenceId": 0, "Tokens": ["Er", "sagte", ",", "es", "regne", "."]}],
        "Annotations": annotations,
    }
    path = tmp / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_score_counts_positions_of_non_nested_annotations(tmp_path):
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    _spkatt(
        gold_dir,
        "a",
        [
            {"Cue": ["0:1"], "Source": ["0:0"], "Message": ["0:3", "0:4"], "IsNested": False},
            {"Cue": [], "Source": ["0:5"], "Message": ["0:2"], "IsNested": True},
        ],
    )
    _spkatt(
        pred_dir,
        "a",
        [
            {"Cue": ["0:1"], "Source": [], "Message": ["0:3", "0:4", "0:5"], "IsNested": False},
        ],
    )
    result = score(read_dir(gold_dir), read_dir(pred_dir))
    assert result["Message"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["Message"]["recall"] == 1.0
    assert result["Message"]["f1"] == pytest.approx(0.8, abs=1e-4)
    assert result["Cue"]["f1"] == 1.0
    assert result["Source"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "gold": 1,
        "predicted": 0,
    }


@given(
    st.lists(
        st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=6), min_size=1, max_size=4
    )
)
def test_write_then_read_keeps_tokens(tmp_path_factory, sentences):
    out = tmp_path_factory.mktemp("spkatt")
    doc = SpkAttDoc("doc", sentences)
    annotation = {
        "Cue": [],
        "Source": [],
        "Message": ["0:0"],
        "Addr": [],
        "Form": "Direct",
        "IsNested": False,
    }
    back = read_doc(write_doc(doc, [annotation], out))
    assert back.sentences == sentences
    assert back.annotations == [annotation]


def test_malformed_spkatt_file_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"Sentences": [{"NoTokens": 1}]}', encoding="utf-8")
    with pytest.raises(InputError, match="bad.json"):
        read_doc(bad)
    with pytest.raises(InputError):
        read_dir(tmp_path / "missing")


@pytest.fixture(scope="module")
def quotes_report():
    document = document_from_text(ARTICLE)
    context = Context(document=document, layer=build_text_layer(document))
    lindqvist = [(m.start(), m.end()) for m in __import__("re").finditer("Lindqvist", ARTICLE)]
    context.results["entity_clusters"] = [
        EntityCluster(
            id="PER-1",
            canonical="Anna Lindqvist",
            label="PER",
            mentions=[Span(start=s, end=e, text=ARTICLE[s:e]) for s, e in lindqvist],
        )
    ]
    return document, QuotesAnalyzer().analyze(context)["quotes"]


def test_quote_offsets_point_into_the_text(quotes_report):
    document, quotes = quotes_report
    assert quotes
    for quote in quotes:
        for span in (quote, quote.message, quote.cue, quote.speaker, quote.addressee):
            if span is not None:
                assert document.text[span.start : span.end] == span.text


def test_direct_quote_with_speaker_linked_to_cluster(quotes_report):
    _, quotes = quotes_report
    direct = [q for q in quotes if q.message.text.startswith("„Wir bauen")]
    assert len(direct) == 1
    quote = direct[0]
    assert quote.kind == "direct"
    assert quote.message.text == "„Wir bauen die Brücke bis zum Sommer“"
    assert quote.cue is not None and quote.cue.text == "sagte"
    assert quote.speaker is not None and "Lindqvist" in quote.speaker.text
    assert quote.speaker_cluster == "PER-1"
    assert not any(c in quote.speaker.text for c in QUOTE_CHARS)


def test_indirect_quote_found(quotes_report):
    _, quotes = quotes_report
    indirect = [q for q in quotes if "Kosten seien" in q.message.text]
    assert indirect and indirect[0].kind == "indirect"
    assert indirect[0].speaker_cluster == "PER-1"


def test_no_entities_still_gives_speakers():
    document = document_from_text(ARTICLE)
    context = Context(document=document, layer=build_text_layer(document))
    quotes = QuotesAnalyzer().analyze(context)["quotes"]
    speakers = [q.speaker.text for q in quotes if q.speaker]
    assert any("Lindqvist" in s for s in speakers)
    assert all(q.speaker_cluster is None for q in quotes)


def test_speaker_span_leaves_out_time_words_and_source_nouns():
    """Regression: speakers read "Anna Berger am" and "Angaben der Verwaltung"."""
    text = (
        "„Das ist eine Katastrophe für alle Bürger“, sagte Anna Berger am Montag. "
        "Nach Angaben der Verwaltung beginnen die Arbeiten im Frühjahr 2021. "
        "„Wir bauen die Brücke bis zum Sommer“, sagte Bürgermeisterin Anna Lindqvist am Montag."
    )
    document = document_from_text(text)
    context = Context(document=document, layer=build_text_layer(document))
    quotes = QuotesAnalyzer().analyze(context)["quotes"]
    speakers = [(q.speaker.text, q.speaker_kind) for q in quotes if q.speaker]
    assert speakers == [
        ("Anna Berger", "name"),
        ("der Verwaltung", "role"),
        ("Bürgermeisterin Anna Lindqvist", "name"),
    ]
    assert quotes[1].speaker_name is None  # a role phrase groups no person


def test_empty_text_gives_no_quotes():
    document = document_from_text("Kurz.")
    context = Context(document=document, layer=build_text_layer(document))
    assert QuotesAnalyzer().analyze(context) == {"quotes": []}


def test_english_quotes_and_according_to():
    text = (
        "Officials met in Geneva on Monday.\n\n"
        '"We will not accept these terms," said foreign minister Maria Lopez. '
        "According to the ministry, 40 people were killed in the attack."
    )
    document = document_from_text(text)
    assert document.language == "en"
    context = Context(document=document, layer=build_text_layer(document))
    quotes = QuotesAnalyzer().analyze(context)["quotes"]
    by_message = {q.message.text: q for q in quotes}
    direct = by_message['"We will not accept these terms,"']
    assert direct.kind == "direct" and direct.cue.text == "said"
    assert "Lopez" in direct.speaker.text
    reported = by_message["40 people were killed in the attack"]
    assert reported.speaker.text == "the ministry"


def test_tagger_accepts_empty_sentences():
    from newsaudit.models import quotes

    tagger = quotes.load()
    assert tagger.find([[]]) == []
    found = tagger.find([["Er", "sagte", ",", "es", "regne", "."], [], ["Gut", "."]])
    assert all(s != 1 for q in found for s, _ in q.message)


def _tags(rows: list[str]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Role tags from one letter per token: C cue, S source, M message, . none."""
    tags = []
    for row in rows:
        t = np.zeros((len(row), 4), dtype=bool)
        for i, c in enumerate(row):
            if c in "CSM":
                t[i, "CSM".index(c)] = True
        tags.append(t)
    return tags, [t.astype(float) for t in tags]


def test_message_extends_over_a_short_untagged_gap_to_the_clause_end():
    words = "Die neue Fähre fährt ab Mai , wie der Bürgermeister mitteilte .".split()
    tags, probs = _tags(["MMMMM.,CSSC."])
    (quote,) = assemble([words], tags, probs)
    assert [words[t] for _, t in quote.message][-1] == "Mai"


def test_message_does_not_extend_over_a_long_gap():
    words = "Die Fähre fährt wohl erst ab Mai , sagte er .".split()
    tags, probs = _tags(["MMM....,CS."])
    (quote,) = assemble([words], tags, probs)
    assert [words[t] for _, t in quote.message] == ["Die", "Fähre", "fährt"]


def test_a_cueless_fragment_is_not_free_indirect_speech():
    words = [
        "Die Stadt zahlt 12 Millionen Euro für eine neue Brücke .".split(),
        "Der Bürgermeister sagte , sie sei nötig .".split(),
    ]
    tags, probs = _tags(["...MMMM....", ".SSC.MMM."])
    quotes = assemble(words, tags, probs)
    assert [q.form for q in quotes] == ["Indirect"]
    assert {s for q in quotes for s, _ in q.message} == {1}


def test_a_whole_cueless_sentence_stays_free_indirect_speech():
    words = [
        "Der Minister sagte , er sei zufrieden .".split(),
        "Die Reform komme zur rechten Zeit .".split(),
    ]
    tags, probs = _tags(["SSC.MMM.", "..MMMM."])
    quotes = assemble(words, tags, probs)
    assert [q.form for q in quotes] == ["Indirect", "FreeIndirect"]
