"""Content the source does not contain, and quotes cut so that their meaning changes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsaudit.compare import lexicon as lx
from newsaudit.compare.align import SAME_WORD, Alignment, is_content, renders_clause
from newsaudit.compare.changes.base import (
    COMPLEMENTIZERS,
    ArticleView,
    Change,
    clause_region,
    governed_region,
    next_sentence,
    token_span,
)
from newsaudit.compare.changes.modality import negation_positions
from newsaudit.compare.clauses import LINKED, broken, clauses, mutual_partners
from newsaudit.compare.figures import figures, same_figure
from newsaudit.compare.source import SPEECH_VERBS
from newsaudit.compare.text import Token

# A content word of the unit is supported by a mutual partner among the content words of
# the aligned source clauses at least this similar, or by one that similar to ``LINKED``
# anywhere in what the source's speakers say (a unit may retell a sentence the region
# does not reach). An added stretch has at least ``MIN_ADDED`` content words and none
# supported, while ``MIN_KEPT`` words of the rest are.
SUPPORT = 0.5
MIN_ADDED = 2
MIN_KEPT = 2
# A whole statement is added when this many of its content words, and all but one, have
# no support: a sentence the article puts in the speaker's mouth beside a rendered one.
MIN_WHOLE = 3
# ... or when ``MIN_ADDED`` of its words have no support and none is linked this closely:
# loose links alone (0.6 for "Bande" and "paintings") are words of one topic, not the
# statement retold (a rendered word links at 0.7 and more).
CLOSE = 0.68
# What ends the words a speaker says right after a quote: the sentence, or the quotation.
_SAYING_ENDS = '.!?"“”„«»'


def _loaded(alignment: Alignment) -> Iterator[Change]:
    sentence_lowers = [t.lower for t in alignment.tokens]
    for i, token in enumerate(alignment.passage.tokens):
        stem = next((k for k in lx.LOADED if token.lower.startswith(k)), None)
        if stem is None:
            continue
        support = lx.LOADED[stem]
        if any(w.startswith(s) for w in sentence_lowers for s in support):
            continue
        first, last = clause_region(alignment)
        linked = alignment.linked(i).text
        yield Change(
            "content_added",
            (token.start, token.end),
            token_span(alignment.tokens, first, last),
            f"The article says „{token.text}“; the source says nothing of the kind here "
            f"(its nearest word is '{linked}').",
            alignment,
        )
        return


def _supported(alignment: Alignment, article: ArticleView) -> dict[int, float]:
    """The unit's content words that the source says too: position -> link similarity.

    A loose link (below ``SAME_WORD``) to a source word that another unit of the article
    renders more closely is no support: "Hochbehälter" resembles "abkochen", but the
    article's "abkochen" renders that word; the same word repeated still counts."""
    tokens, source = alignment.passage.tokens, alignment.source

    def owned(start: int, sim: float) -> bool:
        return sim >= SAME_WORD or not article.rendered_by_other(alignment, start, sim)

    rows = [k for k, t in enumerate(tokens) if is_content(t)]
    first, last = governed_region(alignment)  # "Bislang gibt es keinen Hinweis, dass ..."
    said = [j for j in range(first, last) if source.says(alignment.tokens[j])]
    near = mutual_partners(alignment.word_sims, rows, said)
    supported = {
        k: sim
        for k, (j, sim) in near.items()
        if sim >= SUPPORT and owned(alignment.tokens[j].start, sim)
    }
    # the same word is rendered even where its neighbours claim its partner
    same = {alignment.tokens[j].lower for j in said}
    supported |= {k: 1.0 for k in rows if tokens[k].lower in same}
    # a figure the source gives, in another unit ("drei Dezimeter" for "30 centimetres")
    given = figures(alignment.tokens, source.text)
    for figure in figures(tokens, article.text):
        if any(same_figure(figure, other) for other in given):
            supported |= {k: 1.0 for k in range(figure.first, figure.last) if k in rows}
    anywhere = alignment.passage.states @ source.said_states.T
    for k, (j, sim) in mutual_partners(anywhere, rows, range(len(source.said_states))).items():
        if sim >= LINKED and owned(source.said_starts[j], sim):
            supported[k] = max(sim, supported.get(k, 0.0))
    return supported


