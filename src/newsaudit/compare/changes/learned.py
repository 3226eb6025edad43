"""A learned second reading of every article unit: is what it says a distortion of the
source passage it is aligned with?

WHY: the rule detectors fit the sentences they were fixed on and miss new wording. Here
each unit (accepted alignment, or the best rejected candidate of a unit no passage
renders) becomes a short vector of graded evidence: how well its words are rendered
(mid-layer e5 word links), which source words it leaves out, whether the speakers
differ, how the outlet's reporting words sit between loaded and neutral speech verbs in
e5's embedding table, and how much more of a word class (hedges, conditions, negation,
quantifiers) one side has, read from the words' e5 states rather than from lists (the
rules read the lists). A logistic regression over it
(``models/compare``, ``newsaudit train compare``) adds a finding only where no rule found
one and the probability reaches the model's calibrated threshold; the rules' findings
stay. The kind of a learned finding is the kind whose evidence raises the score most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from newsaudit.compare import lexicon as lx
from newsaudit.compare.align import Alignment, is_content, rendered
from newsaudit.compare.changes.attribution import (
    MIN_UNSOURCED,
    asked,
    speaks_for,
    speaks_in_source,
)
from newsaudit.compare.changes.base import (
    ArticleView,
    Change,
    clause_region,
    german,
    governed_region,
    token_span,
)
from newsaudit.compare.changes.modality import (
    condition_positions,
    hedge_positions,
    negation_positions,
    partial_positions,
    universal_positions,
)
from newsaudit.compare.clauses import LINKED, mutual_partners
from newsaudit.compare.text import Token
from newsaudit.models.compare import CompareModel, load

# Feature -> the change kind its evidence speaks for (None: evidence for no kind alone).
FEATURE_KINDS: dict[str, str | None] = {
    "bias": None,
    "accepted": None,
    "coverage": None,
    "similarity": None,
    "other_speaker": "misattribution",
    "unknown_speaker": None,
    "unsupported_share": "content_added",
    "unsupported_many": "content_added",
    "weak_share": "content_added",
    "dropped_share": "quote_cut",
    "dropped_after": "quote_cut",
    "frame_loaded": "speech_act_reframed",
    "hedge_soft": "hedge_strengthened",
    "condition_soft": "condition_dropped",
    "negation_soft": "negation_flipped",
    "universal_soft": "scope_widened",
    "partial_soft": "scope_widened",
}
# Word classes read softly: each has a direction in e5's mid-layer word states (mean state
# of the class's words minus that of all words, fitted by ``newsaudit train compare``);
# a word's projection on it says how much it is such a word, listed or not ("a chance
# that" near "perhaps"). The feature is how much more the source has of the class than
# the article (the article more, for "universal").
SOFT_CLASSES = ("hedge", "condition", "negation", "universal", "partial")
FEATURES: tuple[str, ...] = tuple(FEATURE_KINDS)

# Speech verbs an outlet may choose for a speaker's words: loaded ones judge the act, neutral
# ones report it. Only their place in e5's input embedding table is used (a word near the
# loaded ones and far from the neutral ones is a label), so a verb missing here still counts.
LOADED_VERBS = lx.words(
    "drohte drohten bedrohte gestand gestanden zugeben eingeräumt beschuldigte beschimpfte "
    "prahlte polterte schimpfte attackierte verspottete unterstellte leugnete verlangte "
    "forderte behauptete beklagte jammerte klagte räumte "
    "threatened confessed admitted boasted attacked accused blasted demanded claimed"
)
NEUTRAL_VERBS = lx.words(
    "sagte sagten erklärte erklärten teilte mitteilte betonte ergänzte fügte antwortete "
    "berichtete meinte sprach schilderte erläuterte informierte nannte "
    "said told explained stated added noted replied reported"
)


@dataclass
class Row:
    """One unit's evidence: its alignment, whether that was accepted, feature values and
    the words that make up the evidence of each kind (for the explanation)."""

    alignment: Alignment
    accepted: bool
    values: list[float]
    evidence: dict[str, str]


@cache
def _verb_vectors() -> tuple[np.ndarray, np.ndarray]:
    from newsaudit.compare.encoding import static_vectors

    def unit(words: frozenset[str]) -> np.ndarray:
        vectors = static_vectors(sorted(words))
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    return unit(LOADED_VERBS), unit(NEUTRAL_VERBS)


def _frame_loaded(tokens: list[Token]) -> tuple[float, str]:
    """How much closer the outlet's most label-like word is to loaded than to neutral
    speech verbs (cosine of input embeddings), and that word."""
    from newsaudit.compare.encoding import static_vectors

    words = [t for t in tokens if t.text[:1].islower() and is_content(t) and len(t.text) > 3]
    if not words:
        return 0.0, ""
    loaded, neutral = _verb_vectors()
    vectors = static_vectors([t.lower for t in words])
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    margin = (vectors @ loaded.T).max(axis=1) - (vectors @ neutral.T).max(axis=1)
    best = int(np.argmax(margin))
    return max(0.0, float(margin[best])), words[best].text


def _region_said(alignment: Alignment, first: int, last: int) -> list[int]:
    source = alignment.source
    return [j for j in range(first, last) if source.says(alignment.tokens[j])]


def class_positions(tokens: list[Token], text: str) -> dict[str, list[int]]:
    """Positions of the listed words of each soft class (what its direction is fitted on)."""
    lowers = [t.lower for t in tokens]
    return {
        "hedge": hedge_positions(lowers, [t.text for t in tokens]),
        "condition": condition_positions(tokens, text),
        "negation": negation_positions(lowers),
        "universal": universal_positions(tokens),
        "partial": partial_positions(lowers),
    }


def _soft(
    alignment: Alignment, first: int, last: int, directions: dict[str, np.ndarray]
) -> tuple[dict[str, float], dict[str, str]]:
    """Per class: the source region's strongest word of the class minus the unit's; and,
    per change kind, the word that carries the larger side (for the explanation)."""
    said = np.vstack([alignment.source.passages[i].states for i in alignment.sentences])
    region, unit = said[first:last], alignment.passage.states
    values, words = {}, {}
    for name in SOFT_CLASSES:
        d = directions[name]
        if not len(region) or not len(unit):
            values[f"{name}_soft"] = 0.0
            continue
        source, written = region @ d, unit @ d
        gap = float(written.max() - source.max())
        if name != "universal":
            gap = -gap
        values[f"{name}_soft"] = max(0.0, gap)
        if gap > 0:
            if name == "universal":
                word = f"„{alignment.passage.tokens[int(written.argmax())].text}“"
            else:
                word = f"'{alignment.tokens[first + int(source.argmax())].text}'"
            words.setdefault(FEATURE_KINDS[f"{name}_soft"] or name, word)
    return values, words


def features(
    alignment: Alignment,
    accepted: bool,
    article: ArticleView,
    directions: dict[str, np.ndarray],
) -> Row:
    """The evidence of one unit against its (accepted or best rejected) alignment."""
    unit_tokens = alignment.passage.tokens
    tokens = alignment.tokens
    content = [k for k, t in enumerate(unit_tokens) if is_content(t)]
    first, last = governed_region(alignment)
    s_first, s_last = alignment.region_sentences()
    said = _region_said(alignment, s_first, s_last)
    partners = mutual_partners(alignment.word_sims, content, said)
    supported = {k for k, (_, sim) in partners.items() if sim >= 0.5}
    rendered = {j for j, sim in partners.values() if sim >= LINKED}
    unsupported = [k for k in content if k not in supported]
    weak = [k for k in content if alignment.sims[k] < LINKED]
    after = [j for j in said if j >= last]
    evidence: dict[str, str] = {}
    if unsupported:
        evidence["content_added"] = " ".join(unit_tokens[k].text for k in unsupported)
    dropped = [j for j in said if j not in rendered]
    if dropped:
        evidence["quote_cut"] = " ".join(tokens[j].text for j in dropped)

    outlet = article.outlet_tokens(alignment)
    loaded, word = _frame_loaded(
        [t for t in outlet if not alignment.unit.start <= t.start < alignment.unit.end]
    )
    if word:
        evidence["speech_act_reframed"] = german([word])
    same = alignment.same_speaker()
    if same is False and speaks_for(alignment):
        same = True  # the article names the institution its spokesperson speaks for
    if same is False:
        evidence["misattribution"] = alignment.source_speaker() or ""
    soft, words = _soft(alignment, first, last, directions)
    evidence.update(words)
    values = {
        "bias": 1.0,
        "accepted": float(accepted),
        "coverage": alignment.coverage,
        "similarity": alignment.similarity,
        "other_speaker": float(same is False),
        "unknown_speaker": float(same is None),
        "unsupported_share": len(unsupported) / max(1, len(content)),
        "unsupported_many": min(len(unsupported), 5) / 5,
        "weak_share": len(weak) / max(1, len(content)),
        "dropped_share": len(dropped) / max(1, len(said)),
        "dropped_after": sum(j not in rendered for j in after) / max(1, len(said)),
        "frame_loaded": loaded,
        **soft,
    }
    return Row(alignment, accepted, [values[f] for f in FEATURES], evidence)


def rows(
    article: ArticleView,
    alignments: Sequence[Alignment],
    unmatched: Sequence[Alignment],
    directions: dict[str, np.ndarray],
) -> list[Row]:
    """Rows of the accepted alignments, and of the units no passage renders whose speaker
    speaks in the source (``attribution.speaks_in_source``)."""
    return [features(a, True, article, directions) for a in alignments] + [
        features(a, False, article, directions)
        for a in unmatched
        if a.unit.speaker and speaks_in_source(a)
    ]


def _kind(model: CompareModel, row: Row) -> str:
    """The kind whose features add most to the row's score."""
    gain: dict[str, float] = {}
    for name, weight, value in zip(FEATURES, model.coef, row.values, strict=True):
        kind = FEATURE_KINDS[name]
        if kind is not None:
            gain[kind] = gain.get(kind, 0.0) + weight * value
    return max(gain, key=lambda k: gain[k])


