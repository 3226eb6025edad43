"""Findings first: the few things in a Report that a reader should look at before the rest.

Each layer contributes through one finder, a function from a Report to candidate findings of
one tier. Tiers order the list (known narratives and distorted quotes, then check-worthy claims
without a source, then strong persuasion flags, then the credibility score); within a tier the
strongest evidence comes first. A layer this Report does not have yet yields nothing, so the
analyzers of other issues plug in as they land (narratives and the credibility score already
do, by their documented shapes); a new layer adds its finder to ``FINDERS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from newsaudit.report.flags import confidence, is_strong
from newsaudit.report.labels import signal_name, technique_name
from newsaudit.report.model import Finding, Report

MAX_FINDINGS = 8
_PER_TIER = {1: 4, 2: 5, 3: 4, 4: 1}
_SNIPPET = 90

# Sources that name nobody who could be asked: "experts say", "according to circles".
_VAGUE_SOURCE = re.compile(
    r"\b(experten|beobachter|kreise[n]?|insider[n]?|kritiker[n]?|medienberichte[n]?|berichte[n]?"
    r"|quellen|informationen|angaben|stimmen|man|experts?|observers|insiders?|critics|sources?"
    r"|reports?|officials)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    tier: int
    strength: float
    kind: str
    severity: str
    layer: str
    ref: int | None
    start: int
    end: int
    sentence: str
    sentence_de: str


Finder = Callable[[Report], Iterable[Candidate]]


def _get(item: Any, name: str, default: Any = None) -> Any:
    """A field of a layer item, whether the layer holds models or plain dicts."""
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _snippet(text: str, limit: int = _SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(value: float, language: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "de" else text


def _quoted(words: Iterable[str], language: str) -> str:
    opening, closing = ("„", "“") if language == "de" else ("“", "”")
    return ", ".join(f"{opening}{w}{closing}" for w in words)


def narrative_findings(report: Report) -> Iterable[Candidate]:
    """Known disinformation cases the article repeats (``Report.narratives``), with how
    often the database documented their narrative."""
    groups = report.narrative_groups
    for i, match in enumerate(report.narratives):
        source = f"{match.database} {match.case_id}"
        group = groups[match.narrative] if 0 <= match.narrative < len(groups) else None
        seen_en = seen_de = ""
        if group is not None and group.case_count > 1:
            years = sorted({d[:4] for d in (group.date_from, group.date_to) if d})
            span = "-".join(years)
            seen_en = f"; {group.case_count} cases{', ' + span if span else ''}"
            seen_de = f"; {group.case_count} Fälle{', ' + span if span else ''}"
        probability = match.probability
        yield Candidate(
            tier=1,
            strength=float(probability),
            kind="narrative",
            severity="high",
            layer="narratives",
            ref=i,
            start=match.evidence.start,
            end=match.evidence.end,
            sentence=f"Repeats a known narrative: {_quoted([match.title], 'en')} ({source}, "
            f"probability {_number(probability, 'en')}{seen_en}).",
            sentence_de=f"Wiederholt ein bekanntes Narrativ: {_quoted([match.title], 'de')} "
            f"({source}, Wahrscheinlichkeit {_number(probability, 'de')}{seen_de}).",
        )


# What each kind of quote change says, in English and German.
_CHANGES = {
    "hedge_strengthened": ("a hedge made certain", "eine Einschränkung zur Gewissheit gemacht"),
    "condition_dropped": ("a condition dropped", "eine Bedingung weggelassen"),
    "negation_flipped": ("a negation flipped", "eine Verneinung umgekehrt"),
    "number_changed": ("a number changed", "eine Zahl verändert"),
    "scope_widened": ("the scope widened", "die Reichweite ausgeweitet"),
    "speech_act_reframed": ("the statement reframed", "die Aussage umgedeutet"),
    "content_added": ("content the source lacks", "Inhalt, den die Quelle nicht enthält"),
    "quote_cut": ("a quote cut out of its context", "ein Zitat aus dem Zusammenhang gerissen"),
    "misattribution": ("words of someone else", "Worte einer anderen Person"),
}


def quote_fidelity_findings(report: Report) -> Iterable[Candidate]:
    """Quotes distorted or reframed against the sources given (``Report.quote_changes``)."""
    for i, change in enumerate(getattr(report, "quote_changes", None) or []):
        kind = _get(change, "kind")
        en, de = _CHANGES.get(kind, (kind, kind))
        source = _snippet(_get(change, "source_text") or "", 70)
        words = _snippet(_get(change, "text") or "", 60)
        yield Candidate(
            tier=1,
            strength=float(_get(change, "score", 0.0)),
            kind="quote_fidelity",
            severity="high",
            layer="quote_changes",
            ref=i,
            start=_get(change, "start", 0),
            end=_get(change, "end", 0),
            sentence=f"Quote against its source, {en}: {_quoted([words], 'en')}; the source "
            f"says {_quoted([source], 'en')}. {_get(change, 'explanation', '')}",
            sentence_de=f"Zitat gegen die Quelle, {de}: {_quoted([words], 'de')}; die Quelle "
            f"sagt {_quoted([source], 'de')}.",
        )


def claim_findings(report: Report) -> Iterable[Candidate]:
    """Check-worthy claims the outlet makes without a source, or with a vague one."""
    for i, claim in enumerate(report.claims):
        vague = claim.attribution == "source" and (
            not claim.attributed_name or _VAGUE_SOURCE.search(claim.attributed_name)
        )
        if claim.attribution != "outlet" and not vague:
            continue
        quoted_en, quoted_de = (
            _quoted([_snippet(claim.text)], "en"),
            _quoted([_snippet(claim.text)], "de"),
        )
        score_en, score_de = _number(claim.score, "en"), _number(claim.score, "de")
        if vague:
            who = claim.attributed_name or ""
            sentence = (
                f"A check-worthy claim attributed only to a vague source"
                f"{' (' + who + ')' if who else ''}, check-worthiness {score_en}: {quoted_en}"
            )
            sentence_de = (
                f"Eine prüfwürdige Behauptung mit vager Quelle"
                f"{' (' + who + ')' if who else ''}, Prüfwürdigkeit {score_de}: {quoted_de}"
            )
        else:
            sentence = (
                f"A check-worthy claim by the outlet, no source given "
                f"(check-worthiness {score_en}): {quoted_en}"
            )
            sentence_de = (
                f"Prüfwürdige Behauptung des Mediums ohne Quellenangabe "
                f"(Prüfwürdigkeit {score_de}): {quoted_de}"
            )
        yield Candidate(
            tier=2,
            strength=claim.score,
            kind="claim",
            severity="medium",
            layer="claims",
            ref=i,
            start=claim.start,
            end=claim.end,
            sentence=sentence,
            sentence_de=sentence_de,
        )


def technique_findings(report: Report) -> Iterable[Candidate]:
    """One finding per technique with strong flags: its strongest passage and evidence words."""
    by_technique: dict[str, list[int]] = {}
    for i, flag in enumerate(report.techniques):
        if is_strong(flag):
            by_technique.setdefault(flag.technique, []).append(i)
    for technique, indices in by_technique.items():
        best = max(indices, key=lambda i: confidence(report.techniques[i]))
        flag = report.techniques[best]
        passage = max(flag.evidence, key=lambda e: e.score or 0.0) if flag.evidence else flag
        words = list(dict.fromkeys(getattr(passage, "cues", None) or []))[:4]
        paragraphs = sorted({report.techniques[i].paragraph for i in indices})
        strength = confidence(flag)
        where_en = (
            f"paragraph {flag.paragraph + 1}"
            if len(paragraphs) == 1
            else f"{len(paragraphs)} paragraphs, strongest in paragraph {flag.paragraph + 1}"
        )
        where_de = (
            f"Absatz {flag.paragraph + 1}"
            if len(paragraphs) == 1
            else f"{len(paragraphs)} Absätzen, am stärksten in Absatz {flag.paragraph + 1}"
        )
        evidence_en = f"; evidence words {_quoted(words, 'en')}" if words else ""
        evidence_de = f"; Belegwörter {_quoted(words, 'de')}" if words else ""
        yield Candidate(
            tier=3,
            strength=strength,
            kind="technique",
            severity="medium",
            layer="techniques",
            ref=best,
            start=passage.start,
            end=passage.end,
            sentence=f"{technique_name(technique, 'en')} in {where_en} "
            f"(score {_number(strength, 'en')}){evidence_en}.",
            sentence_de=f"{technique_name(technique, 'de')} in {where_de} "
            f"(Wert {_number(strength, 'de')}){evidence_de}.",
        )


# Credibility signals worth a finding of their own (tier 2, beside the unsourced claims).
_SIGNAL_FINDINGS = {
    "speech_framing": (
        "The outlet judges what a source said: {words}.",
        "Das Medium bewertet, was eine Quelle gesagt hat: {words}.",
    ),
    "unsupported_conclusions": (
        "The outlet's own conclusion, with no source: {words}.",
        "Eigene Schlussfolgerung des Mediums ohne Quelle: {words}.",
    ),
    "vague_sources": (
        "A source that names nobody who could be asked: {words}.",
        "Eine Quelle, die niemanden nennt, den man fragen könnte: {words}.",
    ),
}
# Above any claim score, so that the three come first in their tier.
_SIGNAL_STRENGTH = {"speech_framing": 1.3, "unsupported_conclusions": 1.2, "vague_sources": 1.1}


def signal_findings(report: Report) -> Iterable[Candidate]:
    """Framing words, the outlet's unsupported conclusions and vague sources, one finding per
    signal at its first passage."""
    credibility = report.credibility
    for signal in credibility.signals if credibility else []:
        templates = _SIGNAL_FINDINGS.get(signal.name)
        if templates is None or not signal.spans:
            continue
        words = list(dict.fromkeys(_snippet(span.text, 40) for span in signal.spans))[:3]
        first = signal.spans[0]
        yield Candidate(
            tier=2,
            strength=_SIGNAL_STRENGTH[signal.name],
            kind="credibility",
            severity="medium",
            layer="credibility",
            ref=None,
            start=first.start,
            end=first.end,
            sentence=templates[0].format(words=_quoted(words, "en")),
            sentence_de=templates[1].format(words=_quoted(words, "de")),
        )


def _signed(value: float, language: str) -> str:
    return ("+" if value >= 0 else "−") + _number(abs(value), language)


def credibility_findings(report: Report) -> Iterable[Candidate]:
    """The credibility score (a style estimate) and the signals that moved it most."""
    credibility = report.credibility
    if credibility is None or credibility.score is None:
        return
    score = credibility.score
    effects = credibility.score_effects[:3]
    by_name = {s.name: s for s in credibility.signals}
    passage = next(
        (
            by_name[e.signal].spans[0]
            for e in effects
            if e.signal in by_name and by_name[e.signal].spans
        ),
        None,
    )

    def moved(language: str) -> str:
        return ", ".join(
            f"{signal_name(e.signal, language)} {_signed(e.effect, language)}" for e in effects
        )

    yield Candidate(
        tier=4,
        strength=float(score),
        kind="credibility",
        severity="low",
        layer="credibility",
        ref=None,
        start=passage.start if passage else 0,
        end=passage.end if passage else 0,
        sentence=f"Credibility style estimate {_number(score, 'en')} (how much the sourcing and "
        "writing resemble reliable-outlet reporting, not a verdict on truth)"
        + (f"; moved most by: {moved('en')}." if effects else "."),
        sentence_de=f"Stilschätzung der Glaubwürdigkeit {_number(score, 'de')} (wie sehr "
        "Quellen und Schreibweise verlässlichen Medien ähneln, kein Urteil über die Wahrheit)"
        + (f"; am stärksten bewegt durch: {moved('de')}." if effects else "."),
    )


FINDERS: tuple[Finder, ...] = (
    narrative_findings,
    quote_fidelity_findings,
    claim_findings,
    signal_findings,
    technique_findings,
    credibility_findings,
)


def derive_findings(report: Report, finders: Iterable[Finder] = FINDERS) -> list[Finding]:
    """The ranked findings of ``report``: at most a few per tier, ``MAX_FINDINGS`` in all."""
    text_length = len(report.text)
    candidates = [
        c for finder in finders for c in finder(report) if 0 <= c.start <= c.end <= text_length
    ]
    chosen: list[Candidate] = []
    for tier in sorted({c.tier for c in candidates}):
        ranked = sorted(
            (c for c in candidates if c.tier == tier), key=lambda c: (-c.strength, c.start)
        )
        chosen.extend(ranked[: _PER_TIER.get(tier, 3)])
    return [
        Finding(
            start=c.start,
            end=c.end,
            text=report.text[c.start : c.end],
            kind=c.kind,
            rank=rank,
            severity=c.severity,
            layer=c.layer,
            ref=c.ref,
            sentence=c.sentence,
            sentence_de=c.sentence_de,
        )
        for rank, c in enumerate(chosen[:MAX_FINDINGS], start=1)
    ]


def with_findings(report: Report) -> Report:
    """``report`` with its findings; a report stored before findings existed gets them now."""
    if report.findings:
        return report
    return report.model_copy(update={"findings": derive_findings(report)})
