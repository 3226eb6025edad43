"""Claims: check-worthy assertions, who makes them (a quoted source or the outlet itself).

Every sentence of the lead and body is cut at the quote messages found by the ``quotes``
analyzer: a message part is attributed to the quote's speaker, the rest of the sentence to
the outlet. Each part is scored for check-worthiness by the packaged head over e5's piece
states (``nlp.checkworthiness``; trained on CheckThat! 2024 English, read through e5's
multilingual space for German), pooled over the part's pieces within its paragraph's
encoding (the Context's, shared with the techniques analyzer); the reason names the words
that weighed most. Parts over the head's threshold become claims. Each claim carries
the sentence-level subjectivity of the packaged fast (TF-IDF) CheckThat! model; the e5
model would cost about 50 ms per sentence. The credibility analyzer sums the parts into the
shares of quotes, outlet assertions and outlet opinion.
"""

from __future__ import annotations

import re
from typing import Any

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.report.model import Claim, Quote

MIN_WORDS = 4
# An outlet part inside a quote's span with fewer words is the quote's frame ("sagte
# Generalmajor Igor Konashenkov."), not a claim of its own.
FRAME_WORDS = 6
_WORD = re.compile(r"\w+", re.UNICODE)


def _reason(probability: float, threshold: float, words: list[tuple[str, float]]) -> str:
    quoted = ", ".join(f"“{w}”" for w, _ in words)
    return f"check-worthiness model {probability:.2f} (threshold {threshold:.2f})" + (
        f"; words that weighed most: {quoted}" if quoted else ""
    )


def segments(start: int, end: int, messages: list[tuple[int, int, Quote]]):
    """Cut [start, end) at quote messages: (a, b, quote or None for the outlet)."""
    cuts: list[tuple[int, int, Quote | None]] = []
    pos = start
    for m_start, m_end, quote in messages:
        a, b = max(m_start, start), min(m_end, end)
        if a >= b:
            continue
        if a > pos:
            cuts.append((pos, a, None))
        cuts.append((a, b, quote))
        pos = max(pos, b)
    if pos < end:
        cuts.append((pos, end, None))
    return cuts


class Sweep:
    """The spans overlapping each of a series of ranges given in order of their start.

    Spans enter when a range reaches them and leave once a range starts past their end, so
    a whole article costs time linear in its sentences and spans, not their product.
    """

    def __init__(self, spans: list[tuple[int, int, Any]]) -> None:
        self._spans = sorted(spans, key=lambda span: span[:2])
        self._next = 0
        self._active: list[tuple[int, int, Any]] = []

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, Any]]:
        while self._next < len(self._spans) and self._spans[self._next][0] < end:
            self._active.append(self._spans[self._next])
            self._next += 1
        self._active = [span for span in self._active if span[1] > start]
        return [span for span in self._active if span[0] < end]


def trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Shrink [a, b) past spaces, quotation marks and commas at either end."""
    strip = ' \t\n\r,;:“”„"«»‚‘’‹›–-•'
    while a < b and text[a] in strip:
        a += 1
    while b > a and text[b - 1] in strip:
        b -= 1
    return a, b


class ClaimsAnalyzer(Analyzer):
    name = "claims"
    version = "0.1"
    languages = frozenset({"de", "en"})
    requires = ("quotes",)
    assigns = ("claims",)

    @property
    def model_name(self) -> str | None:
        return "checkworthiness-ct24-e5-head + subjectivity-fast-checkthat2025"

    def load(self) -> None:
        from newsaudit.models import checkworthiness, subjectivity

        self._model = subjectivity.load_fast()
        self._model_worthiness = checkworthiness.load()

    def piece_reader(self, language: str | None) -> Any:
        return self._model_worthiness.piece_logits

    def analyze(self, context: Context) -> dict[str, Any]:
        if not hasattr(self, "_model"):
            self.load()
        worthiness = self._model_worthiness
        text = context.document.text
        layer = context.layer
        quotes: list[Quote] = context.results.get("quotes", []) or []
        messages = Sweep([(q.message.start, q.message.end, q) for q in quotes])
        frames = Sweep([(q.start, q.end, q) for q in quotes])
        blocks = {b.index: b for b in context.document.blocks}
        roles = {index: b.role for index, b in blocks.items()}
        parts: list[tuple[int, int, Quote | None, int, int]] = []
        sentence_texts: list[str] = []
        for si, (s_start, s_end) in enumerate(layer.sentences):
            if roles.get(layer.sentence_block[si]) not in ("lead", "body"):
                continue
            sentence_texts.append(text[s_start:s_end])
            for a, b, quote in segments(s_start, s_end, messages.overlapping(s_start, s_end)):
                a, b = trim(text, a, b)
                if a < b:
                    parts.append((a, b, quote, len(sentence_texts) - 1, layer.sentence_block[si]))
        encodings = context.encodings
        subjective = self._model.predict_proba(sentence_texts) if sentence_texts else []
        threshold = self._model.threshold
        claims: list[Claim] = []
        for a, b, quote, sent, block_index in parts:
            p_subj = float(subjective[sent])
            is_subj = p_subj >= threshold
            row = encodings.row(block_index)
            paragraph = encodings[row]
            words = len(_WORD.findall(text[a:b]))
            if paragraph is None or words < MIN_WORDS:
                continue
            core = a + len(text[a:b].rstrip(".!?…"))
            inside = any(s <= a and core <= e for s, e, _ in frames.overlapping(a, b))
            if quote is None and words < FRAME_WORDS and inside:
                continue
            block = blocks[block_index]
            scored = worthiness.score_pieces(
                encodings.read(row, self.name, worthiness.piece_logits),
                paragraph.spans,
                text[block.start : block.end],
                a - block.start,
                b - block.start,
            )
            if scored.probability < worthiness.threshold:
                continue
            score = round(scored.probability, 4)
            claims.append(
                Claim(
                    start=a,
                    end=b,
                    text=text[a:b],
                    score=score,
                    attribution="source" if quote is not None else "outlet",
                    attributed_to=quote.speaker_cluster if quote is not None else None,
                    attributed_name=(
                        (quote.speaker_name or (quote.speaker.text if quote.speaker else None))
                        if quote is not None
                        else None
                    ),
                    subjective=is_subj,
                    subjectivity_score=round(p_subj, 4),
                    reason=_reason(scored.probability, worthiness.threshold, scored.words),
                )
            )
        return {"claims": claims}
