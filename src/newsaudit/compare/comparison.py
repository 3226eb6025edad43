"""Article and sources in, CompareReport out: units, alignment, changes, given offsets."""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from newsaudit.compare import model
from newsaudit.compare.align import Alignment, Source, align_unit
from newsaudit.compare.changes import Change, detect_changes
from newsaudit.compare.inputs import Given, load_given
from newsaudit.compare.source import source_sentences
from newsaudit.compare.text import encode_passages
from newsaudit.compare.units import article_units, figure_units
from newsaudit.config import Limits
from newsaudit.document import Document
from newsaudit.errors import InputError
from newsaudit.pipeline import Pipeline
from newsaudit.report.model import Report

# Coverage an alignment needs: lower when the source says the same person speaks (the
# article's second quote of a statement may render it loosely), higher when nothing but
# the wording links the two.
ACCEPT_SAME_SPEAKER = 0.5
ACCEPT = 0.68
# A sentence outside every unit links by its wording alone, and a changed figure is one
# word less that links.
ACCEPT_FIGURES = 0.6
ANALYZERS = ("entities", "quotes", "claims")
# A source of up to this many sentences is encoded whole; in a longer one, each unit's
# nearest sentences by static embeddings (and their neighbours) are encoded.
ENCODE_ALL_UP_TO = 48
NEAREST = 8
# ... and the nearest of a sentence outside every unit without figures (read for hedges,
# conditions and scope only, it renders one passage if any).
NEAREST_OUTLET = 2
MAX_SOURCES = 20

TextInput = str | bytes | Path | Document


@cache
def article_pipeline() -> Pipeline:
    from newsaudit.pipeline import default_analyzers

    return Pipeline(default_analyzers(ANALYZERS))


def _source(
    index: int, given: Given, unit_texts: list[str], outlet_texts: Sequence[str] = ()
) -> Source:
    text = given.document.text
    sentences = source_sentences(text)
    if len(sentences) > ENCODE_ALL_UP_TO and (unit_texts or outlet_texts):
        chosen = set(_nearest(text, sentences, unit_texts, NEAREST)) if unit_texts else set()
        if outlet_texts:
            chosen |= set(_nearest(text, sentences, list(outlet_texts), NEAREST_OUTLET))
        sentences = [sentences[i] for i in sorted(chosen)]
    passages = encode_passages(text, [(s.start, s.end) for s in sentences])
    return Source(index, text, sentences, passages)


def _nearest(text: str, sentences, unit_texts: list[str], nearest: int) -> list[int]:
    """Indices of the sentences nearest to any unit by static embeddings, with neighbours."""
    from newsaudit.compare.encoding import static_vectors

    found = static_vectors([text[s.start : s.end] for s in sentences])
    wanted = static_vectors(unit_texts)
    centre = found.mean(axis=0)
    found, wanted = found - centre, wanted - centre
    found /= np.maximum(np.linalg.norm(found, axis=1, keepdims=True), 1e-9)
    wanted /= np.maximum(np.linalg.norm(wanted, axis=1, keepdims=True), 1e-9)
    chosen: set[int] = set()
    for row in wanted @ found.T:
        for i in np.argsort(-row)[:nearest]:
            chosen |= {j for j in (i - 1, i, i + 1) if 0 <= j < len(sentences)}
    return sorted(chosen)


def _accepted(alignment: Alignment) -> bool:
    threshold = ACCEPT_SAME_SPEAKER if alignment.same_speaker() else ACCEPT
    return alignment.coverage >= threshold


def _align(units, passages, sources: list[Source]) -> tuple[list[Alignment], list[Alignment]]:
    """(accepted alignments, the best rejected candidate of each unit that has none)."""
    previous: dict[int, Alignment] = {}
    accepted, rejected = [], []
    for unit, passage in zip(units, passages, strict=True):
        candidates = [
            a
            for source in sources
            if (a := align_unit(unit, passage, source, previous.get(source.index))) is not None
        ]
        good = [a for a in candidates if _accepted(a)]
        if not good:
            if candidates:
                rejected.append(max(candidates, key=lambda a: a.coverage))
            continue
        best = max(good, key=lambda a: a.score)
        previous[best.source.index] = best
        accepted.append(best)
    return accepted, rejected


