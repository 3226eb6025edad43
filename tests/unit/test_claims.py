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
    quote = Quote(start=5, end=10, text="x" * 5, kind="direct",
                  message=Span(start=5, end=10, text="x" * 5))
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
