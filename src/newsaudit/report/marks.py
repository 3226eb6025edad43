"""Flatten a Report's layers into highlight marks, each with the reason it was flagged.

Renderers (HTML page, service UI, terminal) share this so a highlight always says the same
thing wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsaudit.report.model import Report

LAYERS = ("entities", "quotes", "claims", "techniques", "keywords")
LAYER_TITLES = {
    "entities": "Entities",
    "quotes": "Quotes",
    "claims": "Claims",
    "techniques": "Techniques",
    "keywords": "Keywords",
}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    layer: str
    label: str
    reason: str


def _entity_marks(report: Report) -> list[Mark]:
    canonical = {c.id: c.canonical for c in report.entity_clusters}
    marks = []
    for entity in report.entities:
        reason = f"Named entity of type {entity.label}"
        if entity.cluster and entity.cluster in canonical:
            reason += f", one mention of “{canonical[entity.cluster]}”"
        marks.append(Mark(entity.start, entity.end, "entities", entity.label, reason))
    return marks


def _quote_marks(report: Report) -> list[Mark]:
    marks = []
    for quote in report.quotes:
        who = quote.speaker.text if quote.speaker else "an unnamed source"
        marks.append(
            Mark(
                quote.message.start,
                quote.message.end,
                "quotes",
                quote.kind,
                f"{quote.kind.replace('_', ' ').capitalize()} quote of {who}"
                + (f", introduced by “{quote.cue.text}”" if quote.cue else ""),
            )
        )
        if quote.speaker:
            marks.append(
                Mark(quote.speaker.start, quote.speaker.end, "quotes", "speaker", f"Speaker: {who}")
            )
    return marks


def _claim_marks(report: Report) -> list[Mark]:
    marks = []
    for claim in report.claims:
        source = claim.attributed_name or (
            "the outlet itself" if claim.attribution == "outlet" else "a quoted source"
        )
        reason = f"Check-worthy claim (score {claim.score:.2f}), asserted by {source}"
        if claim.subjective:
            reason += "; worded subjectively"
        if claim.reason:
            reason += f"; {claim.reason}"
        marks.append(Mark(claim.start, claim.end, "claims", claim.attribution, reason))
    return marks


def _technique_marks(report: Report) -> list[Mark]:
    marks = []
    for flag in report.techniques:
        name = flag.technique.replace("_", " ")
        score = f"score {flag.score:.2f}"
        if flag.threshold is not None:
            score += f", threshold {flag.threshold:.2f}"
        for span in flag.evidence or [flag]:
            reason = f"{name} ({score})"
            cues = getattr(span, "cues", None)
            if cues:
                reason += f"; words that weighed most: {', '.join(cues)}"
            if flag.definition:
                reason += f". {flag.definition}"
            marks.append(Mark(span.start, span.end, "techniques", flag.technique, reason))
    return marks


def _keyword_marks(report: Report) -> list[Mark]:
    return [
        Mark(o.start, o.end, "keywords", k.text, f"Keyword “{k.text}” (salience {k.score:.2f})")
        for k in report.keywords
        for o in k.occurrences
    ]


def collect_marks(report: Report) -> list[Mark]:
    marks = (
        _entity_marks(report)
        + _quote_marks(report)
        + _claim_marks(report)
        + _technique_marks(report)
        + _keyword_marks(report)
    )
    return [m for m in marks if 0 <= m.start < m.end <= len(report.text)]


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same set of marks (indices into the mark list)."""

    start: int
    end: int
    marks: tuple[int, ...]


def segment(text_length: int, marks: list[Mark]) -> list[Segment]:
    """Cut the text at every mark boundary so overlapping layers can all be shown."""
    cuts = {0, text_length}
    for mark in marks:
        cuts.add(mark.start)
        cuts.add(mark.end)
    points = sorted(cuts)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for i, mark in enumerate(marks):
        starts.setdefault(mark.start, []).append(i)
        ends.setdefault(mark.end, []).append(i)
    active: set[int] = set()
    segments = []
    for a, b in zip(points, points[1:], strict=False):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        segments.append(Segment(a, b, tuple(sorted(active))))
    return segments
