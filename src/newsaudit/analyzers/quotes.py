"""Who says what: quotes with cue, speaker, message and addressee, speakers linked to entities.

The packaged quote tagger (trained on German SpkAtt-2023) tags the tokens of the text
layer, reading their e5 states from the shared paragraph encodings (a piece reader, no
encoder pass of its own); this analyzer maps its token positions back to character offsets in
``Document.text`` and links each speaker to an entity cluster when the entities analyzer
ran before it (a mention overlapping the speaker, or the same surname). A pronoun speaker
("er sagte") inherits the person of the quote before it. ``speaker_name`` groups quotes by
person even when no entity clusters exist.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.analyzers.quote_states import context_states
from newsaudit.nlp.speaker_phrase import (
    NOUN_ENDINGS,
    SpeakerPhrase,
    capitalised,
    is_role_word,
    is_source_noun,
    looks_like_name,
    speaker_phrase,
)
from newsaudit.nlp.speech import QUOTE_CHARS, quote_states
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


def sentence_tokens(
    context: Context,
) -> tuple[list[list[str]], list[list[tuple[int, int]]], list[int]]:
    """Token strings and character spans per sentence of the text layer (spaces dropped),
    and the paragraph (block index) of each sentence."""
    doc = context.layer.doc
    words: list[list[str]] = []
    spans: list[list[tuple[int, int]]] = []
    blocks: list[int] = []
    tokens = [t for t in doc if not t.is_space]
    k = 0
    layer = context.layer
    # a layer built without paragraphs (tests, plain token lists) has no sentence blocks
    sentence_block = layer.sentence_block or [-1] * len(layer.sentences)
    for (start, end), block in zip(layer.sentences, sentence_block, strict=True):
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
            blocks.append(block)
    return words, spans, blocks


def _is_punct(word: str) -> bool:
    return not any(c.isalnum() for c in word)


def _span(text: str, positions, words, spans, keep_quotes: bool = False) -> Span | None:
    """Character span over token positions, trimmed of punctuation at both ends."""
    ordered = sorted(set(positions))

    opened = any(words[s][t] == "(" for s, t in ordered)

    def trimmable(p: tuple[int, int]) -> bool:
        w = words[p[0]][p[1]]
        kept = (keep_quotes and w in QUOTE_CHARS) or (opened and w == ")")
        return _is_punct(w) and not kept

    while ordered and trimmable(ordered[0]):
        ordered.pop(0)
    while ordered and trimmable(ordered[-1]):
        ordered.pop()
    if not ordered:
        return None
    start = spans[ordered[0][0]][ordered[0][1]][0]
    end = spans[ordered[-1][0]][ordered[-1][1]][1]
    return Span(start=start, end=end, text=text[start:end])


Pos = tuple[int, int]


def _close_parenthesis(run: list[Pos], words: list[list[str]]) -> list[Pos]:
    """Extend a speaker that leaves a parenthesis open ("Berninger ( Grüne") to its ")"."""
    s, t = run[-1]
    opened = sum(words[a][b] == "(" for a, b in run) - sum(words[a][b] == ")" for a, b in run)
    out, k = list(run), t + 1
    while opened > 0 and k < len(words[s]) and k - t < 8:
        out.append((s, k))
        opened -= words[s][k] == ")"
        k += 1
    return out if opened == 0 else run


def _segments(positions: list[Pos], words: list[list[str]]) -> list[list[Pos]]:
    """Split a direct message into its quotations ("„A“ und „B“" gives two)."""
    parts: list[list[tuple[int, int]]] = []
    for pos in sorted(positions):
        if parts:
            ps, pt = parts[-1][-1]
            same = ps == pos[0] and pt + 1 == pos[1]
            wraps = ps + 1 == pos[0] and pos[1] == 0 and pt == len(words[ps]) - 1
            if same or wraps:
                parts[-1].append(pos)
                continue
        parts.append([pos])
    return parts


# A reported message without quotation marks or a cue must say something: a one- or
# two-word run ("fortsetzen") is a tagger slip, not a quote.
MIN_UNCUED_WORDS = 3

_PREPOSITION_CUES = frozenset("laut nach gemäß zufolge according".split())


# A word this common in general language is a noun, not a name the NER missed ("Saison",
# "Verwaltung"); rare surnames ("Heilinglechner", "Triendl") score below it.
NAME_MAX_ZIPF = 3.5


def recurring_names(
    found_quotes, words: list[list[str]], language: str | None, places: set[str]
) -> set[str]:
    """Capitalised speaker words the article uses at least twice and general language
    rarely: likely names the NER missed (not places it found, not common-noun forms)."""
    from newsaudit.nlp.frequency import zipf
    from newsaudit.nlp.tokens import stop_words

    in_sources = {
        words[s][t].lower() for q in found_quotes for s, t in q.source if capitalised(words[s][t])
    }
    counts: dict[str, int] = {}
    for row in words:
        for w in row:
            if capitalised(w):
                counts[w.lower()] = counts.get(w.lower(), 0) + 1
    common = stop_words("de") | stop_words("en") | _TITLE_WORDS | places
    return {
        w
        for w in in_sources
        if counts.get(w, 0) >= 2
        and w not in common
        and not is_role_word(w)
        and not is_source_noun(w)
        and not w.endswith(NOUN_ENDINGS)
        and zipf(w, language or "de") < NAME_MAX_ZIPF
    }


def name_key(word: str) -> str:
    """How a name word is matched: lower case, without a genitive s ("Triendls", "Kirby's")."""
    w = word.lower().removesuffix("'s").removesuffix("’s")
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def _surname(text: str) -> str | None:
    names = [w.strip(".,") for w in text.split() if w[:1].isupper()]
    names = [w for w in names if w.lower() not in _TITLE_WORDS]
    return names[-1].lower() if names else None


class ClusterIndex:
    """Entity clusters from the entities analyzer, looked up by overlap or surname.

    Mentions are sorted by start with the running maximum of their ends, so finding those
    that overlap a span costs a binary search and a short walk back, not a pass over every
    mention of the article.
    """

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
        self.mentions.sort(key=lambda m: (m[0], m[1]))
        self._starts = [m[0] for m in self.mentions]
        self._reach = list(itertools.accumulate((m[1] for m in self.mentions), max))

    def _overlapping(self, span: Span) -> list[tuple[bool, int, str, str]]:
        """(is a person, overlap, cluster, label) of every mention overlapping ``span``."""
        found = []
        k = bisect.bisect_left(self._starts, span.end)
        while k > 0 and self._reach[k - 1] > span.start:
            k -= 1
            s, e, cid, label = self.mentions[k]
            if e > span.start:
                found.append((label == "PER", min(e, span.end) - max(s, span.start), cid, label))
        return found

    def person_before(self, position: int, reach: int = 400) -> tuple[str, int] | None:
        """(cluster, start) of the last person mention ending before ``position``, at most
        ``reach`` characters back: what a pronoun there most likely refers to."""
        k = bisect.bisect_left(self._starts, position)
        while k > 0:
            k -= 1
            s, e, cid, label = self.mentions[k]
            if s < position - reach:
                return None
            if label == "PER" and e <= position:
                return cid, s
        return None

    def titled(self, text: str, title: str, before: int) -> str | None:
        """The one person named with ``title`` before ``before`` ("Bundeskanzlerin Angela
        Merkel" for "die Kanzlerin", "Landrat Göbel" for "der Landrat"), else None."""
        title = title.lower()
        found = set()
        for start, end, cid, label in self.mentions:
            if label != "PER" or start >= before:
                continue
            # the title right before the name, in the same sentence ("Landrat Christoph Göbel")
            before_name = re.split(r"[.!?\n]", text[max(0, start - 40) : start])[-1].split()
            words = [w.strip(",()").lower() for w in before_name[-2:] + text[start:end].split()]
            if any(w.endswith(title) for w in words):
                found.add(cid)
        return found.pop() if len(found) == 1 else None

    def covering(self, span: Span) -> tuple[int, int]:
        """``span`` widened to the whole of every person or organisation mention it touches."""
        start, end = span.start, span.end
        k = bisect.bisect_left(self._starts, span.end)
        while k > 0 and self._reach[k - 1] > span.start:
            k -= 1
            s, e, _, _ = self.mentions[k]
            if e > span.start:
                start, end = min(start, s), max(end, e)
        return start, end

    def label(self, span: Span) -> str | None:
        """Label of the entity mention overlapping ``span`` most (PER preferred)."""
        overlapping = [(person, size, label) for person, size, _, label in self._overlapping(span)]
        return max(overlapping)[2] if overlapping else None

    def find(self, span: Span) -> str | None:
        """The cluster of the mention overlapping ``span``: a person before an organisation
        ("der Sprecher des US Department of State John Kirby" is Kirby), then the longest."""
        overlapping = [(person, size, cid) for person, size, cid, _ in self._overlapping(span)]
        if overlapping:
            return max(overlapping)[2]
        surname = _surname(span.text)
        return self.surnames.get(surname) if surname else None


def _titled_person(index: ClusterIndex, text: str, phrase: list[str], speaker: Span) -> str | None:
    """A definite singular role phrase ("der Landrat", "die Kanzlerin") refers to the one
    person the article introduced with that title before."""
    if len(phrase) != 2 or not is_role_word(phrase[1]):
        return None
    article, head = phrase[0].lower(), phrase[1]
    singular = article == "der" or (article == "die" and head.lower().endswith("in"))
    return index.titled(text, head, speaker.start) if singular else None


def _antecedent(
    index: ClusterIndex, last_person: tuple[str | None, str | None, int], position: int
) -> tuple[str | None, str | None]:
    """Who a pronoun speaker refers to: the nearer of the last named speaker and the last
    person mention before it."""
    cluster, name, start = last_person
    mention = index.person_before(position)
    if mention is not None and mention[1] > start:
        return mention[0], index.canonical.get(mention[0])
    return cluster, name


class QuotesAnalyzer(Analyzer):
    name = "quotes"
    version = "0.1"
    languages = frozenset({"de", "en"})
    requires = ("entities",)
    assigns = ("quotes",)

    @property
    def model_name(self) -> str | None:
        return "quote-tagger-spkatt2023"

    def load(self) -> None:
        from newsaudit.models import quotes

        self._model = quotes.load()

    def piece_reader(self, language: str | None) -> Any:
        return self._model.project

    def _speaker(
        self, found, words, spans, text, index, known, inside, guessed_name
    ) -> SpeakerPhrase | None:
        """The speaker phrase: a person entity, else a name seen speaking before, else a
        role phrase or pronoun the tagger marked; a known name right beside the cue wins over
        a run without one ("Kirby prognostizierte des Weiteren, …"). Runs that name nobody
        ("der", "Schätzung", "dem 19. April") are never the speaker."""
        from newsaudit.nlp.quote_assembly import adjacent_runs

        def is_name(run: list[Pos]) -> bool:
            span = _span(text, run, words, spans)
            if span is not None and index.label(span) in ("PER", "ORG"):
                return True
            if not index.mentions and guessed_name(run):
                return True
            return any(
                words[s][t].lower() in known or name_key(words[s][t]) in known
                for s, t in run
                if capitalised(words[s][t])
            )

        phrases = [speaker_phrase(r, words, is_name) for r in adjacent_runs(found.source)]
        candidates = [p for p in phrases if p is not None]
        verbs = [p for p in found.cue if words[p[0]][p[1]].lower() not in _PREPOSITION_CUES]
        tagged = set(found.speaker)

        def rank(phrase: SpeakerPhrase) -> tuple[bool, bool, bool, bool, bool]:
            run = phrase.positions
            span = _span(text, run, words, spans)
            beside_verb = any(
                c[0] == run[0][0] and min(abs(c[1] - t) for _, t in run) <= 1 for c in verbs
            )
            return (
                span is not None and index.label(span) == "PER",
                phrase.kind == "name",
                beside_verb,
                phrase.kind == "role",
                bool(tagged & set(run)),
            )

        best = max(candidates, key=rank) if candidates else None
        if found.cue_run and (best is None or best.kind != "name"):
            # a name the article quotes elsewhere, outside the message, in the cue's sentence
            s, t = found.cue_run[0]
            message = set(found.message)
            hits = [
                k
                for k, w in enumerate(words[s])
                if w.lower() in known and (s, k) not in message and not inside[s][k]
            ]
            if hits:
                k = min(hits, key=lambda k: abs(k - t))
                first = k
                while first > 0 and words[s][first - 1][:1].isupper() and k - first < 3:
                    first -= 1
                return SpeakerPhrase([(s, j) for j in range(first, k + 1)], "name")
        if best is None:
            return None
        run = _close_parenthesis(best.positions, words)
        span = _span(text, run, words, spans)
        if best.kind == "name" and span is not None:
            # the tagger may stop inside a name ("Kanzler Sebastian" | "Kurz")
            start, end = index.covering(span)
            s = run[0][0]
            run = sorted(
                set(run) | {(s, k) for k, (a, b) in enumerate(spans[s]) if a >= start and b <= end}
            )
        return SpeakerPhrase(run, best.kind)

    def analyze(self, context: Context) -> dict[str, Any]:
        if not hasattr(self, "_model"):
            self.load()
        text = context.document.text
        words, spans, blocks = sentence_tokens(context)
        if not words:
            return {"quotes": []}
        model = self._model
        states = context_states(context, spans, blocks, self.name, model.project, model.state_dims)
        index = ClusterIndex(context.results.get("entity_clusters", []) or [])
        quotes: list[Quote] = []
        last_person: tuple[str | None, str | None, int] = (None, None, -1)
        names: dict[str, str] = {}
        found_quotes = model.find(words, context.document.language, states)
        inside = quote_states(words)
        places = {
            w.lower()
            for e in context.results.get("entities", []) or []
            if _value(e, "label") not in ("PER", "ORG")
            for w in (_value(e, "text") or "").split()
        }
        known: set[str] = set(index.surnames) | recurring_names(
            found_quotes, words, context.document.language, places
        )
        language = context.document.language

        def guessed_name(run: list[Pos]) -> bool:
            return looks_like_name([words[s][t] for s, t in run], language)

        for found in found_quotes:
            kind = KINDS.get(found.form, "indirect")
            parts = _segments(found.message, words) if kind == "direct" else [found.message]
            cue = _span(text, found.cue_run, words, spans) if found.cue_run else None
            phrase = self._speaker(found, words, spans, text, index, known, inside, guessed_name)
            if phrase is None and kind != "direct":
                continue  # reported speech needs someone who speaks
            run = phrase.positions if phrase else []
            speaker = _span(text, run, words, spans) if run else None
            addressee = _span(text, found.addr, words, spans) if found.addr else None
            cluster, name = None, None
            if speaker is not None and phrase is not None:
                if phrase.kind == "pronoun":
                    cluster, name = _antecedent(index, last_person, speaker.start)
                elif phrase.kind == "role":
                    cluster = _titled_person(index, text, [words[s][t] for s, t in run], speaker)
                    name = index.canonical.get(cluster) if cluster else None
                elif phrase.kind == "name":
                    cluster = index.find(speaker)
                    surname = _surname(speaker.text)
                    name = index.canonical.get(cluster) if cluster else None
                    if surname:
                        known.add(surname)
                    if name is None and surname:
                        # the longest way this article names the person is the readable name
                        names[surname] = max(names.get(surname, ""), speaker.text, key=len)
                        name = surname
                    last_person = (cluster, name, speaker.start)
            for positions in parts:
                message = _span(text, positions, words, spans, keep_quotes=True)
                if message is None:
                    continue
                too_short = len(message.text.split()) < MIN_UNCUED_WORDS
                if kind != "direct" and cue is None and too_short:
                    continue
                pieces = [p for p in (message, cue) if p is not None]
                sentences_of = {s for s, _ in positions} | {s for s, _ in found.cue_run}
                if speaker is not None and {s for s, _ in run} <= sentences_of:
                    pieces.append(speaker)
                start = min(p.start for p in pieces)
                end = max(p.end for p in pieces)
                quotes.append(
                    Quote(
                        start=start,
                        end=end,
                        text=text[start:end],
                        kind=kind,
                        cue=cue,
                        speaker=speaker,
                        speaker_cluster=cluster,
                        speaker_name=name,
                        speaker_kind=phrase.kind if phrase and speaker else None,
                        message=message,
                        addressee=addressee,
                        score=found.score,
                    )
                )
        for quote in quotes:
            if quote.speaker_name in names:
                quote.speaker_name = names[quote.speaker_name]
        return {"quotes": quotes}
