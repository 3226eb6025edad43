"""What in an article is compared with a source: its quotes and speaker-attributed claims.

The pipeline's quotes analyzer finds who says what; a claim it attributed to a source and
that no quote covers is a unit too. Each unit keeps the sentences around it, because the
outlet's own words there ("sprach eine direkte Drohung aus") frame the speaker's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsaudit.report.model import Report, Span

_TRIM = " \t\n\"'“”„‟«»‹›‘’‚,.;:–—-"
# A message the quote tagger starts inside the reporting clause ("sagte am |Freitag, die
# Preise ...") begins at the clause break within this many words.
_LEAD_WORDS = 3
_LEAD_BREAK = re.compile(r"[,:]\s")


@dataclass(frozen=True)
class Unit:
    """One statement the article attributes to a speaker: its span, the sentences it sits
    in, and the speaker and cue spans where the quotes analyzer found them."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int
    origin: str  # "quote" or "claim"
    speaker: str | None = None
    designation: str | None = None  # the article's words for the speaker, roles included
    speaker_span: tuple[int, int] | None = None
    cue_span: tuple[int, int] | None = None
    direct: bool = False


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _clause_start(text: str, start: int, end: int) -> int:
    """Where the reported words begin: after the reporting clause's last words when the
    tagger's message starts in the middle of that clause."""
    before = text[:start].rstrip()
    if not before or not before[-1].isalnum():
        return start
    lead = _LEAD_BREAK.search(text, start, end)
    if lead is None or len(text[start : lead.start()].split()) > _LEAD_WORDS:
        return start
    return lead.end()


def _before_cue(start: int, end: int, cue: Span | None) -> int:
    """Where the reported words end: before the cue when the tagger's message runs on into
    the reporting clause ("..., sagte die Ingenieurin Anna Holm am Dienstag")."""
    if cue is not None and start < cue.start < end:
        return cue.start
    return end


def _sentence_range(report: Report, start: int, end: int) -> tuple[int, int]:
    inside = [s for s in report.sentences if s.start < end and s.end > start]
    if not inside:
        return start, end
    return min(s.start for s in inside), max(s.end for s in inside)


def article_units(report: Report) -> list[Unit]:
    text = report.text
    units: list[Unit] = []
    for quote in report.quotes:
        start, end = _trimmed(
            text,
            _clause_start(text, quote.message.start, quote.message.end),
            _before_cue(quote.message.start, quote.message.end, quote.cue),
        )
        if end - start < 3:
            continue
        units.append(
            Unit(
                start,
                end,
                *_sentence_range(report, quote.start, quote.end),
                origin="quote",
                speaker=quote.speaker_name or (quote.speaker.text if quote.speaker else None),
                designation=quote.speaker.text if quote.speaker else None,
                speaker_span=(quote.speaker.start, quote.speaker.end) if quote.speaker else None,
                cue_span=(quote.cue.start, quote.cue.end) if quote.cue else None,
                direct=quote.kind == "direct",
            )
        )
    for claim in report.claims:
        if claim.attribution != "source":
            continue
        start, end = _trimmed(text, claim.start, claim.end)
        if any(u.start < end and start < u.end for u in units) or end - start < 3:
            continue
        units.append(
            Unit(
                start,
                end,
                *_sentence_range(report, start, end),
                origin="claim",
                speaker=claim.attributed_name,
            )
        )
    return sorted(units, key=lambda u: u.start)
