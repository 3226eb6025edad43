"""Claims: check-worthiness rules, attribution to quote speakers or the outlet, shares."""

from __future__ import annotations

import pytest

from newsaudit.analyzers.base import Context
from newsaudit.analyzers.claims import ClaimsAnalyzer, _segments, checkworthiness
from newsaudit.analyzers.quotes import QuotesAnalyzer
from newsaudit.ingest import document_from_text
from newsaudit.nlp.tokens import build_text_layer
from newsaudit.report.model import Quote, Span

# Hand-written, not from any news source.
ARTICLE = (
    "Streit um die Brücke in Hinterfeld\n\n"
    "Die Stadt Hinterfeld hat im Mai 12 Millionen Euro für eine neue Brücke bewilligt. "
    "„Die Opposition lügt über die Kosten“, sagte Bürgermeisterin Anna Lindqvist. "
    "Dieser Schritt zeigt deutlich, dass die Stadtverwaltung völlig versagt hat."
)


def test_checkworthiness_rewards_numbers_accusations_and_causes():
    plain, _ = checkworthiness("Das Wetter war schön heute.", entity_overlap=False)
    numbers, reasons = checkworthiness(
        "Die Armee hat 40 Dörfer angegriffen und besetzt.", entity_overlap=True
    )
    assert numbers > plain
    assert any("number" in r for r in reasons)
    assert any("accusation" in r for r in reasons)
    assert checkworthiness("Warum?", entity_overlap=False) == (0.0, [])


def test_segments_cut_sentences_at_messages():
    quote = Quote(
        start=5, end=10, text="x" * 5, kind="direct", message=Span(start=5, end=10, text="x" * 5)
    )
    assert _segments(0, 20, [(5, 10, quote)]) == [(0, 5, None), (5, 10, quote), (10, 20, None)]
    assert _segments(0, 4, [(5, 10, quote)]) == [(0, 4, None)]


@pytest.fixture(scope="module")
def analysed():
    document = document_from_text(ARTICLE)
    context = Context(document=document, layer=build_text_layer(document))
    context.results.update(QuotesAnalyzer().analyze(context))
    context.results.update(ClaimsAnalyzer().analyze(context))
    return document, context.results


def test_claim_offsets_and_attribution(analysed):
    document, results = analysed
    claims = results["claims"]
    assert claims
    for claim in claims:
        assert document.text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.score <= 1.0
        assert claim.reason
    money = [c for c in claims if "12 Millionen" in c.text]
    assert money and money[0].attribution == "outlet" and money[0].attributed_to is None
    quoted = [c for c in claims if "Opposition lügt" in c.text]
    assert quoted and quoted[0].attribution == "source"
    assert "Lindqvist" in (quoted[0].attributed_name or "")


def test_title_is_not_a_claim(analysed):
    _, results = analysed
    assert not any(c.text.startswith("Streit um") for c in results["claims"])


def test_attribution_shares_sum_to_one(analysed):
    _, results = analysed
    shares = results["credibility"].attribution_shares
    assert set(shares) == {"quotes", "outlet_assertions", "outlet_opinion"}
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
    assert shares["quotes"] > 0


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("Die Stadt liegt am Rhein und hat viele Einwohner.", "de"),
        ("Die Lieferung kam vorwiegend pünktlich an, lediglich ein Paket fehlte.", "de"),
        ("Die Drohne flog eine Weile über dem Totem, das Duell war kurz.", "de"),
        ("Die Polizei führte eine Kontrolle durch, die Stelle ist neu besetzt.", "de"),
        ("Das Foto zeigt den Bürgermeister beim Empfang im Rathaus.", "de"),
        ("Die Shows im Fernsehen laufen seit Jahren am Abend.", "de"),
        ("Ein bombastisches Feuerwerk beendete das Lied am Abend.", "de"),
        ("The city lies on the Rhine and has many inhabitants.", "en"),
        ("The team was led by a coach who is accustomed to winning.", "en"),
    ],
)
def test_cue_stems_do_not_match_inside_unrelated_words(sentence: str, language: str) -> None:
    # Regression: "lie" matched "liegt" and "Lieferung" ("accusation or violence: liegt").
    _, reasons = checkworthiness(sentence, entity_overlap=False, language=language)
    assert not [r for r in reasons if r.startswith(("accusation", "causal"))], reasons


@pytest.mark.parametrize(
    ("sentence", "language", "cue"),
    [
        (
            "Die Armee hat 40 Dörfer angegriffen und besetzt.",
            "de",
            "accusation or violence: angegriffen",
        ),
        (
            "Der Minister hat über die Kosten der Brücke gelogen.",
            "de",
            "accusation or violence: gelogen",
        ),
        ("The minister lied about the costs of the bridge.", "en", "accusation or violence: lied"),
        (
            "Die Inflation führt zu steigenden Preisen in allen Städten.",
            "de",
            "causal or conclusive: führt zu",
        ),
        (
            "Der Bericht zeigt deutlich, dass die Regierung versagt hat.",
            "de",
            "causal or conclusive: zeigt deutlich, dass",
        ),
        ("Prices rose sharply last year due to the war.", "en", "causal or conclusive: due to"),
    ],
)
def test_cues_in_their_own_words_still_count(sentence: str, language: str, cue: str) -> None:
    _, reasons = checkworthiness(sentence, entity_overlap=False, language=language)
    assert cue in reasons


def test_segments_of_ordered_sentences_match_cutting_at_every_message() -> None:
    from newsaudit.analyzers.claims import _Sweep

    text = "x" * 200
    quotes = [
        Quote(
            start=a,
            end=b,
            text=text[a:b],
            kind="direct",
            message=Span(start=a, end=b, text=text[a:b]),
        )
        for a, b in ((5, 40), (10, 15), (60, 65), (90, 180), (120, 130))
    ]
    messages = [(q.message.start, q.message.end, q) for q in quotes]
    sweep = _Sweep(messages)
    for start in range(0, 200, 7):
        end = start + 11
        assert _segments(start, end, sweep.overlapping(start, end)) == _segments(
            start, end, sorted(messages, key=lambda m: m[:2])
        )
