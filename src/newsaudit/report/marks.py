"""Flatten a Report's layers into highlight marks, each with the reason it was flagged.

Renderers (HTML page, service UI, terminal) share this so a highlight always says the same
thing wherever it is shown. Each layer is one small function; a new layer (narratives, a
credibility signal) adds its function to ``_LAYER_MARKS`` and its titles to ``LAYER_TITLES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newsaudit.report.flags import confidence, is_strong
from newsaudit.report.labels import technique_name
from newsaudit.report.model import Report

# Layers a reader can switch on, techniques first (the one shown by default).
LAYERS = ("techniques", "narratives", "quotes", "claims", "credibility", "entities", "keywords")
LAYER_TITLES = {
    "narratives": ("Known narratives", "Bekannte Narrative"),
    "techniques": ("Techniques", "Techniken"),
    "quotes": ("Quotes", "Zitate"),
    "claims": ("Claims", "Behauptungen"),
    "credibility": ("Credibility signals", "Glaubwürdigkeitssignale"),
    "entities": ("Names", "Namen"),
    "keywords": ("Keywords", "Schlagwörter"),
}
# Marks that belong to no switchable layer: evidence words (shown with their technique) and
# the passages findings point at (never styled, only focused when a link is followed).
CUES, FINDINGS = "cues", "findings"
_ENTITY_TYPES = {
    "PER": ("person", "Person"),
    "ORG": ("organisation", "Organisation"),
    "LOC": ("place", "Ort"),
    "OTH": ("other name", "sonstiger Name"),
}
_QUOTE_KINDS = {
    "direct": ("Direct quote", "Direktes Zitat"),
    "indirect": ("Indirect quote", "Indirektes Zitat"),
    "free_indirect": ("Free indirect quote", "Erlebte Rede"),
    "reported": ("Reported speech", "Redebericht"),
}


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    layer: str
    label: str
    reason: str
    reason_de: str = ""
    strong: bool = True
    ref: int | None = None  # index of the item in its Report field


def _number(value: float, language: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "de" else text


def _entity_marks(report: Report) -> list[Mark]:
    canonical = {c.id: c.canonical for c in report.entity_clusters}
    marks = []
    for i, entity in enumerate(report.entities):
        kind_en, kind_de = _ENTITY_TYPES.get(entity.label, (entity.label, entity.label))
        reason, reason_de = f"Name of a {kind_en}", f"Name: {kind_de}"
        if entity.cluster and entity.cluster in canonical:
            reason += f", one mention of “{canonical[entity.cluster]}”"
            reason_de += f", eine Nennung von „{canonical[entity.cluster]}“"
        marks.append(
            Mark(entity.start, entity.end, "entities", entity.label, reason, reason_de, ref=i)
        )
    return marks


def _quote_marks(report: Report) -> list[Mark]:
    marks = []
    for i, quote in enumerate(report.quotes):
        kind_en, kind_de = _QUOTE_KINDS.get(quote.kind, (quote.kind, quote.kind))
        who_en = quote.speaker.text if quote.speaker else "an unnamed source"
        who_de = quote.speaker.text if quote.speaker else "einer ungenannten Quelle"
        cue_en = f", introduced by “{quote.cue.text}”" if quote.cue else ""
        cue_de = f", eingeleitet mit „{quote.cue.text}“" if quote.cue else ""
        marks.append(
            Mark(
                quote.message.start,
                quote.message.end,
                "quotes",
                quote.kind,
                f"{kind_en} of {who_en}{cue_en}",
                f"{kind_de} von {who_de}{cue_de}",
                ref=i,
            )
        )
        if quote.speaker:
            marks.append(
                Mark(
                    quote.speaker.start,
                    quote.speaker.end,
                    "quotes",
                    "speaker",
                    f"Speaker: {who_en}",
                    f"Sprecher: {who_de}",
                    ref=i,
                )
            )
    return marks


def _claim_marks(report: Report) -> list[Mark]:
    marks = []
    for i, claim in enumerate(report.claims):
        if claim.attributed_name:
            source_en = source_de = claim.attributed_name
        elif claim.attribution == "outlet":
            source_en, source_de = "the outlet itself", "dem Medium selbst"
        else:
            source_en, source_de = "a quoted source", "einer zitierten Quelle"
        reason = (
            f"Check-worthy claim (check-worthiness {_number(claim.score, 'en')}), "
            f"asserted by {source_en}"
        )
        reason_de = (
            f"Prüfwürdige Behauptung (Prüfwürdigkeit {_number(claim.score, 'de')}), "
            f"aufgestellt von {source_de}"
        )
        if claim.subjective:
            reason += "; worded subjectively"
            reason_de += "; subjektiv formuliert"
        if claim.reason:
            reason += f"; {claim.reason}"
        marks.append(
            Mark(claim.start, claim.end, "claims", claim.attribution, reason, reason_de, ref=i)
        )
    return marks


def _credibility_marks(report: Report) -> list[Mark]:
    """Each credibility signal's evidence, with the signal's sentence as the reason."""
    if report.credibility is None:
        return []
    return [
        Mark(
            span.start,
            span.end,
            "credibility",
            signal.name,
            f"Credibility signal ({signal.name.replace('_', ' ')}): {signal.explanation}",
            f"Glaubwürdigkeitssignal ({signal.name.replace('_', ' ')}): "
            f"{signal.explanation_de or signal.explanation}",
            ref=i,
        )
        for i, signal in enumerate(report.credibility.signals)
        for span in signal.spans
    ]


def _cue_spans(text: str, start: int, end: int, cues: list[str]) -> list[tuple[int, int]]:
    """Where the evidence words occur inside their sentence (whole words only)."""
    spans = []
    for cue in dict.fromkeys(c for c in cues if c.strip()):
        pattern = re.compile(rf"(?<!\w){re.escape(cue)}(?!\w)")
        spans += [(start + m.start(), start + m.end()) for m in pattern.finditer(text[start:end])]
    return spans


def _technique_marks(report: Report) -> list[Mark]:
    marks = []
    for i, flag in enumerate(report.techniques):
        strong = is_strong(flag)
        score_en = f"score {_number(confidence(flag), 'en')}"
        score_de = f"Wert {_number(confidence(flag), 'de')}"
        if flag.threshold is not None:
            score_en += f", threshold {_number(flag.threshold, 'en')}"
            score_de += f", Schwelle {_number(flag.threshold, 'de')}"
        if not strong:
            score_en += ", possible"
            score_de += ", möglich"
        for span in flag.evidence or [flag]:
            cues = getattr(span, "cues", None) or []
            reason = f"{technique_name(flag.technique, 'en')} ({score_en})"
            reason_de = f"{technique_name(flag.technique, 'de')} ({score_de})"
            if cues:
                reason += f"; words that weighed most: {', '.join(cues)}"
                reason_de += f"; Wörter mit dem größten Gewicht: {', '.join(cues)}"
            if flag.definition:
                reason += f". {flag.definition}"
            if flag.definition_de:
                reason_de += f". {flag.definition_de}"
            marks.append(
                Mark(
                    span.start,
                    span.end,
                    "techniques",
                    flag.technique,
                    reason,
                    reason_de,
                    strong=strong,
                    ref=i,
                )
            )
            marks += [
                Mark(a, b, CUES, flag.technique, "", strong=strong, ref=i)
                for a, b in _cue_spans(report.text, span.start, span.end, cues)
            ]
    return marks


def _keyword_marks(report: Report) -> list[Mark]:
    return [
        Mark(
            o.start,
            o.end,
            "keywords",
            k.text,
            f"Keyword “{k.text}” (salience {_number(k.score, 'en')})",
            f"Schlagwort „{k.text}“ (Gewicht {_number(k.score, 'de')})",
            ref=i,
        )
        for i, k in enumerate(report.keywords)
        for o in k.occurrences
    ]


def _narrative_marks(report: Report) -> list[Mark]:
    marks = []
    for i, match in enumerate(report.narratives):
        probability = (_number(match.probability, "en"), _number(match.probability, "de"))
        marks.append(
            Mark(
                match.evidence.start,
                match.evidence.end,
                "narratives",
                match.case_id,
                f"Repeats a case of {match.database}: “{match.title}” "
                f"(probability {probability[0]})",
                f"Wiederholt einen Fall von {match.database}: „{match.title}“ "
                f"(Wahrscheinlichkeit {probability[1]})",
                ref=i,
            )
        )
    return marks


def _finding_marks(report: Report) -> list[Mark]:
    return [
        Mark(f.start, f.end, FINDINGS, f.kind, f.sentence, f.sentence_de, ref=i)
        for i, f in enumerate(report.findings)
        if f.end > f.start
    ]


_LAYER_MARKS: tuple[Callable[[Report], list[Mark]], ...] = (
    _technique_marks,
    _narrative_marks,
    _quote_marks,
    _claim_marks,
    _credibility_marks,
    _entity_marks,
    _keyword_marks,
    _finding_marks,
)


def collect_marks(report: Report) -> list[Mark]:
    marks = [m for layer in _LAYER_MARKS for m in layer(report)]
    return [m for m in marks if 0 <= m.start < m.end <= len(report.text)]


@dataclass(frozen=True)
class Segment:
    """A stretch of text covered by the same set of marks (indices into the mark list)."""

    start: int
    end: int
    marks: tuple[int, ...]


def segment(text_length: int, marks: list[Mark], cuts_at: Iterable[int] = ()) -> list[Segment]:
    """Cut the text at every mark boundary (and ``cuts_at``) so overlapping layers all show."""
    cuts = {0, text_length, *(c for c in cuts_at if 0 < c < text_length)}
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
