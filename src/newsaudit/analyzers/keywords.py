"""Keywords as an editor would tag the article.

Candidates are named entities (when the entity analyzer ran) and 1-3 word phrases that
neither start nor end with a stop word. Each is scored with YAKE's statistics (Campos et
al. 2020: casing, position, frequency, context diversity, sentence spread) and weighted by
how rare its words are in general language (wordfreq's lists), because a word that is frequent in
this article but rare elsewhere is what the article is about. Candidates are grouped by
their article-local lemma (:func:`~newsaudit.nlp.tokens.fold_inflection`) so "Drohung" and
"Drohungen" count once.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.nlp.frequency import zipf
from newsaudit.nlp.tokens import fold_inflection, stop_words
from newsaudit.report.model import Keyword, Span

MAX_KEYWORDS = 10
MIN_KEYWORDS = 5
MAX_NGRAM = 3
_WORD = re.compile(r"^[^\W\d_][\w'’\-.]*$")
_ZIPF_CEILING = 8.0
# Weight of general-language rarity against in-article salience.
_RARITY_POWER = 2.0
_SINGLE_MENTION_WEIGHT = 0.3
_SHORT_TEXT_WORDS = 300


def rarity(word: str, language: str) -> float:
    """Near 1.0 for words rare in general language, near 0 for the most common ones."""
    return max(0.05, (_ZIPF_CEILING - zipf(word, language)) / _ZIPF_CEILING)


@dataclass
class _Term:
    """YAKE statistics of one lemma."""

    tf: int = 0
    tf_upper: int = 0
    tf_acronym: int = 0
    sentences: list[int] = field(default_factory=list)
    left: set[str] = field(default_factory=set)
    right: set[str] = field(default_factory=set)


@dataclass
class _Candidate:
    key: tuple[str, ...]
    kind: str = "phrase"
    surfaces: dict[str, int] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)


def _is_word(text: str) -> bool:
    return bool(_WORD.match(text)) and any(ch.isalpha() for ch in text)


def _parts(key: tuple[str, ...]) -> set[str]:
    """Words and hyphen parts, so "Ost-Aleppo" and "Aleppo" count as the same topic."""
    return {part for word in key for part in word.split("-") if part} | set(key)


class KeywordAnalyzer(Analyzer):
    name = "keywords"
    assigns = ("keywords",)
    version = "0.1"

    def analyze(self, context: Context) -> dict[str, Any]:
        document = context.document
        language = document.language or ""
        stops = stop_words(document.language)
        text = document.text
        skip_ranges = [(b.start, b.end) for b in document.blocks if b.role == "tags"]

        # Token stream per sentence (skipping the tag line). Plain lists, not spaCy Token
        # objects: creating those dominates the cost on long articles.
        from spacy.attrs import IDX, LENGTH, SENT_START

        words: list[str] = []
        starts: list[int] = []
        sentence_of: list[int] = []
        initial: list[bool] = []
        sentence_index = -1
        for start, length, sent_start in context.layer.doc.to_array(
            [IDX, LENGTH, SENT_START]
        ).tolist():
            if sent_start == 1:
                sentence_index += 1
            if skip_ranges and any(a <= start < b for a, b in skip_ranges):
                continue
            words.append(text[start : start + length])
            starts.append(start)
            sentence_of.append(sentence_index)
            initial.append(sent_start == 1)
        n_sentences = max(1, sentence_index + 1)
        count = len(words)

        vocabulary = frozenset(words)
        lowered = [w.lower() for w in words]
        terms: dict[str, _Term] = defaultdict(_Term)
        keys: list[str | None] = []
        folded: dict[str, str | None] = {}
        for i, word in enumerate(words):
            if word in folded:
                key = folded[word]
            elif lowered[i] in stops or not _is_word(word):
                key = folded[word] = None
            else:
                key = folded[word] = fold_inflection(word, vocabulary, document.language)
            keys.append(key)
            if key is None:
                continue
            term = terms[key]
            term.tf += 1
            term.sentences.append(sentence_of[i])
            if word.isupper() and len(word) > 1:
                term.tf_acronym += 1
            elif word[0].isupper() and not initial[i]:
                term.tf_upper += 1
            if i > 0 and sentence_of[i - 1] == sentence_of[i]:
                term.left.add(lowered[i - 1])
            if i + 1 < count and sentence_of[i + 1] == sentence_of[i]:
                term.right.add(lowered[i + 1])
        if not terms:
            return {"keywords": []}
        term_scores = self._term_scores(terms, n_sentences, language)

        candidates: dict[tuple[str, ...], _Candidate] = {}
        for i in range(count):
            if keys[i] is None:
                continue
            for j in range(i + 1, min(i + MAX_NGRAM, count) + 1):
                if keys[j - 1] is None or sentence_of[j - 1] != sentence_of[i]:
                    break
                key = tuple(keys[i:j])  # type: ignore[arg-type]
                start, end = starts[i], starts[j - 1] + len(words[j - 1])
                candidate = candidates.get(key)
                if candidate is None:
                    candidate = candidates[key] = _Candidate(key=key)
                surface = text[start:end]
                candidate.surfaces[surface] = candidate.surfaces.get(surface, 0) + 1
                candidate.spans.append((start, end))

        for cluster in context.results.get("entity_clusters", []):
            spans = [(m.start, m.end) for m in cluster.mentions]
            words = [w for w in re.findall(r"[^\W\d_][\w\-']*", cluster.canonical)]
            key = tuple(fold_inflection(w, vocabulary, document.language) for w in words)
            key = key or (cluster.canonical.lower(),)
            candidate = candidates.setdefault(key, _Candidate(key=key))
            candidate.kind = "entity"
            candidate.surfaces = {cluster.canonical: len(spans) + 1}
            candidate.spans = sorted(set(candidate.spans) | set(spans))

        # Mentioned once is rarely what an article is about: only short texts keep such phrases.
        min_mentions = 1 if count < _SHORT_TEXT_WORDS else 2
        ranked = []
        for candidate in candidates.values():
            mentions = len(candidate.spans)
            if candidate.kind != "entity" and (
                mentions < min_mentions or (len(candidate.key) > 1 and mentions < 2)
            ):
                continue
            yake = self._phrase_score(candidate, term_scores, terms)
            surface = max(candidate.surfaces.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
            if language == "de" and not surface.split()[-1][:1].isupper():
                continue  # German phrases end in a noun or name, and those are capitalised
            rare = max(rarity(w, language) for w in surface.split()) if language else 1.0
            repeated = 1.0 if mentions > 1 else _SINGLE_MENTION_WEIGHT
            salience = repeated * rare**_RARITY_POWER / yake
            if candidate.kind == "entity":
                salience *= 1.5
            ranked.append((salience, surface, candidate))
        ranked.sort(key=lambda r: (-r[0], r[1]))
        return {"keywords": self._select(ranked, text)}

    @staticmethod
    def _term_scores(terms: dict[str, _Term], n_sentences: int, language: str) -> dict[str, float]:
        tfs = [t.tf for t in terms.values()]
        mean_tf = statistics.fmean(tfs)
        std_tf = statistics.pstdev(tfs) if len(tfs) > 1 else 0.0
        max_tf = max(tfs)
        scores = {}
        for key, term in terms.items():
            casing = max(term.tf_upper, term.tf_acronym) / (1.0 + math.log(term.tf))
            # One log less than YAKE: news leads matter, but not ten times more than the body.
            position = math.log(3 + statistics.median(term.sentences))
            frequency = term.tf / (mean_tf + std_tf)
            relatedness = 1 + (len(term.left) + len(term.right)) / (2 * term.tf) * term.tf / max_tf
            spread = len(set(term.sentences)) / n_sentences
            scores[key] = (relatedness * position) / (
                casing + frequency / relatedness + spread / relatedness
            )
        return scores

    @staticmethod
    def _phrase_score(
        candidate: _Candidate, scores: dict[str, float], terms: dict[str, _Term]
    ) -> float:
        known = [scores[k] for k in candidate.key if k in scores]
        if not known:
            return 1.0 / (1 + len(candidate.spans))
        product = math.prod(known)
        return product / (len(candidate.spans) * (1 + sum(known)))

    @staticmethod
    def _select(ranked: list[tuple[float, str, _Candidate]], text: str) -> list[Keyword]:
        chosen: list[tuple[float, str, _Candidate]] = []
        for salience, surface, candidate in ranked:
            if len(chosen) >= MAX_KEYWORDS:
                break
            if len(surface) < 3:
                continue
            key = _parts(candidate.key)
            overlaps = any(key <= _parts(c.key) or _parts(c.key) <= key for _, _, c in chosen)
            if overlaps:
                continue
            if len(chosen) >= MIN_KEYWORDS and salience < 0.1 * chosen[0][0]:
                break
            chosen.append((salience, surface, candidate))
        top = chosen[0][0] if chosen else 1.0
        return [
            Keyword(
                text=surface,
                lemma=" ".join(candidate.key),
                score=round(salience / top, 4),
                kind=candidate.kind,  # type: ignore[arg-type]
                occurrences=[
                    Span(start=s, end=e, text=text[s:e]) for s, e in sorted(set(candidate.spans))
                ],
            )
            for salience, surface, candidate in chosen
        ]
