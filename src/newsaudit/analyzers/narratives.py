"""Known narratives: which documented disinformation cases the article repeats.

The passages read are the article's title, its lead and each check-worthy claim (from the
``claims`` analyzer: a quoted source's words or the outlet's own assertion). Each is embedded
on its own as an e5 query and matched against the packaged EUvsDisinfo index and every index
the user added (``newsaudit index add``); only matches whose calibrated probability passes
the model's threshold are kept (see ``narrative_matcher``). Matches of related cases form
one narrative with the database's case count and date range.
WHY claims and not every sentence: the claims are the article's assertions about the world;
a sentence without one (a transition, a date line) has nothing a fact-checker documented,
and each passage costs one encoder pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from newsaudit.analyzers.base import Analyzer, Context
from newsaudit.report.model import NarrativeGroup, NarrativeMatch, Span

# Shortest passage worth a look: a dateline or a two-word title repeats no claim.
MIN_CHARS = 25
# Most passages encoded alone per article, taken round-robin from the paragraphs closest to
# the index: the claims analyzer finds about 30 per news article, and each costs one encoder
# pass, about in proportion to its length. Round-robin takes each paragraph's longest
# passage first: on a quarter of the FANG-COVID sample 6 passages are 965 characters an
# article (0.117 CPU-s under load, where the previous selection's 676 took 0.095), 5 are
# 846, 4 are 710.
MAX_PASSAGES = 5


def _model() -> Any:
    from newsaudit.indexes import with_user_indexes
    from newsaudit.models import narratives

    return with_user_indexes(narratives.load())


def match_texts(texts: Sequence[str], language: str | None) -> list[list[Any]]:
    """The shown matches of each text (``narrative_matcher.Match``), most probable first."""
    return match_passages(_model(), texts, language)


def match_passages(model: Any, texts: Sequence[str], language: str | None) -> list[list[Any]]:
    """The shown matches of each passage, each case by the best of the passage's queries
    (``narrative_matcher.query_texts``: as written and its bare claim), all encoded at once
    and matched against the index in one product."""
    from newsaudit.analyzers.embeddings import sentence_encodings
    from newsaudit.analyzers.narrative_matcher import best_of, query_texts

    queries = [query_texts(text) for text in texts]
    flat = [query for group in queries for query in group]
    encodings = sentence_encodings(flat)
    kept = [(q, e) for q, e in zip(flat, encodings, strict=True) if e is not None]
    matched = iter(
        model.match_of(
            [e.vector for _, e in kept], [q for q, _ in kept], language,
            states=[e.states for _, e in kept],
        )
    )  # fmt: skip
    found = iter([next(matched) if e is not None else [] for e in encodings])
    return [best_of([next(found) for _ in group], model.max_shown) for group in queries]


def passages(context: Context) -> list[tuple[int, int]]:
    """Spans of the title, the lead and each claim, in text order, without repeats."""
    spans = [(b.start, b.end) for b in context.document.blocks if b.role in ("title", "lead")]
    for claim in context.results.get("claims", []) or []:
        spans.append((claim.start, claim.end))
    text = context.document.text
    out = []
    for start, end in sorted(set(spans)):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= MIN_CHARS and (start, end) not in out:
            out.append((start, end))
    return out


class NarrativesAnalyzer(Analyzer):
    name: ClassVar[str] = "narratives"
    version: ClassVar[str] = "0.1"
    languages: ClassVar[frozenset[str] | None] = frozenset({"de", "en"})
    requires: ClassVar[tuple[str, ...]] = ("claims",)
    assigns: ClassVar[tuple[str, ...]] = ("narratives", "narrative_groups")

    @property
    def model_name(self) -> str | None:
        return "narratives-euvsdisinfo"

    def load(self) -> None:
        self._model = _model()

    def analyze(self, context: Context) -> dict[str, Any]:
        text = context.document.text
        spans = self._gated(context, passages(context))
        language = context.document.language
        best: dict[int, tuple[Any, int, int]] = {}  # case row -> (match, start, end)
        found = match_passages(self._model, [text[s:e] for s, e in spans], language)
        for (start, end), matches in zip(spans, found, strict=True):
            for match in matches:
                if match.row not in best or match.probability > best[match.row][0].probability:
                    best[match.row] = (match, start, end)
        ranked = sorted(best.values(), key=lambda m: (-m[0].probability, m[1]))
        groups: dict[int, int] = {}
        group_rows: list[NarrativeGroup] = []
        matches: list[NarrativeMatch] = []
        for match, start, end in ranked:
            group, count, first, last = self._model.group_of(match.row)
            if group not in groups:
                groups[group] = len(group_rows)
                group_rows.append(
                    NarrativeGroup(
                        title=match.case.title,
                        database=match.case.database,
                        case_count=count,
                        date_from=first,
                        date_to=last,
                    )
                )
            group_rows[groups[group]].matches.append(len(matches))
            matches.append(
                NarrativeMatch(
                    case_id=match.case.case_id,
                    title=match.case.title,
                    url=match.case.url,
                    date=match.case.date,
                    score=match.score,
                    probability=match.probability,
                    evidence=Span(start=start, end=end, text=text[start:end]),
                    disproof=match.case.disproof or None,
                    database=match.case.database,
                    narrative=groups[group],
                )
            )
        return {"narratives": matches, "narrative_groups": group_rows}

    def _gated(self, context: Context, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The passages inside paragraphs that pass the model's gate, at most
        ``MAX_PASSAGES``, taken round-robin: each round takes one passage of each passing
        paragraph, the paragraphs closest to the index first, the longest passage of a
        paragraph first. The paragraphs' e5 vectors are the Context's, which the other
        analyzers share (one encoding per paragraph), so the gate costs one matrix product.
        WHY round-robin: a paragraph close to the index often holds several short claims
        (a date line, a reported threat) and took the whole budget, while the claim of the
        next paragraph (the sample's "US-kontrolliertes internationales Terrornetzwerk")
        was never encoded."""
        import numpy as np

        blocks = context.document.analysable_blocks
        if not spans or not blocks or self._model.gate <= -1.0:
            return spans
        kept = [
            (b, e.vector) for b, e in zip(blocks, context.encodings, strict=True) if e is not None
        ]
        if not kept:
            return spans
        vectors = np.stack([v for _, v in kept])
        scores = self._model.paragraph_scores(vectors, context.document.language)
        by_paragraph: dict[int, list[tuple[int, int]]] = {}
        for start, end in spans:
            row = next((i for i, (b, _) in enumerate(kept) if b.start <= start < b.end), None)
            if row is not None and scores[row] >= self._model.gate:
                by_paragraph.setdefault(row, []).append((start, end))
        order = sorted(by_paragraph, key=lambda row: (-float(scores[row]), row))
        queues = [sorted(by_paragraph[row], key=lambda s: (s[0] - s[1], s[0])) for row in order]
        chosen: list[tuple[int, int]] = []
        for round_ in range(max((len(q) for q in queues), default=0)):
            for queue in queues:
                if round_ < len(queue) and len(chosen) < MAX_PASSAGES:
                    chosen.append(queue[round_])
        return sorted(chosen)
