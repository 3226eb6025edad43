"""Phrases an article repeats across its paragraphs: the candidates of the Repetition technique.

No paragraph model can see Repetition: it lives in the article as a whole ("Free Tommy
Robinson now!" in three paragraphs, "smear" five times). A candidate is a run of one to
three words that starts and ends with a content word (no function words, numbers or names),
matched by an article-local lemma, that occurs in at least two separate paragraphs. Each
candidate keeps the offsets of every occurrence and the features the Repetition model
scores (``analyzers.repetition``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

MAX_WORDS = 3
MIN_CHARS = 3
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
# A run never crosses these: a phrase is repeated within sentences, not across them.
_BREAK = re.compile(r"[.!?;:\n\"„“”«»()]")


@dataclass
class Candidate:
    """One repeated phrase: its lemma key and the (start, end) of every occurrence."""

    key: tuple[str, ...]
    occurrences: list[tuple[int, int]] = field(default_factory=list)
    paragraphs: set[int] = field(default_factory=set)
    features: list[float] = field(default_factory=list)
    tokens: list[tuple[int, int]] = field(default_factory=list)
    """First and last token index of each occurrence."""
    in_paragraph: list[int] = field(default_factory=list)
    """The paragraph of each occurrence (-1: outside every paragraph)."""


FEATURES = (
    "bias",
    "words",
    "log_count",
    "paragraph_share",
    "per_1000_words",
    "min_zipf",
    "mean_zipf",
    "in_title",
    "capitalised",
    "spread",
    "max_in_paragraph",
    "min_gap_words",
)


def _paragraph_index(starts: Sequence[int], paragraphs: Sequence[tuple[int, int]]) -> list[int]:
    """The paragraph holding each position of the ascending ``starts`` (-1: none)."""
    import bisect

    firsts = [start for start, _ in paragraphs]
    out = []
    for position in starts:
        k = bisect.bisect_right(firsts, position) - 1
        out.append(k if k >= 0 and position < paragraphs[k][1] else -1)
    return out


def repeated_phrases(
    text: str,
    paragraphs: Sequence[tuple[int, int]],
    language: str | None,
    excluded: Sequence[tuple[int, int]] = (),
    title: tuple[int, int] | None = None,
) -> list[Candidate]:
    """Candidates of ``text`` whose occurrences fall in at least two of ``paragraphs``.

    ``excluded`` spans (entity mentions) hold names, which are repeated because they are the
    subject, not to persuade. Runs contained in a longer candidate's occurrences are dropped.
    """
    from newsaudit.nlp.frequency import zipf
    from newsaudit.nlp.tokens import fold_inflection, stop_words

    stops = stop_words(language)
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    vocabulary = frozenset(w for _, _, w in tokens)
    blocked = _blocked(len(text), excluded)
    folded = {w: fold_inflection(w, vocabulary, language) for w in vocabulary}  # once a word
    lemmas = [folded[w] for _, _, w in tokens]
    paragraph_of = _paragraph_index([start for start, _, _ in tokens], sorted(paragraphs))

    def content(k: int) -> bool:
        s, e, w = tokens[k]
        return len(w) >= MIN_CHARS and lemmas[k] not in stops and not blocked[s]

    found: dict[tuple[str, ...], Candidate] = {}
    for i in range(len(tokens)):
        if not content(i):
            continue
        for n in range(1, MAX_WORDS + 1):
            j = i + n - 1
            if j >= len(tokens):
                break
            if n > 1 and (
                _BREAK.search(text, tokens[j - 1][1], tokens[j][0])
                or paragraph_of[j] != paragraph_of[i]
            ):
                break
            if not content(j):
                continue
            candidate = found.setdefault(tuple(lemmas[i : j + 1]), Candidate(()))
            candidate.occurrences.append((tokens[i][0], tokens[j][1]))
            candidate.tokens.append((i, j))
            candidate.in_paragraph.append(paragraph_of[i])
    for key, candidate in found.items():
        candidate.key = key
        candidate.paragraphs = set(candidate.in_paragraph) - {-1}
    kept = [c for c in found.values() if _repeated(c)]
    kept = _maximal(kept)
    words = max(len(tokens), 1)
    for candidate in kept:
        candidate.features = _features(candidate, text, words, paragraphs, title, zipf, language)
    return kept


MIN_IN_ONE_PARAGRAPH = 3


def _repeated(candidate: Candidate) -> bool:
    """In two paragraphs or more, or three times in one ("Eine verständliche Hybris. Jede
    Hybris ist verständlich.")."""
    if len(candidate.paragraphs) >= 2:
        return True
    return len(candidate.occurrences) >= MIN_IN_ONE_PARAGRAPH and bool(candidate.paragraphs)


def _blocked(size: int, spans: Sequence[tuple[int, int]]) -> bytearray:
    """1 at every character inside one of ``spans``."""
    out = bytearray(size + 1)
    for start, end in spans:
        start, end = max(start, 0), min(end, size)
        if end > start:
            out[start:end] = b"\x01" * (end - start)
    return out


def _maximal(candidates: list[Candidate]) -> list[Candidate]:
    """Drop a candidate whose every occurrence lies inside occurrences of a longer one.

    Occurrences are at most ``MAX_WORDS`` tokens, so one that contains another starts at
    most ``MAX_WORDS - 1`` tokens before it: a lookup by first token, not a scan."""
    longer = sorted(candidates, key=lambda c: -len(c.key))
    reach: dict[int, int] = {}  # first token -> last token of the longest kept occurrence
    out = []
    for candidate in longer:
        inside = all(
            any(reach.get(i - back, -1) >= j for back in range(MAX_WORDS))
            for i, j in candidate.tokens
        )
        if not inside:
            out.append(candidate)
            for i, j in candidate.tokens:
                reach[i] = max(reach.get(i, -1), j)
    return out


def _features(candidate, text, words, paragraphs, title, zipf, language) -> list[float]:
    n_paragraphs = len(paragraphs)
    count = len(candidate.occurrences)
    content_words = [w for w in candidate.key if len(w) >= MIN_CHARS]
    frequencies = [zipf(w, language) for w in content_words] or [0.0]
    firsts = [text[s:e] for s, e in candidate.occurrences]
    in_title = title is not None and any(title[0] <= s < title[1] for s, _ in candidate.occurrences)
    positions = [s / max(len(text), 1) for s, _ in candidate.occurrences]
    per_paragraph: dict[int, int] = {}
    for k in candidate.in_paragraph:
        per_paragraph[k] = per_paragraph.get(k, 0) + 1
    starts = sorted(s for s, _ in candidate.occurrences)
    gap = min((b - a for a, b in zip(starts, starts[1:], strict=False)), default=len(text))
    return [
        1.0,
        float(len(candidate.key)),
        math.log(count),
        len(candidate.paragraphs) / max(n_paragraphs, 1),
        1000.0 * count / words,
        min(frequencies),
        sum(frequencies) / len(frequencies),
        float(in_title),
        sum(f[:1].isupper() for f in firsts) / count,
        max(positions) - min(positions),
        float(max(per_paragraph.values())),
        math.log1p(gap / 6.0),
    ]