def compare(
    article: TextInput,
    sources: Sequence[TextInput],
    *,
    limits: Limits | None = None,
    pipeline: Pipeline | None = None,
    article_report: Report | None = None,
) -> model.CompareReport:
    """Align the article's quotes and attributed claims with the sources; report changes.

    ``article_report``: the article's Report when the caller has it already (entities,
    quotes and claims of this very Document), so the article pipeline does not run again.
    """
    if not sources:
        raise InputError("give at least one source to compare the article with")
    if len(sources) > MAX_SOURCES:
        raise InputError(f"at most {MAX_SOURCES} sources at once, not {len(sources)}")
    timings: dict[str, float] = {}
    began = time.perf_counter()
    given_article = load_given(article, _name(article, "article"), limits)
    given_sources = [
        load_given(s, _name(s, f"source {i + 1}"), limits) for i, s in enumerate(sources)
    ]
    timings["load"] = time.perf_counter() - began
    mark = time.perf_counter()
    report = article_report or (pipeline or article_pipeline()).run(given_article.document)
    timings["article"] = time.perf_counter() - mark
    alignments, unmatched, figured = _aligned(report, given_sources, timings)
    mark = time.perf_counter()
    changes = detect_changes(report, alignments, unmatched, figured=figured)
    timings["compare"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - began
    return model.CompareReport(
        article=_text(given_article, report.language),
        sources=[_text(g, g.document.language) for g in given_sources],
        findings=[_finding(c, given_article, given_sources) for c in changes],
        alignments=[_alignment(a, given_article, given_sources) for a in alignments],
        timings={k: round(v, 6) for k, v in timings.items()},
    )


def _aligned(
    report: Report, given_sources: list[Given], timings: dict[str, float]
) -> tuple[list[Alignment], list[Alignment], list[Alignment]]:
    """(accepted alignments, best rejected candidates) of the article's units, and the
    accepted alignments of its sentences outside every unit (``figure_units``)."""
    mark = time.perf_counter()
    units = article_units(report)
    extra = figure_units(report, units)
    unit_texts = [report.text[u.start : u.end] for u in units + extra if u.origin != "outlet"]
    outlet_texts = [report.text[u.start : u.end] for u in extra if u.origin == "outlet"]
    encoded_sources = [_source(i, g, unit_texts, outlet_texts) for i, g in enumerate(given_sources)]
    passages = encode_passages(report.text, [(u.start, u.end) for u in units + extra])
    timings["encode"] = time.perf_counter() - mark
    accepted, rejected = _align(units, passages[: len(units)], encoded_sources)
    return accepted, rejected, _align_figures(extra, passages[len(units) :], encoded_sources)


def _align_figures(units, passages, sources: list[Source]) -> list[Alignment]:
    """The best alignment of each sentence outside the units that covers it
    ``ACCEPT_FIGURES``."""
    found = []
    for unit, passage in zip(units, passages, strict=True):
        candidates = [a for s in sources if (a := align_unit(unit, passage, s)) is not None]
        good = [a for a in candidates if a.coverage >= ACCEPT_FIGURES]
        if good:
            found.append(max(good, key=lambda a: a.score))
    return found


def aligned(
    article: str, sources: Sequence[str]
) -> tuple[Report, list[Alignment], list[Alignment]]:
    """The article's Report, accepted alignments and best rejected candidates: what the
    change detectors read (training the learned one reads them too)."""
    given_article = load_given(article, "article", None)
    given_sources = [load_given(s, f"source {i + 1}", None) for i, s in enumerate(sources)]
    report = article_pipeline().run(given_article.document)
    alignments, unmatched, _ = _aligned(report, given_sources, {})
    return report, alignments, unmatched


def _name(source: TextInput, default: str) -> str:
    if isinstance(source, Path):
        return f"{default} ({source})"
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        return f"{default} ({source})"
    return default


def _text(given: Given, language: str | None) -> model.Text:
    return model.Text(name=given.name, language=language, text=given.given)


def _finding(change: Change, article: Given, sources: list[Given]) -> model.Finding:
    a_start, a_end, a_text = article.given_span(*change.article)
    source = sources[change.alignment.source.index]
    s_start, s_end, s_text = source.given_span(*change.source)
    return model.Finding(
        kind=change.kind,  # type: ignore[arg-type]
        article_start=a_start,
        article_end=a_end,
        article_text=a_text,
        source_index=change.alignment.source.index,
        source_start=s_start,
        source_end=s_end,
        source_text=s_text,
        explanation=change.explanation,
        score=_score(change.alignment),
    )


def _score(alignment: Alignment) -> float:
    return round(float(np.clip(alignment.coverage, 0.0, 1.0)), 3)


def _alignment(alignment: Alignment, article: Given, sources: list[Given]) -> model.Alignment:
    a_start, a_end, a_text = article.given_span(alignment.unit.start, alignment.unit.end)
    source = sources[alignment.source.index]
    s_start, s_end, s_text = source.given_span(*alignment.region_span)
    passages = []
    for i in alignment.sentences:
        sentence = alignment.source.sentences[i]
        passages.append((source.given_offset(sentence.start), source.given_offset(sentence.end)))
    return model.Alignment(
        article_start=a_start,
        article_end=a_end,
        article_text=a_text,
        speaker=alignment.unit.speaker,
        source_index=alignment.source.index,
        source_start=s_start,
        source_end=s_end,
        source_text=s_text,
        source_speaker=alignment.source_speaker(),
        passages=passages,
        similarity=_score(alignment),
    )