def _rendered(links: list[float]) -> bool:
    """A clause is the source's when one of its words links strongly or two link at all: a
    lone weak link is a topical word taking a partner no other word claimed ("Eltern" and
    "school" beside "Turnhalle" and "gym")."""
    return len(links) >= 2 or any(sim >= LINKED for sim in links)


def _added(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    """Each stretch of clauses of the unit whose words the source does not say: the words
    they resemble ("Verantwortlichen" and "treasurer", "Spieler" and "gespielt") are the
    partners of other words, or the report's, not the speaker's."""
    tokens = alignment.passage.tokens
    supported = _supported(alignment, article)
    runs: list[list[int]] = [[]]
    reporting: set[int] = set()
    for a, b in whole_clauses(tokens, article.text):
        if _reports(tokens[a:b], alignment):
            reporting |= set(range(a, b))
            runs.append([])
            continue
        content = [k for k in range(a, b) if is_content(tokens[k])]
        if content and not _rendered([supported[k] for k in content if k in supported]):
            runs[-1] += range(a, b)
        elif content:
            runs.append([])
    content = [k for k in range(len(tokens)) if is_content(tokens[k]) and k not in reporting]
    bare = [k for k in content if k not in supported]
    loose = len(bare) >= MIN_ADDED and max(supported.values(), default=0.0) < CLOSE
    whole = loose or (len(bare) >= MIN_WHOLE and len(content) - len(bare) <= 1)
    if whole:
        runs = [list(range(len(tokens)))]  # nothing but a word of it is the source's
    for run in runs:
        content = [k for k in run if is_content(tokens[k])]
        if len(content) < MIN_ADDED or (len(set(supported) - set(run)) < MIN_KEPT and not whole):
            continue
        first, last = clause_region(alignment)
        words = " ".join(tokens[k].text for k in run)
        yield Change(
            "content_added",
            (tokens[run[0]].start, tokens[run[-1]].end),
            token_span(alignment.tokens, first, last),
            f"Nothing in the source says „{words}“: its words have no counterpart in the "
            "aligned passage or elsewhere in what the source's speakers say; the article adds "
            "it to the speaker's words.",
            alignment,
        )


# German "aber" opens a clause after a comma but stands inside one without it ("spielt
# die Inszenierungen aber länger").
_PARTICLE = "aber"


def whole_clauses(tokens: list[Token], text: str) -> list[tuple[int, int]]:
    """Clauses, a particle without a comma before it kept inside its clause: whether the
    source renders a clause is asked of the whole verb phrase."""
    merged: list[tuple[int, int]] = []
    for a, b in clauses(tokens, text):
        if merged and tokens[a].lower == _PARTICLE and not broken(text, tokens[a - 1], tokens[a]):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


_SPEECH_VERB = re.compile(rf"(?:{SPEECH_VERBS})")


def _reports(clause: list[Token], alignment: Alignment) -> bool:
    """Whether a clause of an indirect unit is the outlet's reporting words ("Der Konzern
    hat eingestanden", "sagte sie"): a speech verb or a speech-act label. What they call
    the statement is the speech-act detector's to judge; they add nothing to what was
    said. In a direct quote every word is the speaker's."""
    if alignment.unit.direct:
        return False
    for token in clause:
        if _SPEECH_VERB.fullmatch(token.lower) or any(
            lx.matches_prefix(token.lower, entry["frame"])  # type: ignore[arg-type]
            for entry in lx.SPEECH_ACTS.values()
        ):
            return True
    return False


def detect(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    loaded = list(_loaded(alignment))
    yield from loaded
    words = {c.article for c in loaded}
    yield from (c for c in _added(alignment, article) if c.article not in words)
    cut = list(_cut(alignment, article))
    yield from cut
    if not cut:
        yield from _tail_cut(alignment, article)
    yield from _conceded(alignment)


# A dash between two tokens: the speaker goes on to qualify what came before it.
_DASHES = ("–", "—", " - ")


def _tail_cut(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    """The quote stops where the speaker goes on to qualify or contradict it: after a dash
    or before a limiting phrase in the same sentence ("bleibt erhalten – als
    Gesundheitszentrum ohne Betten", "will save money in the long run"), or before the
    speaker's next sentence that opens with "but" ("But the report also says ..."). Only
    when no unit of the article renders that continuation and the unit itself turns
    against nothing."""
    if _contrasts(alignment, article):
        return
    tokens, text = alignment.tokens, alignment.source.text
    last = alignment.region[1]
    _, sentence_end = _sentence_positions(alignment, last - 1)
    if last < sentence_end:
        gap = text[tokens[last - 1].end : tokens[last].start]
        lowers = [t.lower for t in tokens[last:sentence_end]]
        qualified = any(a == 0 for a, _ in lx.phrase_positions(lowers, lx.QUALIFIERS))
        if any(d in gap for d in _DASHES) or qualified:
            yield from _cut_before(alignment, article, tokens[last:sentence_end])
            return
    following = next_sentence(alignment, last - 1)
    if following and _turns(alignment, following):
        yield from _cut_before(alignment, article, following)


def _turns(alignment: Alignment, following: list[Token]) -> bool:
    """Whether the speaker's next sentence turns against the one before: it opens with
    "but", or, after a direct quote that ends there, it negates ("Bei Kindern wissen wir
    es noch nicht")."""
    lowers = [t.lower for t in following]
    if lx.phrase_positions(lowers[:1], lx.REBUTTAL):
        return True
    return alignment.unit.direct and bool(negation_positions(lowers))


def _cut_before(alignment: Alignment, article: ArticleView, rest: list[Token]) -> Iterator[Change]:
    """A quote_cut for the continuation ``rest`` unless the unit or another unit of the
    article renders it, or it says too little to matter."""
    said = [t for t in rest if alignment.source.says(t)]
    if len(said) < MIN_ADDED or article.retold(alignment, said) or article.goes_on(alignment, said):
        return
    inside = [k for k, t in enumerate(alignment.tokens) if t.start >= rest[0].start]
    if inside and renders_clause(alignment, inside[0], inside[-1] + 1):
        return
    words = " ".join(t.text for t in rest)
    yield Change(
        "quote_cut",
        (alignment.unit.start, alignment.unit.end),
        (alignment.tokens[alignment.region[0]].start, rest[-1].end),
        f"The article stops where the speaker goes on: '{words}'. What follows qualifies or "
        "turns against these words, and the article leaves it out.",
        alignment,
    )


def _conceded(alignment: Alignment) -> Iterator[Change]:
    """The article keeps a concession ("Although exports rose in spring") and drops the
    claim the speaker makes against it in the same sentence."""
    tokens = alignment.tokens
    first, last = clause_region(alignment)
    lowers = [t.lower for t in tokens]
    opens = [a for a, _ in lx.phrase_positions(lowers, lx.CONCESSIVES) if first <= a <= first + 1]
    if not opens or _contrasts(alignment):
        return
    start, end = _sentence_positions(alignment, first)
    rest = [(a, b) for a, b in ((start, first), (last, end)) if b > a]
    rest = [(a, b) for a, b in rest if any(is_content(tokens[k]) for k in range(a, b))]
    if not rest or any(renders_clause(alignment, a, b) for a, b in rest):
        return
    a, b = rest[-1]
    words = " ".join(t.text for t in tokens[a:b])
    yield Change(
        "quote_cut",
        (alignment.unit.start, alignment.unit.end),
        token_span(tokens, min(first, a), max(last, b)),
        f"In the source these words are a concession ('{tokens[opens[0]].text} ...'); the "
        f"article leaves out the claim the speaker makes against it: '{words}'.",
        alignment,
    )


def _sentence_positions(alignment: Alignment, j: int) -> tuple[int, int]:
    """(first, last + 1) positions in ``tokens`` of the chosen sentence that holds ``j``."""
    start = 0
    for i in alignment.sentences:
        end = start + len(alignment.source.passages[i].tokens)
        if j < end:
            return start, end
        start = end
    return start, len(alignment.tokens)


def _cut(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    """Someone else's view, or a denial, around the region in the source, which the article
    drops so the words read as the speaker's own claim."""
    tokens = alignment.tokens
    lowers = [t.lower for t in tokens]
    first, last = alignment.region
    kept = [t.lower for t in article.sentence_tokens(alignment)]
    if lx.phrase_positions(kept, lx.FOREIGN_VIEW + lx.DENIED_FRAME) or any(
        w.startswith(("kritik", "gerücht", "behaupt")) for w in kept
    ):
        return
    frames = [
        (a, b)
        for a, b in lx.phrase_positions(lowers, lx.FOREIGN_VIEW + lx.DENIED_FRAME)
        if b <= first + 1 and _same_sentence(alignment, a, first)
    ]
    frames += _view_frames(alignment)
    if frames:
        a, _ = max(frames)
        words = " ".join(t.text for t in tokens[a:first] if t.start < tokens[first].start)
        yield Change(
            "quote_cut",
            (alignment.unit.start, alignment.unit.end),
            token_span(tokens, a, last),
            f"In the source these words follow '{words}': the speaker reports or rejects a "
            "view, and the article presents it as his or her own claim.",
            alignment,
        )
        return
    after = [
        (a, b) for a, b in lx.phrase_positions(lowers, lx.REBUTTAL) if a >= last and a - last <= 3
    ]
    if after:
        a, b = min(after)
        end = b
        while end < len(tokens) and not any(
            c in alignment.source.text[tokens[end - 1].end : tokens[end].start]
            for c in _SAYING_ENDS
        ):
            end += 1
        if renders_clause(alignment, a, end) or _contrasts(alignment, article):
            return  # the article renders what follows ("verletzt worden sei aber niemand")
        if article.retold(alignment, tokens[a:end]):
            return  # another unit renders it ("Um sicher zu sein, brauche es aber ...")
        words = " ".join(t.text for t in tokens[a:end])
        yield Change(
            "quote_cut",
            (alignment.unit.start, alignment.unit.end),
            token_span(tokens, first, end),
            f"The article leaves out what the speaker says right after these words: '{words}'.",
            alignment,
        )


def _contrasts(alignment: Alignment, article: ArticleView | None = None) -> bool:
    """Whether the unit turns against its own words too ("..., verletzt worden sei aber
    niemand", "Entschieden sei aber noch nichts"): it keeps the rebuttal in some form,
    even where no word of it links to the source's. With the ``article``, the rest of the
    unit's sentence counts too ("..., spielt die Inszenierungen aber länger, sagte X" where
    the unit stops before "spielt")."""
    lowers = alignment.passage.lowers
    if article is not None:
        lowers = lowers + [
            t.lower for t in article.sentence_tokens(alignment) if t.start >= alignment.unit.end
        ]
    return bool(lx.phrase_positions(lowers, lx.REBUTTAL))


def _same_sentence(alignment: Alignment, a: int, b: int) -> bool:
    text = alignment.source.text
    return not any(c in text[alignment.tokens[a].end : alignment.tokens[b].start] for c in ".!?")


def _view_frames(alignment: Alignment) -> list[tuple[int, int]]:
    """(first, last + 1) of a clause before the region in its sentence that reports a
    view: a view verb followed by its complement ("that", a comma), with a subject other
    than the speaker ("Some analysts write that", "Die Opposition behauptet,", "Man hört
    oft,") or the speaker's negation ("I would not say that"). The source's own reporting
    words ("X said that") are no such frame."""
    tokens, text, source = alignment.tokens, alignment.source.text, alignment.source
    first = alignment.region[0]
    found = []
    for v in range(first):
        token = tokens[v]
        if token.lower not in lx.VIEW_VERBS or token.start in source.frame_starts:
            continue
        if not _same_sentence(alignment, v, first):
            continue
        start = v
        while start > 0 and not broken(text, tokens[start - 1], tokens[start]):
            start -= 1
        subject = [t.lower for t in tokens[start:v]]
        if not (_opens_complement(alignment, v) or any(w in lx.OTHERS for w in subject)):
            continue
        own = any(w in lx.FIRST_PERSON for w in subject)
        denied = any(w in lx.NEGATIONS or w.endswith(lx.NEGATION_SUFFIX) for w in subject)
        if not own or denied:
            found.append((start, v + 1))
    return found


def _opens_complement(alignment: Alignment, v: int) -> bool:
    """Whether what follows the verb (at most one adverb on) is its complement clause."""
    tokens, text = alignment.tokens, alignment.source.text
    for k in (v, v + 1):
        if k + 1 >= len(tokens):
            return False
        if tokens[k + 1].lower in COMPLEMENTIZERS or broken(text, tokens[k], tokens[k + 1]):
            return True
    return False
