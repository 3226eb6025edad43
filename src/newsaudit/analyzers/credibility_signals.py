"""The credibility signals: measured properties of an article's sourcing and writing, each
with a value, the words it rests on and one sentence in English and German.

Signals are computed from the other analyzers' layers (quotes, claims, techniques,
narratives) and the text, through :class:`ArticleView`, so a stored Report yields the same
signals as the live pipeline (the score's training reads cached Reports this way).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from newsaudit.analyzers import credibility_lexicon as lexicon
from newsaudit.report.flags import is_strong
from newsaudit.report.model import Claim, Quote, Report, Signal, SignalEvidence, TechniqueFlag

MAX_EVIDENCE = 6
MIN_OPINION_WORDS = 4
_WORD = re.compile(r"\w+")
_CAPS_WORD = re.compile(r"(?<![\w-])[A-ZÄÖÜ]{4,}(?![\w-])")
_SHOUTING = re.compile(r"!+|(?<![\w-])[A-ZÄÖÜ]{4,}(?![\w-])")
_PROSE_ROLES = ("lead", "body")


@dataclass
class ArticleView:
    """What the signals read, from a live pipeline Context or from a stored Report."""

    text: str
    language: str | None
    title: tuple[int, int] | None
    prose: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    quotes: Sequence[Quote] = ()
    claims: Sequence[Claim] = ()
    techniques: Sequence[TechniqueFlag] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    narratives: Sequence[Any] = ()
    persuasion: Any = None
    subjective: Callable[[list[str]], Sequence[float]] | None = None
    subjective_threshold: float = 0.5

    @classmethod
    def of_report(cls, report: Report, **extra: Any) -> ArticleView:
        titles = [(p.start, p.end) for p in report.paragraphs if p.role == "title"]
        return cls(
            text=report.text,
            language=report.language,
            title=titles[0] if titles else None,
            prose=[(p.start, p.end) for p in report.paragraphs if p.role in _PROSE_ROLES],
            sentences=[(s.start, s.end) for s in report.sentences],
            quotes=report.quotes,
            claims=report.claims,
            techniques=report.techniques,
            metadata=report.metadata,
            narratives=getattr(report, "narratives", None) or (),
            persuasion=getattr(report, "persuasion", None),
            **extra,
        )

    @cached_property
    def _prose(self) -> _Containing:
        return _Containing(self.prose)

    @cached_property
    def _messages(self) -> _Containing:
        return _Containing([(q.message.start, q.message.end) for q in self.quotes])

    def in_prose(self, start: int, end: int) -> bool:
        return self._prose.holds(start, end)

    @cached_property
    def words(self) -> int:
        return sum(len(_WORD.findall(self.text[a:b])) for a, b in self.prose)

    def prose_sentences(self) -> list[tuple[int, int]]:
        return [(a, b) for a, b in self.sentences if self.in_prose(a, b)]

    def quoted(self, start: int, end: int) -> bool:
        """Inside a quote's message: the source's words, not the outlet's."""
        return self._messages.holds(start, end)

    @cached_property
    def quote_spans(self) -> _Containing:
        return _Containing([(q.start, q.end) for q in self.quotes])

    @cached_property
    def quote_ends(self) -> tuple[list[int], list[int]]:
        """Quote ends in order, and the index of each quote."""
        ordered = sorted((q.end, i) for i, q in enumerate(self.quotes))
        return [e for e, _ in ordered], [i for _, i in ordered]

    @cached_property
    def speaker_words(self) -> dict[str, int]:
        """Each word of a speaker's name -> the first quote of that speaker."""
        index: dict[str, int] = {}
        for i, q in enumerate(self.quotes):
            speaker = q.speaker_name or (q.speaker.text if q.speaker else "")
            for word in speaker.split():
                index.setdefault(word, i)
        return index


