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
# Cue words per language, as patterns over whole lower-cased words: a stem matched inside an
# unrelated word gave known-wrong reasons ("lie" in "liegt", "vorw" in "vorwiegend", "led" in
# "lediglich"). Words with an innocent everyday sense only count in the construction that
# carries the cue ("führt zu", "zeigt, dass", "due to"; "Kontrolle" and "besetzt" not at all).
_ACCUSATION = {
    "de": (
        r"droh(?!n)\w*",
        r"vorw(?:u|ü|e|i|a)rf\w*",
        r"beschuldig\w*",
        r"terror\w*",
        r"angriff\w*",
        r"angegriffen\w*",
        r"anschlag\w*",
        r"kriegsverbr\w*",
        r"verbrech\w*",
        r"lüg\w*",
        r"gelogen",
        r"betrug\w*",
        r"korrupt\w*",
        r"manipul\w*",
        r"propagand\w*",
        r"mord\w*",
        r"getötet\w*",
        r"tot(?:e|en|er)",
        r"opfer\w*",
        r"verletzt\w*",
        r"abgeschossen\w*",
        r"bomb(?!ast)\w*",
        r"besatzer\w*",
        r"erober\w*",
        r"sanktion\w*",
        r"attack\w*",
    ),
    "en": (
        r"threat\w*",
        r"accus(?!tom)\w*",
        r"attack\w*",
        r"kill\w*",
        r"fraud\w*",
        r"liars?",
        r"lied",
        r"bomb(?!ast|shell)\w*",
        r"terror\w*",
        r"seiz(?:e|ed|es|ing)",
        r"captur\w*",
    ),
}
_CAUSAL = {
    "de": (
        r"weil",
        r"deshalb",
        r"daher",
        r"dadurch",
        r"wegen",
        r"aufgrund",
        r"infolge\w*",
        r"führ(?:t|te|ten) (?:zu|dazu)",
        r"(?:zeig|beleg)(?:t|te|ten)(?:\W+\w+){0,2}?\W+dass",
        r"beweis(?:t|en)",
        r"verursach\w*",
    ),
    "en": (
        r"because",
        r"therefore",
        r"caused",
        r"shows that",
        r"proves?",
        r"due to",
        r"led to",
    ),
}
_HEDGE_OR_OPINION = re.compile(r"\b(?:vielleicht|meiner meinung|ich finde|i think|perhaps)\b")


def _cues(patterns: dict[str, tuple[str, ...]], language: str | None) -> re.Pattern[str]:
    chosen = patterns.get(language or "") or tuple(p for ps in patterns.values() for p in ps)
    return re.compile(r"\b(?:" + "|".join(chosen) + r")\b")


_ACCUSATION_CUES = {lang: _cues(_ACCUSATION, lang) for lang in (*_ACCUSATION, None)}
_CAUSAL_CUES = {lang: _cues(_CAUSAL, lang) for lang in (*_CAUSAL, None)}


def _hits(pattern: re.Pattern[str], lowered: str) -> list[str]:
    return sorted({" ".join(m.group().split()) for m in pattern.finditer(lowered)})


def checkworthiness(
    text: str, entity_overlap: bool, language: str | None = None
) -> tuple[float, list[str]]:
    """Rule score in [0, 1] with the reasons that raised it (cue words of ``language``,
    or of every language the rules know when it is None)."""
    words = _WORD.findall(text)
    if len(words) < 4:
        return 0.0, []
    lowered = " ".join(text.lower().split())
    known = language if language in _ACCUSATION else None
    score = 0.15
    reasons: list[str] = []
    if _NUMBER.search(text):
        score += 0.25
        reasons.append("number or date")
    capitalised = [w for w in words[1:] if w[:1].isupper()]
    if entity_overlap or len(capitalised) >= 2:
        score += 0.2
        reasons.append("names actors")
    accusations = _hits(_ACCUSATION_CUES[known], lowered)
    if accusations:
        score += 0.3
        reasons.append("accusation or violence: " + ", ".join(accusations[:3]))
    causal = _hits(_CAUSAL_CUES[known], lowered)
    if causal:
        score += 0.2
        reasons.append("causal or conclusive: " + ", ".join(causal[:3]))
    if len(words) >= 8:
        score += 0.1
        reasons.append("a full statement")
    if text.rstrip().endswith("?") or _HEDGE_OR_OPINION.search(lowered):
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


class _Sweep:
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
        messages = _Sweep([(q.message.start, q.message.end, q) for q in quotes])
        entities = _Sweep(
            [
                (e.start, e.end, None) if not isinstance(e, dict) else (e["start"], e["end"], None)
                for e in context.results.get("entities", []) or []
            ]
        )
        roles = {b.index: b.role for b in context.document.blocks}
        parts: list[tuple[int, int, Quote | None, int]] = []
        sentence_texts: list[str] = []
        for si, (s_start, s_end) in enumerate(layer.sentences):
            if roles.get(layer.sentence_block[si]) not in ("lead", "body"):
                continue
            sentence_texts.append(text[s_start:s_end])
            for a, b, quote in _segments(s_start, s_end, messages.overlapping(s_start, s_end)):
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
            score, reasons = checkworthiness(
                text[a:b], bool(entities.overlapping(a, b)), context.document.language
            )
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
