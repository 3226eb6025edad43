"""The narratives analyzer in the pipeline: a hand-written article that repeats a documented
claim gets the case with its debunk and evidence on that sentence; every evidence span is
an exact slice of the text; everyday news gets no match."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsaudit.document import Document
from newsaudit.pipeline import Pipeline, default_analyzers

ARTICLE = (
    "Neue Vorwürfe gegen Helfer in Syrien\n\n"
    "Ein Sender in Moskau hat am Sonntag einen Beitrag über den Krieg in Syrien gezeigt. "
    "Darin heißt es: Die Weißhelme sind eine vom Westen gesteuerte Terrorgruppe. "
    "Belege dafür nannte der Sender nicht."
)
EVERYDAY = (
    "Busse fahren häufiger\n\n"
    "Die Stadtverwaltung von Kassel hat am Montag einen neuen Plan für den Busverkehr "
    "vorgestellt. Nach Angaben der Behörde sollen die Linien ab dem Frühjahr häufiger fahren."
)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(default_analyzers(["narratives"]))


def _report(pipeline: Pipeline, text: str):
    from newsaudit.ingest import document_from_text

    return pipeline.run(document_from_text(text, id="t"))


def _check_offsets(report) -> None:
    for match in report.narratives:
        evidence = match.evidence
        assert report.text[evidence.start : evidence.end] == evidence.text
        group = report.narrative_groups[match.narrative]
        assert report.narratives.index(match) in group.matches and group.case_count >= 1


def test_a_repeated_claim_is_matched_with_its_debunk(pipeline: Pipeline) -> None:
    report = _report(pipeline, ARTICLE)
    _check_offsets(report)
    white_helmets = [m for m in report.narratives if "White Helmets" in m.title]
    assert white_helmets, [m.title for m in report.narratives]
    best = white_helmets[0]
    assert "Weißhelme sind eine vom Westen gesteuerte Terrorgruppe" in best.evidence.text
    assert best.probability >= pipeline.analyzers[-1]._model.threshold
    assert best.url is None or best.url.startswith("https://euvsdisinfo.eu/")
    assert report.findings[0].kind == "narrative"


def test_everyday_news_matches_nothing(pipeline: Pipeline) -> None:
    assert _report(pipeline, EVERYDAY).narratives == []


def test_the_sample_keeps_exact_offsets(pipeline: Pipeline, sample_path: Path) -> None:
    from newsaudit.ingest import load_source

    report = pipeline.run(load_source(str(sample_path)))
    _check_offsets(report)
    info = {a.name: a for a in report.analyzers}["narratives"]
    assert info.status == "ok" and info.model == "narratives-euvsdisinfo"


def test_an_unsupported_language_is_skipped(pipeline: Pipeline) -> None:
    document = Document(id="x", text="Ceci est un texte.", language="fr")
    report = pipeline.run(document)
    info = {a.name: a for a in report.analyzers}["narratives"]
    assert info.status == "skipped" and report.narratives == []


def test_at_most_max_passages_are_encoded_alone(pipeline: Pipeline, prose) -> None:
    from newsaudit.analyzers.base import Context
    from newsaudit.analyzers.narratives import MAX_PASSAGES, passages
    from newsaudit.ingest import document_from_text
    from newsaudit.nlp.tokens import build_text_layer

    text = "Neuer Busplan für Kassel\n\n" + "\n\n".join(prose(600, seed=s) for s in range(8))
    document = document_from_text(text, id="long")
    report = pipeline.run(document)
    context = Context(document=document, layer=build_text_layer(document))
    context.results["claims"] = report.claims
    narratives = pipeline.analyzers[-1]
    spans = passages(context)
    gated = narratives._gated(context, spans)
    assert len(spans) > MAX_PASSAGES >= len(gated)
    assert set(gated) <= set(spans)


def _gated(pipeline: Pipeline, document) -> list[tuple[int, int]]:
    from newsaudit.analyzers.base import Context
    from newsaudit.analyzers.narratives import passages
    from newsaudit.nlp.tokens import build_text_layer

    report = pipeline.run(document)
    context = Context(document=document, layer=build_text_layer(document))
    context.results["claims"] = report.claims
    return pipeline.analyzers[-1]._gated(context, passages(context))


def test_the_sample_terror_network_claim_is_encoded(pipeline: Pipeline, sample_path: Path) -> None:
    # Regression: the passages of the paragraphs closest to the index took the whole budget
    # and the MOD's "US-kontrolliertes internationales Terrornetzwerk" was never encoded.
    from newsaudit.ingest import load_source

    document = load_source(str(sample_path))
    texts = [document.text[s:e] for s, e in _gated(pipeline, document)]
    assert any("US-kontrolliertes internationales Terrornetzwerk" in t for t in texts), texts


def test_passages_are_taken_one_per_paragraph_per_round(pipeline: Pipeline) -> None:
    from newsaudit.ingest import document_from_text

    claims = [
        "Die Weißhelme sind eine vom Westen gesteuerte Terrorgruppe, sagte der Sender.",
        "Die Vereinigten Staaten unterstützen in Syrien die Terroristen, sagte er.",
        "Die NATO bereitet einen Angriff auf Russland vor, behauptete der Sprecher.",
    ]
    paragraphs = [" ".join(claims)] * 4
    document = document_from_text("Syrien und der Westen\n\n" + "\n\n".join(paragraphs), id="rr")
    blocks = [b for b in document.analysable_blocks if b.role != "title"]
    starts = [s for s, _ in _gated(pipeline, document)]
    per_block = [sum(b.start <= s < b.end for s in starts) for b in blocks]
    assert max(per_block) - min(per_block) <= 1, per_block


def _us_backs_terror(title: str) -> bool:
    return "terror" in title.casefold() and any(
        actor in title for actor in ("US", "U.S", "Washington", "West", "America")
    )


def test_the_bare_terror_network_claim_ranks_a_us_terror_case_first(
    pipeline: Pipeline, sample_path: Path
) -> None:
    # The MOD's claim as written ranks cases on the US in Syria first; its bare claim
    # (the content clause without the relative clause that "angeblich" marks as denied and
    # without "in Wahrheit"), queried as well, ranks a case of the US backing terrorists
    # first.
    from newsaudit.analyzers.embeddings import sentence_encodings
    from newsaudit.analyzers.narrative_matcher import query_texts
    from newsaudit.models import narratives

    text = sample_path.read_text(encoding="utf-8")
    start = text.index("ein klares Bekenntnis")
    passage = text[start : text.index("Terrornetzwerk ist.", start) + len("Terrornetzwerk ist.")]
    model = narratives.load()
    firsts = []
    queries = query_texts(passage)
    assert queries[1] == "die Opposition ein US-kontrolliertes internationales Terrornetzwerk ist."
    for query, e in zip(queries, sentence_encodings(queries), strict=True):
        found = model.candidates(e.vector, query, "de", e.states)
        firsts.append(model.cases[int(model.entry_case[found.rows[0]])].title)
    assert not _us_backs_terror(firsts[0]) and _us_backs_terror(firsts[1]), firsts


def test_the_sample_matches_us_support_for_terrorists(
    pipeline: Pipeline, sample_path: Path
) -> None:
    # Issue 17: the sample's "US-kontrolliertes internationales Terrornetzwerk" claim
    # matches a case of the US backing terrorists, with evidence on that sentence.
    from newsaudit.ingest import load_source

    report = pipeline.run(load_source(str(sample_path)))
    found = [
        m
        for m in report.narratives
        if "Terrornetzwerk" in m.evidence.text and _us_backs_terror(m.title)
    ]
    assert found, [(m.title, m.evidence.text) for m in report.narratives]