_EXPLAIN = {
    "hedge_strengthened": "the source hedges it ({})",
    "condition_dropped": "the source states it under a condition ({})",
    "negation_flipped": "the negation differs (source: {})",
    "scope_widened": "the scope differs ({})",
    "speech_act_reframed": "the outlet's word for the statement ({}) judges what was said",
    "content_added": "words of it have no counterpart in the source ({})",
    "quote_cut": "the source goes on with words the article leaves out ({})",
    "misattribution": "in the source these words are said by {}",
}


def _span(row: Row, kind: str) -> tuple[int, int]:
    unit = row.alignment.unit
    if kind == "misattribution" and unit.speaker_span:
        return unit.speaker_span
    return unit.start, unit.end


def _too_short(alignment: Alignment) -> bool:
    """Whether a unit no passage renders has fewer content words than the rules ask of a
    statement (``MIN_UNSOURCED``): a cut-off label ("Als Grund" of "Als Grund nannte sie
    ...") says too little to differ from anything."""
    return sum(map(is_content, alignment.passage.tokens)) < MIN_UNSOURCED


def _left_to_others(article: ArticleView, alignment: Alignment) -> bool:
    """Whether the source words of the region's sentences that the unit leaves out are
    retold by other units of the article: what one quote leaves out, the next may say, as
    the rules read it (``ArticleView.retold``)."""
    first, last = alignment.region_sentences()
    kept = rendered(alignment, first, last)
    dropped = [t for j, t in enumerate(alignment.tokens[first:last], first) if j not in kept]
    return article.retold(alignment, dropped)


