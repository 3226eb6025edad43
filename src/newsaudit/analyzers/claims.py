"""Claims: check-worthy assertions, who makes them (a quoted source or the outlet itself).

Every sentence of the lead and body is cut at the quote messages found by the ``quotes``
analyzer: a message part is attributed to the quote's speaker, the rest of the sentence to
the outlet. Each part is scored for check-worthiness by transparent rules (numbers and
dates, named actors, accusation, causal and event words, length), and each claim carries
the sentence-level subjectivity of the packaged fast (TF-IDF) CheckThat! model; the e5
model would cost about 50 ms per sentence. The report-level summary
(``Credibility.attribution_shares``) is the share of lead and body characters that are
attributed quotes, the outlet's own factual assertions, and the outlet's own opinion.
"""

from __future__ import annotations

import re
from typing import Any

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.report.model import Claim, Credibility, Quote

CLAIM_THRESHOLD = 0.5
_NUMBER = re.compile(r"\d")
_WORD = re.compile(r"\w+", re.UNICODE)
# Lower-cased word stems whose presence makes an assertion worth checking.
_ACCUSATION = (
    "droh",
    "vorw",
    "beschuldig",
    "terror",
    "angriff",
    "angegriffen",
    "anschlag",
    "kriegsverbr",
    "verbrech",
    "lüg",
    "betrug",
    "korrupt",
    "manipul",
    "propagand",
    "mord",
    "getötet",
    "tote",
    "opfer",
    "verletzt",
    "abgeschossen",
    "bomb",
    "besetz",
    "erober",
    "kontroll",
    "sanktion",
    "threat",
    "accus",
    "attack",
    "kill",
    "fraud",
    "lie",
    "bomb",
    "terror",
    "seiz",
    "captur",
)
_CAUSAL = (
    "weil",
    "deshalb",
    "daher",
    "dadurch",
    "wegen",
    "aufgrund",
    "infolge",
    "führt",
    "zeigt",
    "beweist",
    "belegt",
    "verursach",
    "because",
    "therefore",
    "caused",
    "shows",
    "proves",
    "due",
    "led",
)
_HEDGE_OR_OPINION = ("vielleicht", "meiner meinung", "ich finde", "i think", "perhaps")


def _stem_hit(words: list[str], stems: tuple[str, ...]) -> list[str]:
    return [w for w in words if w.startswith(stems)]


def checkworthiness(text: str, entity_overlap: bool) -> tuple[float, list[str]]:
    """Rule score in [0, 1] with the reasons that raised it."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 4:
        return 0.0, []
    score = 0.15
    reasons: list[str] = []
    if _NUMBER.search(text):
        score += 0.25
        reasons.append("number or date")
    capitalised = [w for w in _WORD.findall(text)[1:] if w[:1].isupper()]
    if entity_overlap or len(capitalised) >= 2:
        score += 0.2
        reasons.append("names actors")
    accusations = _stem_hit(words, _ACCUSATION)
    if accusations:
        score += 0.3
        reasons.append("accusation or violence: " + ", ".join(sorted(set(accusations))[:3]))
    causal = _stem_hit(words, _CAUSAL)
    if causal:
        score += 0.2
        reasons.append("causal or conclusive: " + ", ".join(sorted(set(causal))[:3]))
    if len(words) >= 8:
        score += 0.1
        reasons.append("a full statement")
    if text.rstrip().endswith("?") or any(h in text.lower() for h in _HEDGE_OR_OPINION):
        score -= 0.3
        reasons.append("question or hedge")
    return round(max(0.0, min(1.0, score)), 3), reasons


def _segments(start: int, end: int, messages: list[tuple[int, int, Quote]]):
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


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
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
    assigns = ("claims", "credibility")

    @property
    def model_name(self) -> str | None:
        return "subjectivity-fast-checkthat2025"

    def load(self) -> None:
        from newsaudit.models import subjectivity

        self._model = subjectivity.load_fast()

    def analyze(self, context: Context) -> dict[str, Any]:
        if not hasattr(self, "_model"):
            self.load()
        text = context.document.text
        layer = context.layer
        quotes: list[Quote] = context.results.get("quotes", []) or []
        messages = sorted(
            ((q.message.start, q.message.end, q) for q in quotes), key=lambda m: m[:2]
        )
        entity_spans = [
            (e.start, e.end) if not isinstance(e, dict) else (e["start"], e["end"])
            for e in context.results.get("entities", []) or []
        ]
        roles = {b.index: b.role for b in context.document.blocks}
        parts: list[tuple[int, int, Quote | None, int]] = []
        sentence_texts: list[str] = []
        for si, (s_start, s_end) in enumerate(layer.sentences):
            if roles.get(layer.sentence_block[si]) not in ("lead", "body"):
                continue
            sentence_texts.append(text[s_start:s_end])
            for a, b, quote in _segments(s_start, s_end, messages):
                a, b = _trim(text, a, b)
                if a < b:
                    parts.append((a, b, quote, len(sentence_texts) - 1))
        subjective = self._model.predict_proba(sentence_texts) if sentence_texts else []
        threshold = self._model.threshold
        claims: list[Claim] = []
        chars = {"quotes": 0, "outlet_assertions": 0, "outlet_opinion": 0}
        for a, b, quote, sent in parts:
            p_subj = float(subjective[sent])
            is_subj = p_subj >= threshold
            if quote is not None:
                chars["quotes"] += b - a
            elif is_subj:
                chars["outlet_opinion"] += b - a
            else:
                chars["outlet_assertions"] += b - a
            has_entity = any(s < b and a < e for s, e in entity_spans)
            score, reasons = checkworthiness(text[a:b], has_entity)
            if score < CLAIM_THRESHOLD:
                continue
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
                    reason="; ".join(reasons),
                )
            )
        total = sum(chars.values())
        shares = {k: round(v / total, 4) if total else 0.0 for k, v in chars.items()}
        existing = context.results.get("credibility")
        credibility = (
            existing.model_copy(update={"attribution_shares": shares})
            if isinstance(existing, Credibility)
            else Credibility(attribution_shares=shares)
        )
        return {"claims": claims, "credibility": credibility}