class _Containing:
    """Which span of a set holds [start, end), in logarithmic time (long texts have
    thousands of windows, sentences and quotes)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        order = sorted(range(len(spans)), key=lambda i: spans[i])
        self._starts = [spans[i][0] for i in order]
        self._reach: list[tuple[int, int]] = []  # (furthest end so far, its span's index)
        for i in order:
            end = spans[i][1]
            if not self._reach or end > self._reach[-1][0]:
                self._reach.append((end, i))
            else:
                self._reach.append(self._reach[-1])

    def holder(self, start: int, end: int) -> int | None:
        """The index (in the given order) of a span holding [start, end), or None."""
        k = bisect.bisect_right(self._starts, start)
        if k and self._reach[k - 1][0] >= end:
            return self._reach[k - 1][1]
        return None

    def holds(self, start: int, end: int) -> bool:
        return self.holder(start, end) is not None


def _per_thousand(count: int, words: int) -> float:
    return round(1000.0 * count / words, 3) if words else 0.0


def _evidence(
    view: ArticleView, spans: Iterable[tuple[int, int, int | None]]
) -> list[SignalEvidence]:
    return [
        SignalEvidence(start=a, end=b, text=view.text[a:b], quote=q)
        for a, b, q in list(spans)[:MAX_EVIDENCE]
    ]


def _outlet_matches(view: ArticleView, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    return [
        m
        for a, b in view.prose
        for m in pattern.finditer(view.text, a, b)
        if not view.quoted(m.start(), m.end())
    ]


def sourcing(view: ArticleView) -> list[Signal]:
    """Unattributed check-worthy claims, vague against named sources, speakerless quotes."""
    signals = []
    claims = list(view.claims)
    outlet = [c for c in claims if c.attribution == "outlet"]
    share = round(len(outlet) / len(claims), 3) if claims else 0.0
    signals.append(
        Signal(
            name="unattributed_claims",
            value=share,
            explanation=f"{len(outlet)} of {len(claims)} check-worthy claims are asserted by "
            "the outlet itself, without a source.",
            explanation_de=f"{len(outlet)} von {len(claims)} prüfwürdigen Behauptungen stellt "
            "das Medium selbst auf, ohne Quelle.",
            spans=_evidence(
                view, ((c.start, c.end, None) for c in sorted(outlet, key=lambda c: -c.score))
            ),
        )
    )
    vague = _outlet_matches(view, lexicon.vague_sources(view.language))
    named = sorted(
        {
            q.speaker_name or q.speaker.text
            for q in view.quotes
            if q.speaker is not None and (q.speaker_cluster or q.speaker_name)
        }
    )
    words = ", ".join(dict.fromkeys(m.group() for m in vague))
    signals.append(
        Signal(
            name="vague_sources",
            value=len(vague),
            explanation=(
                f"{len(vague)} source(s) that name nobody who could be asked ({words}); "
                f"{len(named)} named speaker(s)."
                if vague
                else f"No vague or anonymous sources; {len(named)} named speaker(s)."
            ),
            explanation_de=(
                f"{len(vague)} Quelle(n), die niemanden nennen, den man fragen könnte ({words}); "
                f"{len(named)} namentlich genannte Sprecher."
                if vague
                else f"Keine vagen oder anonymen Quellen; {len(named)} namentlich genannte "
                "Sprecher."
            ),
            spans=_evidence(view, ((m.start(), m.end(), None) for m in vague)),
        )
    )
    signals.append(
        Signal(
            name="named_sources",
            value=len(named),
            explanation=f"{len(named)} speaker(s) quoted by name: {', '.join(named[:5]) or '-'}.",
            explanation_de=f"{len(named)} namentlich zitierte Sprecher: "
            f"{', '.join(named[:5]) or '-'}.",
            spans=_evidence(
                view,
                (
                    (q.speaker.start, q.speaker.end, i)
                    for i, q in enumerate(view.quotes)
                    if q.speaker is not None and (q.speaker_cluster or q.speaker_name)
                ),
            ),
        )
    )
    speakerless = [
        (i, q) for i, q in enumerate(view.quotes) if q.speaker is None and q.kind == "direct"
    ]
    signals.append(
        Signal(
            name="quotes_without_speaker",
            value=len(speakerless),
            explanation=f"{len(speakerless)} direct quote(s) without a speaker.",
            explanation_de=f"{len(speakerless)} direkte(s) Zitat(e) ohne Sprecher.",
            spans=_evidence(view, ((q.message.start, q.message.end, i) for i, q in speakerless)),
        )
    )
    return signals


def _framed_quote(view: ArticleView, start: int, end: int) -> int | None:
    """The quote a framing word judges: one whose span holds the word, else the first quote
    of the speaker named just before it ("Kirbys Eingeständnis"), else the nearest quote
    before it in the same or the previous sentence."""
    holder = view.quote_spans.holder(start, end)
    if holder is not None:
        return holder
    before = view.text[max(0, start - 40) : start].split()
    if before:
        name = before[-1].rstrip("s'’")
        if len(name) > 2 and name in view.speaker_words:
            return view.speaker_words[name]
    ends, indices = view.quote_ends
    k = bisect.bisect_right(ends, start) - 1
    return indices[k] if k >= 0 and start - ends[k] < 300 else None


def framing(view: ArticleView) -> list[Signal]:
    """Reporting words by which the outlet judges what a source said."""
    hits = _outlet_matches(view, lexicon.framing(view.language))
    linked = [(m.start(), m.end(), _framed_quote(view, m.start(), m.end())) for m in hits]
    words = ", ".join(dict.fromkeys(f"“{m.group()}”" for m in hits))
    return [
        Signal(
            name="speech_framing",
            value=len(hits),
            explanation=(
                f"The outlet judges what sources said with {words}: a reader gets the verdict "
                "before the words."
                if hits
                else "What sources said is reported without judging words."
            ),
            explanation_de=(
                f"Das Medium bewertet Aussagen von Quellen mit {words.replace('“', '„')}: die "
                "Leser bekommen das Urteil vor den Worten."
                if hits
                else "Aussagen von Quellen werden ohne wertende Wörter wiedergegeben."
            ),
            spans=_evidence(view, linked),
        )
    ]


def _sentence_of(view: ArticleView, position: int) -> tuple[int, int] | None:
    i = bisect.bisect_right(view.sentences, (position, len(view.text) + 1)) - 1
    if i >= 0 and view.sentences[i][0] <= position < view.sentences[i][1]:
        return view.sentences[i]
    return None


def opinion(view: ArticleView) -> list[Signal]:
    """The outlet's own opinion share and its conclusions without a source."""
    signals = []
    conclusions = []
    for m in _outlet_matches(view, lexicon.conclusions(view.language)):
        if view.quote_spans.holds(m.start(), m.start() + 1):
            continue
        sentence = _sentence_of(view, m.start())
        start = sentence[0] if sentence and m.start() - sentence[0] <= 40 else m.start()
        conclusions.append((start, m.end(), None))
    signals.append(
        Signal(
            name="unsupported_conclusions",
            value=len(conclusions),
            explanation=f"{len(conclusions)} conclusion(s) the outlet draws itself, with no "
            "source: "
            + (", ".join(f"“{view.text[a:b]}”" for a, b, _ in conclusions[:3]) or "-")
            + ".",
            explanation_de=f"{len(conclusions)} Schlussfolgerung(en) des Mediums ohne Quelle: "
            + (", ".join(f"„{view.text[a:b]}“" for a, b, _ in conclusions[:3]) or "-")
            + ".",
            spans=_evidence(view, conclusions),
        )
    )
    if view.subjective is None:
        return signals
    shares, opinionated = attribution(view)
    own = shares["outlet_opinion"] + shares["outlet_assertions"]
    share = round(shares["outlet_opinion"] / own, 3) if own else 0.0
    signals.append(
        Signal(
            name="outlet_opinion",
            value=share,
            explanation=f"{share:.0%} of the outlet's own text reads as opinion, not report.",
            explanation_de=f"{share:.0%} des eigenen Texts des Mediums liest sich als Meinung, "
            "nicht als Bericht.".replace("%", " %"),
            spans=_evidence(view, ((a, b, None) for a, b in opinionated)),
        )
    )
    return signals


