"""Who says what: quotes with cue, speaker, message and addressee, speakers linked to entities.

The packaged quote tagger (trained on German SpkAtt-2023) tags the tokens of the text
layer; this analyzer maps its token positions back to character offsets in
``Document.text`` and links each speaker to an entity cluster when the entities analyzer
ran before it (a mention overlapping the speaker, or the same surname). A pronoun speaker
("er sagte") inherits the person of the quote before it. ``speaker_name`` groups quotes by
person even when no entity clusters exist.
"""

from __future__ import annotations

from typing import Any

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.nlp.speech import PRONOUNS, QUOTE_CHARS
from newsaudit.report.model import Quote, Span

KINDS = {
    "Direct": "direct",
    "Indirect": "indirect",
    "FreeIndirect": "free_indirect",
    "Reported": "reported",
}
# Titles and functions that precede a name but are not part of how we group a person.
_TITLE_WORDS = frozenset(
    "generalmajor general sprecher sprecherin minister ministerin präsident präsidentin "
    "herr frau dr. prof. kanzler kanzlerin chef chefin spokesman spokeswoman president".split()
)


def _value(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def sentence_tokens(context: Context) -> tuple[list[list[str]], list[list[tuple[int, int]]]]:
    """Token strings and character spans per sentence of the text layer (spaces dropped)."""
    doc = context.layer.doc
    words: list[list[str]] = []
    spans: list[list[tuple[int, int]]] = []
    tokens = [t for t in doc if not t.is_space]
    k = 0
    for start, end in context.layer.sentences:
        row_w: list[str] = []
        row_s: list[tuple[int, int]] = []
        while k < len(tokens) and tokens[k].idx < start:
            k += 1
        while k < len(tokens) and tokens[k].idx < end:
            row_w.append(tokens[k].text)
            row_s.append((tokens[k].idx, tokens[k].idx + len(tokens[k].text)))
            k += 1
        if row_w:
            words.append(row_w)
            spans.append(row_s)
    return words, spans


def _is_punct(word: str) -> bool:
    return not any(c.isalnum() for c in word)


def _span(text: str, positions, words, spans, keep_quotes: bool = False) -> Span | None:
    """Character span over token positions, trimmed of punctuation at both ends."""
    ordered = sorted(set(positions))

    def trimmable(p: tuple[int, int]) -> bool:
        w = words[p[0]][p[1]]
        return _is_punct(w) and not (keep_quotes and w in QUOTE_CHARS)

    while ordered and trimmable(ordered[0]):
        ordered.pop(0)
    while ordered and trimmable(ordered[-1]):
        ordered.pop()
    if not ordered:
        return None
    start = spans[ordered[0][0]][ordered[0][1]][0]
    end = spans[ordered[-1][0]][ordered[-1][1]][1]
    return Span(start=start, end=end, text=text[start:end])


def _surname(text: str) -> str | None:
    names = [w.strip(".,") for w in text.split() if w[:1].isupper()]
    names = [w for w in names if w.lower() not in _TITLE_WORDS]
    return names[-1].lower() if names else None


class ClusterIndex:
    """Entity clusters from the entities analyzer, looked up by overlap or surname."""

    def __init__(self, clusters: list[Any]) -> None:
        self.mentions: list[tuple[int, int, str, str]] = []
        self.surnames: dict[str, str] = {}
        self.canonical: dict[str, str] = {}
        for cluster in clusters:
            cid = _value(cluster, "id")
            label = _value(cluster, "label")
            if cid is None or label not in ("PER", "ORG"):
                continue
            self.canonical[cid] = _value(cluster, "canonical") or cid
            for mention in _value(cluster, "mentions") or []:
                self.mentions.append((_value(mention, "start"), _value(mention, "end"), cid, label))
                surname = _surname(_value(mention, "text") or "")
                if surname and label == "PER":
                    self.surnames.setdefault(surname, cid)

    def find(self, span: Span) -> str | None:
        overlapping = [
            (min(e, span.end) - max(s, span.start), label == "PER", cid)
            for s, e, cid, label in self.mentions
            if s < span.end and span.start < e
        ]
        if overlapping:
            return max(overlapping)[2]
        surname = _surname(span.text)
        return self.surnames.get(surname) if surname else None


class QuotesAnalyzer(Analyzer):
    name = "quotes"
    version = "0.1"
    languages = frozenset({"de", "en"})

    @property
    def model_name(self) -> str | None:
        return "quote-tagger-spkatt2023"

    def load(self) -> None:
        from newsaudit.nlp.quote_tagger import load_tagger

        self._model = load_tagger()

    def analyze(self, context: Context) -> dict[str, Any]:
        if not hasattr(self, "_model"):
            self.load()
        text = context.document.text
        words, spans = sentence_tokens(context)
        if not words:
            return {"quotes": []}
        index = ClusterIndex(context.results.get("entity_clusters", []) or [])
        quotes: list[Quote] = []
        last_person: tuple[str | None, str | None] = (None, None)
        names: dict[str, str] = {}
        for found in self._model.find(words):
            message = _span(text, found.message, words, spans, keep_quotes=True)
            if message is None:
                continue
            cue = _span(text, found.cue, words, spans) if found.cue else None
            speaker = _span(text, found.speaker, words, spans) if found.speaker else None
            addressee = _span(text, found.addr, words, spans) if found.addr else None
            cluster, name = None, None
            if speaker is not None:
                if speaker.text.lower() in PRONOUNS:
                    cluster, name = last_person
                else:
                    cluster = index.find(speaker)
                    surname = _surname(speaker.text)
                    name = index.canonical.get(cluster) if cluster else None
                    if name is None and surname:
                        # the longest way this article names the person is the readable name
                        best = names.get(surname, "")
                        names[surname] = max(best, speaker.text, key=len)
                        name = surname
                    last_person = (cluster, name)
            parts = [p for p in (message, cue) if p is not None]
            message_sentences = {s for s, _ in found.message} | {s for s, _ in found.cue}
            if speaker is not None and {s for s, _ in found.speaker} <= message_sentences:
                parts.append(speaker)
            start = min(p.start for p in parts)
            end = max(p.end for p in parts)
            quotes.append(
                Quote(
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind=KINDS.get(found.form, "indirect"),
                    cue=cue,
                    speaker=speaker,
                    speaker_cluster=cluster,
                    speaker_name=name,
                    message=message,
                    addressee=addressee,
                    score=found.score,
                )
            )
        for quote in quotes:
            if quote.speaker_name in names:
                quote.speaker_name = names[quote.speaker_name]
        return {"quotes": quotes}
