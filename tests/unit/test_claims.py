"""Claims: check-worthiness rules, attribution to quote speakers or the outlet, shares."""

from __future__ import annotations

import pytest

from newsaudit.analyzers.base import Context
from newsaudit.analyzers.claims import ClaimsAnalyzer, segments
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


def test_checkworthy_facts_score_above_chatter() -> None:
    from newsaudit.encoder.embedder import Embedder
    from newsaudit.models import checkworthiness

    model, embedder = checkworthiness.load(), Embedder()

    def score(text: str) -> float:
        return model.score(embedder.encode(text), text).probability

    facts = (
        "Die Arbeitslosigkeit ist im vergangenen Jahr um 12 Prozent gestiegen.",
        "Unemployment rose by 12 percent last year.",
    )
    chatter = ("Vielen Dank, dass Sie heute hier sind.", "Thank you all for coming tonight.")
    for fact in facts:
        assert score(fact) >= model.threshold
    for line in chatter:
        assert score(line) < model.threshold
    assert model.score(embedder.encode("Arbeitslosigkeit"), "").words == []


def test_segments_cut_sentences_at_messages():
    quote = Quote(
        start=5, end=10, text="x" * 5, kind="direct", message=Span(start=5, end=10, text="x" * 5)
    )
    assert segments(0, 20, [(5, 10, quote)]) == [(0, 5, None), (5, 10, quote), (10, 20, None)]
    assert segments(0, 4, [(5, 10, quote)]) == [(0, 4, None)]


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


def test_reason_names_the_model_and_its_words(analysed):
    _, results = analysed
    money = next(c for c in results["claims"] if "12 Millionen" in c.text)
    assert money.reason.startswith("check-worthiness model ")
    assert "words that weighed most" in money.reason


def test_a_speech_tag_alone_is_not_a_claim(analysed):
    _, results = analysed
    assert not any(c.text.startswith("sagte Bürgermeisterin") for c in results["claims"])


def test_attribution_shares_sum_to_one(analysed):
    from newsaudit.analyzers.credibility import CredibilityAnalyzer

    document, results = analysed
    context = Context(document=document, layer=build_text_layer(document), results=dict(results))
    shares = CredibilityAnalyzer().analyze(context)["credibility"].attribution_shares
    assert set(shares) == {"quotes", "outlet_assertions", "outlet_opinion"}
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
    assert shares["quotes"] > 0


def test_segments_of_ordered_sentences_match_cutting_at_every_message() -> None:
    from newsaudit.analyzers.claims import Sweep

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
    sweep = Sweep(messages)
    for start in range(0, 200, 7):
        end = start + 11
        assert segments(start, end, sweep.overlapping(start, end)) == segments(
            start, end, sorted(messages, key=lambda m: m[:2])
        )