def attribution(view: ArticleView) -> tuple[dict[str, float], list[tuple[int, int]]]:
    """Shares of the prose characters that are quotes, the outlet's factual assertions and
    its opinion (each sentence cut at quote messages), and the opinion parts, most
    subjective first."""
    from newsaudit.analyzers.claims import Sweep, segments, trim

    messages = Sweep([(q.message.start, q.message.end, q) for q in view.quotes])
    sentences = view.prose_sentences()
    scores = list(view.subjective([view.text[a:b] for a, b in sentences])) if sentences else []
    chars = {"quotes": 0, "outlet_assertions": 0, "outlet_opinion": 0}
    opinionated: list[tuple[float, int, int]] = []
    for (start, end), p in zip(sentences, scores, strict=True):
        for a, b, quote in segments(start, end, messages.overlapping(start, end)):
            a, b = trim(view.text, a, b)
            if a >= b:
                continue
            if quote is not None:
                chars["quotes"] += b - a
            elif p >= view.subjective_threshold:
                chars["outlet_opinion"] += b - a
                if len(_WORD.findall(view.text[a:b])) >= MIN_OPINION_WORDS:
                    opinionated.append((-float(p), a, b))
            else:
                chars["outlet_assertions"] += b - a
    total = sum(chars.values())
    shares = {k: round(v / total, 4) if total else 0.0 for k, v in chars.items()}
    return shares, [(a, b) for _, a, b in sorted(opinionated)]