def detect(
    article: ArticleView,
    alignments: Sequence[Alignment],
    unmatched: Sequence[Alignment],
    found: Sequence[Change],
    model: CompareModel | None = None,
) -> list[Change]:
    """Learned findings on units where the rules found none."""
    model = model or load()
    if tuple(model.features) != FEATURES:
        from newsaudit.errors import ModelError

        raise ModelError("the compare model is for other features; run `newsaudit train compare`")
    taken = [c.alignment.unit for c in found]
    out = []
    directions = {k: np.asarray(v, dtype=np.float32) for k, v in model.directions.items()}
    for row in rows(article, alignments, unmatched, directions):
        unit = row.alignment.unit
        if any(
            u.sentence_start < unit.sentence_end and unit.sentence_start < u.sentence_end
            for u in taken
        ):
            continue
        if not row.accepted and _too_short(row.alignment):
            continue
        p = model.probability(row.values)
        threshold = model.accept if row.accepted else model.unmatched
        if p < threshold:
            continue
        kind = _kind(model, row)
        if kind == "misattribution" and (asked(row.alignment) or speaks_for(row.alignment)):
            continue
        if kind == "quote_cut" and _left_to_others(article, row.alignment):
            continue
        first, last = clause_region(row.alignment)
        why = _EXPLAIN[kind].format(row.evidence.get(kind, "?"))
        out.append(
            Change(
                kind,
                _span(row, kind),
                token_span(row.alignment.tokens, first, last),
                f"Learned comparison ({p:.0%} likely a distortion): {why}.",
                row.alignment,
            )
        )
    return out
