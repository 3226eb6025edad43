"""Credibility signals: evidence on the judging words, nothing on a plain agency report."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudit.analyzers import credibility_lexicon as lexicon
from newsaudit.analyzers.base import Context
from newsaudit.analyzers.claims import ClaimsAnalyzer
from newsaudit.analyzers.credibility import CredibilityAnalyzer
from newsaudit.analyzers.quotes import QuotesAnalyzer
from newsaudit.ingest import document_from_text
from newsaudit.nlp.tokens import build_text_layer

# Hand-written in the style of a news agency: named sources, reporting verbs, no framing.
AGENCY = (
    "Bundesregierung beschließt Hilfspaket für Landwirte\n\n"
    "Berlin. Die Bundesregierung hat am Mittwoch ein Hilfspaket von 1,2 Milliarden Euro für "
    "Landwirte beschlossen. Das teilte Landwirtschaftsministerin Petra Hansen nach der "
    "Kabinettssitzung in Berlin mit. „Die Betriebe brauchen jetzt Planungssicherheit“, sagte "
    "Hansen. Der Bauernverband begrüßte die Entscheidung. Verbandspräsident Markus Ohlsen "
    "sagte, das Paket komme spät, aber es helfe vielen Höfen. Der haushaltspolitische Sprecher "
    "der Grünen, Jan Berger, sagte, die Regierung müsse erklären, woher das Geld komme. Das "
    "Paket soll im Herbst vom Bundestag verabschiedet werden."
)
# Hand-written with the framings the issue names.
FRAMED = (
    "Regierung in der Kritik\n\n"
    "Westliche Beobachter sehen das anders. Minister Karl Brandt sprach eine offene Drohung "
    "aus: „Wir werden die Zölle erhöhen.“ Später räumte Brandt ein, dass die Zölle auch "
    "heimische Firmen treffen. Brandts Eingeständnis kam spät. Das zeigt deutlich, dass die "
    "Regierung keinen Plan hat."
)


def _signals(text: str) -> tuple[str, dict]:
    document = document_from_text(text)
    context = Context(document=document, layer=build_text_layer(document))
    for analyzer in (QuotesAnalyzer(), ClaimsAnalyzer(), CredibilityAnalyzer()):
        context.results.update(analyzer.analyze(context))
    credibility = context.results["credibility"]
    return document.text, {s.name: s for s in credibility.signals}


@pytest.fixture(scope="module")
def agency():
    return _signals(AGENCY)


@pytest.fixture(scope="module")
def framed():
    return _signals(FRAMED)


def test_every_signal_says_why_in_both_languages_and_points_at_its_words(agency, framed):
    for text, signals in (agency, framed):
        for signal in signals.values():
            assert signal.explanation and signal.explanation_de
            for span in signal.spans:
                assert text[span.start : span.end] == span.text


def test_a_plain_agency_report_gets_no_framing_vague_source_or_conclusion(agency):
    _, signals = agency
    for name in (
        "speech_framing",
        "vague_sources",
        "unsupported_conclusions",
        "quotes_without_speaker",
        "headline_emotive",
        "exclamations",
    ):
        assert signals[name].value == 0, (name, signals[name].spans)
        assert signals[name].spans == []
    assert signals["named_sources"].value >= 2


def test_framing_words_are_found_and_linked_to_the_quote_they_judge(framed):
    text, signals = framed
    framing = signals["speech_framing"]
    words = [s.text for s in framing.spans]
    assert "offene Drohung" in words and "Eingeständnis" in words
    assert any(w.startswith("räumte") and w.endswith("ein") for w in words)
    threat = next(s for s in framing.spans if s.text == "offene Drohung")
    assert threat.quote is not None


def test_vague_source_and_unsupported_conclusion(framed):
    _, signals = framed
    assert [s.text for s in signals["vague_sources"].spans] == ["Westliche Beobachter"]
    conclusions = [s.text for s in signals["unsupported_conclusions"].spans]
    assert conclusions == ["Das zeigt deutlich, dass"]


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (lexicon.framing("de"), "Es gab es zu wenig Brot."),
        (lexicon.framing("de"), "Sie räumte das Zimmer auf."),
        (lexicon.framing("de"), "Die Bedrohung durch das Virus wächst."),
        (lexicon.vague_sources("de"), "Die Beamten der Polizei nahmen ihn fest."),
        (lexicon.vague_sources("de"), "Der Kreis Hinterfeld meldet 20 Fälle."),
        (lexicon.conclusions("de"), "Eine Studie der Universität zeigt, dass Masken helfen."),
        (lexicon.clickbait("de"), "Bundestag beschließt neues Gesetz"),
    ],
)
def test_everyday_words_do_not_count(pattern, text):
    assert pattern.search(text) is None


def test_headline_clickbait_and_shouting():
    text, signals = _signals(
        "SCHOCK: Was die Regierung verschweigt!\n\nDas ist ein UNGLAUBLICHER Vorgang! "
        "Die Regierung hat am Montag neue Regeln beschlossen."
    )
    headline = [s.text for s in signals["headline_emotive"].spans]
    assert "SCHOCK" in headline and "!" in headline
    assert any("verschweigt" in w for w in headline)
    assert signals["exclamations"].value > 0


def test_the_score_is_a_probability_with_the_signals_that_moved_it(agency, framed):
    from newsaudit.report.model import STYLE_ESTIMATE_NOTE

    for text in (AGENCY, FRAMED):
        document = document_from_text(text)
        context = Context(document=document, layer=build_text_layer(document))
        for analyzer in (QuotesAnalyzer(), ClaimsAnalyzer(), CredibilityAnalyzer()):
            context.results.update(analyzer.analyze(context))
        credibility = context.results["credibility"]
        assert 0.0 <= credibility.score <= 1.0
        assert credibility.score_effects
        effects = [abs(e.effect) for e in credibility.score_effects]
        assert effects == sorted(effects, reverse=True)
        assert credibility.note == STYLE_ESTIMATE_NOTE and "not a verdict" in credibility.note
        word_use = next(s for s in credibility.signals if s.name == "word_use")
        for span in word_use.spans:
            assert document.text[span.start : span.end] == span.text


def test_an_average_article_moves_nothing():
    from newsaudit.models import credibility

    scorer = credibility.load()
    average = dict(zip(scorer.names, scorer.mean.tolist(), strict=True))
    _, effects = scorer.score(average)
    assert all(e.effect == 0.0 for e in effects)


_WORDS = st.sampled_from(
    [
        "Experten",
        "US-Beamte",
        "sagte",
        "drohte",
        "Drohung",
        "räumte",
        "ein",
        "gab",
        "zu",
        "Dies",
        "zeigt",
        "deutlich",
        ",",
        "dass",
        "!",
        "SKANDAL",
        "„",
        "“",
        "\n\n",
        "aus",
        "Regierungskreisen",
        "Kirbys",
        "Eingeständnis",
        "Berlin",
        ".",
        "threat",
        "officials",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, max_size=60), st.booleans())
def test_signals_on_any_text_stay_inside_it(words: list[str], with_title: bool) -> None:
    from newsaudit.analyzers.credibility_signals import ArticleView, all_signals

    text = " ".join(words)
    title = (0, min(len(text), 20)) if with_title and text else None
    view = ArticleView(
        text=text,
        language="de",
        title=title,
        prose=[(0, len(text))],
        sentences=[(0, len(text))] if text else [],
        subjective=lambda texts: [0.9] * len(texts),
    )
    for signal in all_signals(view):
        assert signal.explanation and signal.explanation_de
        for span in signal.spans:
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start : span.end] == span.text


def _view(text: str, **extra):
    from newsaudit.analyzers.credibility_signals import ArticleView

    return ArticleView(
        text=text, language="de", title=None, prose=[(0, len(text))], sentences=[], **extra
    )


def test_metadata_signal_only_for_pages_and_names_what_is_missing():
    from newsaudit.analyzers.credibility_signals import metadata

    text = "Die Stadt baut eine Brücke."
    assert metadata(_view(text, metadata={"path": "a.txt"})) == []
    (complete,) = metadata(
        _view(
            text,
            metadata={
                "url": "https://x.example/a",
                "author": "A. B.",
                "date": "2024-01-02",
                "sitename": "X",
            },
        )
    )
    assert complete.value == "complete"
    (missing,) = metadata(_view(text, metadata={"url": "https://x.example/a", "hostname": "x"}))
    assert missing.value == "author, date missing"
    assert "Autor" in missing.explanation_de and "Datum" in missing.explanation_de


def test_known_narratives_become_a_signal_on_their_passage():
    from newsaudit.analyzers.credibility_signals import narratives

    text = "Die Wahl wurde gestohlen, sagen viele."
    assert narratives(_view(text)) == []
    match = {
        "case_id": "1",
        "title": "The election was stolen",
        "evidence": {"start": 0, "end": 24, "text": text[:24]},
    }
    (signal,) = narratives(_view(text, narratives=[match]))
    assert signal.value == 1 and signal.spans[0].text == "Die Wahl wurde gestohlen"
    assert "The election was stolen" in signal.explanation


def test_persuasion_density_reads_the_techniques_summary_when_there_is_one():
    from types import SimpleNamespace

    from newsaudit.analyzers.credibility_signals import persuasion

    text = "Ein Satz über die Brücke."
    summary = SimpleNamespace(strong_per_1000_words=12.5, percentile=93.0)
    (signal,) = persuasion(_view(text, persuasion=summary))
    assert signal.value == 12.5
    assert "93%" in signal.explanation and "12,5" in signal.explanation_de


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)), max_size=12),
    st.integers(0, 60),
    st.integers(0, 10),
)
def test_containment_lookup_agrees_with_a_scan(raw, start: int, length: int) -> None:
    """The bisection that keeps long texts linear finds a holding span exactly when a scan
    of every span does."""
    from newsaudit.analyzers.credibility_signals import _Containing

    spans = [(a, a + w) for a, w in raw]
    end = start + length
    holder = _Containing(spans).holder(start, end)
    holding = [i for i, (a, b) in enumerate(spans) if a <= start and end <= b]
    assert (holder is not None) == bool(holding)
    if holder is not None:
        assert holder in holding