def persuasion(view: ArticleView) -> list[Signal]:
    """Strong persuasion flags per 1,000 words (the techniques summary when it exists)."""
    summary = view.persuasion
    density = getattr(summary, "strong_per_1000_words", None) if summary is not None else None
    strong = [f for f in view.techniques if is_strong(f)]
    if density is None:
        density = _per_thousand(len(strong), view.words)
    percentile = getattr(summary, "percentile", None) if summary is not None else None
    against_en = against_de = ""
    if percentile is not None:
        against_en = f" (more than {percentile:.0f}% of everyday news articles)"
        against_de = f" (mehr als {percentile:.0f} % der Artikel alltäglicher Nachrichten)"
    best = sorted(strong, key=lambda f: -f.score)
    spans = []
    for flag in best:
        passage = max(flag.evidence, key=lambda e: e.score or 0.0) if flag.evidence else flag
        spans.append((passage.start, passage.end, None))
    return [
        Signal(
            name="persuasion_density",
            value=round(float(density), 3),
            explanation=f"{density:.1f} strong persuasion flags per 1,000 words{against_en}.",
            explanation_de=f"{density:.1f}".replace(".", ",")
            + f" starke Überzeugungstechniken je 1.000 Wörter{against_de}.",
            spans=_evidence(view, dict.fromkeys(spans)),
        )
    ]


def headline(view: ArticleView) -> list[Signal]:
    """Emotive, all-caps or exclamatory headlines and clickbait; shouting in the text."""
    signals = []
    if view.title is not None:
        a, b = view.title
        marks = [
            *(m for m in lexicon.clickbait(view.language).finditer(view.text, a, b)),
            *(m for m in _CAPS_WORD.finditer(view.text, a, b)),
            *(m for m in re.finditer(r"[!?]{2,}|!", view.text[:b]) if m.start() >= a),
        ]
        words = ", ".join(dict.fromkeys(f"“{m.group()}”" for m in marks))
        signals.append(
            Signal(
                name="headline_emotive",
                value=len(marks),
                explanation=(
                    f"The headline sells rather than tells: {words}."
                    if marks
                    else "The headline is plain."
                ),
                explanation_de=(
                    f"Die Überschrift wirbt statt zu informieren: {words.replace('“', '„')}."
                    if marks
                    else "Die Überschrift ist sachlich."
                ),
                spans=_evidence(view, ((m.start(), m.end(), None) for m in marks)),
            )
        )
    offsets = [
        (a + m.start(), a + m.end(), None)
        for a, b in view.prose
        for m in _SHOUTING.finditer(view.text[a:b])
        if not view.quoted(a + m.start(), a + m.end())
        and (m.group().startswith("!") or not _acronym(m.group()))
    ]
    density = _per_thousand(len(offsets), view.words)
    signals.append(
        Signal(
            name="exclamations",
            value=density,
            explanation=f"{density:.1f} exclamation marks or all-caps words per 1,000 words "
            "of the outlet's own text.",
            explanation_de=f"{density:.1f}".replace(".", ",")
            + " Ausrufezeichen oder Wörter in Großbuchstaben je 1.000 Wörter des eigenen Texts.",
            spans=_evidence(view, offsets),
        )
    )
    return signals


_ACRONYMS = frozenset({"NATO", "COVID", "CDU", "CSU", "SPD", "FDP", "AFD", "USA", "WHO"})


def _acronym(word: str) -> bool:
    return word in _ACRONYMS or len(word) <= 5


def metadata(view: ArticleView) -> list[Signal]:
    """Author, date and outlet, when the article came from a page (HTML or URL)."""
    meta = view.metadata or {}
    if not (meta.get("url") or meta.get("hostname") or meta.get("sitename")):
        return []
    present = {
        "author": bool(meta.get("author")),
        "date": bool(meta.get("date")),
        "outlet": bool(meta.get("sitename") or meta.get("hostname") or meta.get("source")),
    }
    missing = [k for k, v in present.items() if not v]
    names_de = {"author": "Autor", "date": "Datum", "outlet": "Medium"}
    return [
        Signal(
            name="metadata",
            value=", ".join(missing) + " missing" if missing else "complete",
            explanation=(
                f"The page names no {' and no '.join(missing)}."
                if missing
                else "The page names its author, date and outlet."
            ),
            explanation_de=(
                "Die Seite nennt kein(en) "
                + " und kein(en) ".join(names_de[k] for k in missing)
                + "."
                if missing
                else "Die Seite nennt Autor, Datum und Medium."
            ),
        )
    ]


def narratives(view: ArticleView) -> list[Signal]:
    """Known disinformation narratives the narratives analyzer matched."""
    if not view.narratives:
        return []
    spans, titles = [], []
    for item in view.narratives:
        evidence = _field(item, "evidence")
        if evidence is not None:
            spans.append((_field(evidence, "start", 0), _field(evidence, "end", 0), None))
        titles.append(str(_field(item, "title") or _field(item, "case_id") or ""))
    return [
        Signal(
            name="known_narratives",
            value=len(view.narratives),
            explanation=f"Repeats {len(view.narratives)} known narrative(s): "
            f"{'; '.join(t for t in titles[:3] if t)}.",
            explanation_de=f"Wiederholt {len(view.narratives)} bekannte(s) Narrativ(e): "
            f"{'; '.join(t for t in titles[:3] if t)}.",
            spans=_evidence(view, ((a, b, q) for a, b, q in spans if a < b)),
        )
    ]


def _field(item: Any, name: str, default: Any = None) -> Any:
    return item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)


SIGNALS = (sourcing, framing, opinion, persuasion, headline, metadata, narratives)


def all_signals(view: ArticleView) -> list[Signal]:
    return [signal for compute in SIGNALS for signal in compute(view)]
