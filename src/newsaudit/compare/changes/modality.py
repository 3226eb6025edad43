"""Hedges, conditions, negation and scope: the small words that decide what was claimed."""

from __future__ import annotations

from collections.abc import Iterator

from newsaudit.compare import lexicon as lx
from newsaudit.compare.align import Alignment, is_content, rendered, renders_clause
from newsaudit.compare.changes.base import (
    COMPLEMENTIZERS,
    ArticleView,
    Change,
    clause_region,
    german,
    governed_region,
    next_sentence,
    quoted,
    skipped_tokens,
    token_span,
)
from newsaudit.compare.clauses import LINKED, broken, clauses, mutual_partners
from newsaudit.compare.figures import MONTHS, WORDS
from newsaudit.compare.text import Token, tokenize


def hedge_positions(lowers: list[str], texts: list[str] | None = None) -> list[int]:
    """Positions of hedges; with the tokens' ``texts``, "May" inside a sentence is the
    month ("until the end of May"), not the modal, and a verb addressing "Sie" no hedge."""
    found = [
        i
        for i, w in enumerate(lowers)
        if (w in lx.HEDGES or w in lx.OPEN_QUESTION or w.startswith("risik") or _asks_if(lowers, i))
        and not _no_danger(lowers, i)
    ]
    if texts is not None:
        found = [i for i in found if not (i > 0 and texts[i] == "May") and not _addressed(texts, i)]
    found += [a for a, _ in lx.phrase_positions(lowers, lx.HEDGE_PHRASES)]
    return sorted(found)


def _no_danger(lowers: list[str], i: int) -> bool:
    """Whether the word at ``i`` names a danger that a negation just before denies ("is not
    at risk", "besteht keine Gefahr"): a denial, not a hedge."""
    danger = lowers[i] in lx.DANGER or lowers[i].startswith("risik")
    return danger and any(w in lx.NEGATIONS for w in lowers[max(0, i - 2) : i])


def _addressed(texts: list[str], i: int) -> bool:
    """Whether the verb at ``i`` addresses the listener ("Rechnen Sie mit etwa zwanzig
    Minuten mehr", "Glauben Sie mir"): advice or a request, not the speaker's doubt."""
    return texts[i][:1].isupper() and texts[i + 1 : i + 2] == ["Sie"]


def _asks_if(lowers: list[str], i: int) -> bool:
    """ "if" after "know", "see", "decide" ("We do not know if it works") opens an open
    question, as "whether" does."""
    return lowers[i] == "if" and i > 0 and lowers[i - 1] in lx.NOT_CONDITION_BEFORE


def strong_positions(lowers: list[str]) -> list[int]:
    found = [i for i, w in enumerate(lowers) if w in lx.STRONG]
    return sorted(found + [a for a, _ in lx.phrase_positions(lowers, lx.STRONG_PHRASES)])


def condition_positions(tokens: list[Token], text: str) -> list[int]:
    """Tokens that open a condition; "sollte" and "should" only first in their clause (V1:
    "Sollte ...,", "Should the price stay low, we will")."""
    lowers = [t.lower for t in tokens]
    found = []
    for i, w in enumerate(lowers):
        if w not in lx.CONDITIONS and w != "should":
            continue
        if i > 0 and lowers[i - 1] in lx.NOT_CONDITION_BEFORE:
            continue
        if w == "should" and "?" in text[tokens[i].end : _clause_end(tokens, text, i)]:
            continue  # "Should we raise taxes?" asks
        if w.startswith("sollte") or w == "should":
            before = text[tokens[i - 1].end : tokens[i].start] if i > 0 else ","
            if i > 0 and not any(c in before for c in ",;:.–—"):
                continue
        found.append(i)
    found += [a for a, _ in lx.phrase_positions(lowers, lx.CONDITION_PHRASES)]
    return sorted(found)


# A German conditional without a conjunction opens with its finite verb and a subject
# ("Bleibt es trocken, sperren wir ..."), and its main clause after the comma opens with a
# verb and a subject too ("sperren wir") or with "dann"/"so". Words that open a sentence
# that way and are no verb: prepositions, adverbs, conjunctions.
V1_SUBJECTS = lx.words("es das der die den dem ein eine einer man wir sie er ich ihr du")
V1_NOT_VERB = lx.words(
    """
    ab an auf aus bei bis durch für gegen hinter in im am zum zur laut mit nach neben ohne
    seit statt trotz über um unter von vor während wegen zu zwischen dann so da hier heute
    morgen jetzt nun deshalb daher darum trotzdem außerdem zudem zunächst später danach
    gestern bisher bislang damals erst auch noch nur und aber oder denn doch ja nein
    """
)


def v1_condition_positions(tokens: list[Token], text: str) -> list[int]:
    """Verbs that open a German conditional clause without a conjunction: first in their
    sentence or quotation, a subject after them, their clause ending at a comma before a
    main clause that opens with a verb and a subject or "dann"/"so"; no question."""
    found = []
    for i in range(len(tokens) - 3):
        before = text[tokens[i - 1].end : tokens[i].start] if i > 0 else "."
        if not any(c in before for c in '.!?:"„“«»') or tokens[i].lower in V1_NOT_VERB:
            continue
        if tokens[i + 1].lower not in V1_SUBJECTS or not tokens[i].text[:1].isupper():
            continue
        if _breaks(text, tokens[i], tokens[i + 1]):
            continue  # "Landwirte, die eine Genehmigung haben, ...": a noun and its clause
        end = i + 1
        while end < len(tokens) and not _breaks(text, tokens[end - 1], tokens[end]):
            end += 1
        if end + 1 >= len(tokens) or "," not in text[tokens[end - 1].end : tokens[end].start]:
            continue
        if "?" in text[tokens[i].start : _sentence_end(tokens, text, end)]:
            continue
        opener, second = tokens[end].lower, tokens[end + 1].lower
        # a lower-case opener that is no subject is a verb ("Stimmt er zu, bekommen alle")
        verb = tokens[end].text.islower() and opener not in V1_SUBJECTS
        if opener in {"dann", "so"} or (
            opener not in V1_NOT_VERB and (second in V1_SUBJECTS or verb)
        ):
            found.append(i)
    return found


def _sentence_end(tokens: list[Token], text: str, i: int) -> int:
    """Character offset where the sentence of ``tokens[i]`` ends."""
    for k in range(i + 1, len(tokens)):
        if any(c in text[tokens[k - 1].end : tokens[k].start] for c in ".!?"):
            return tokens[k].start
    return len(text)


def _clause_end(tokens: list[Token], text: str, i: int) -> int:
    """Character offset where the clause of ``tokens[i]`` ends (its first break)."""
    end = i + 1
    while end < len(tokens) and not _breaks(text, tokens[end - 1], tokens[end]):
        end += 1
    return tokens[end].start if end < len(tokens) else len(text)


def negation_positions(lowers: list[str]) -> list[int]:
    """Negation words, negating conditions ("unless") and verbs that negate what they
    govern ("decided against paying", "verzichtet auf")."""
    found = [
        i
        for i, w in enumerate(lowers)
        if w in lx.NEGATIONS or w in lx.NEGATING_VERBS or w.endswith(lx.NEGATION_SUFFIX)
    ]
    phrases = lx.NEGATING_CONDITIONS + lx.NEGATING_PHRASES
    return sorted(set(found) | {a for a, _ in lx.phrase_positions(lowers, phrases)})


def universal_positions(tokens: list[Token]) -> list[int]:
    lowers = [t.lower for t in tokens]
    fixed = {i for a, b in lx.phrase_positions(lowers, lx.NOT_UNIVERSAL) for i in range(a, b)}
    found = []
    for i, w in enumerate(lowers):
        if w not in lx.UNIVERSALS or i in fixed:
            continue
        # "in ganz Deutschland", not the adverb "ganz klar"
        if w == "ganz" and (i + 1 >= len(tokens) or not tokens[i + 1].text[:1].isupper()):
            continue
        found.append(i)
    return found


def detect(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    """Hedges, negation and scope; a sentence outside every unit is not read for its
    negations: the outlet words a sentence of its own loosely, and its count of negations
    is no evidence ("Für Kinder ändert sich nichts" for "Children pay the same")."""
    yield from _hedge(alignment, article)
    if alignment.unit.origin in ("quote", "claim"):
        yield from _negation(alignment, article)
    yield from _scope(alignment, article)


def _unit_span(alignment: Alignment) -> tuple[int, int]:
    return alignment.unit.start, alignment.unit.end


def _hedge(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    first, last = governed_region(alignment)
    region = alignment.tokens[first:last]
    lowers = [t.lower for t in region]
    sentence = [t.lower for t in article.sentence_tokens(alignment)]
    said = _rendered_sentences(alignment)
    hedges = [
        region[i].text
        for i in hedge_positions(lowers, [t.text for t in region])
        if _sentence_of(alignment, first + i) in said
        and not _no_doubt(lowers, i)
        and not _hedge_next_to(article, alignment, first + i)
    ]
    source_span = token_span(alignment.tokens, first, last)
    if hedges and not hedge_positions(sentence) and not _believes(sentence):
        strong = [
            alignment.passage.tokens[i].text for i in strong_positions(alignment.passage.lowers)
        ]
        tail = f", and even as certain ({german(strong)})" if strong else ""
        yield Change(
            "hedge_strengthened",
            _unit_span(alignment),
            source_span,
            f"The source hedges this ({quoted(hedges)}); the article states it without any "
            f"hedge{tail}.",
            alignment,
        )
        return
    open_question = [
        region[i].text
        for i, w in enumerate(lowers)
        if (w in lx.OPEN_QUESTION or _asks_if(lowers, i))
        and _sentence_of(alignment, first + i) in said
    ]
    kept_open = any(w in lx.OPEN_QUESTION for w in sentence) or any(
        sentence[i] not in lx.ABILITY for i in hedge_positions(sentence)
    )
    if open_question and not kept_open:
        yield Change(
            "hedge_strengthened",
            _unit_span(alignment),
            source_span,
            f"The source leaves this open ({quoted(open_question)} ...); the article states "
            "it as settled.",
            alignment,
        )
        return
    should = [region[i].text for i, w in enumerate(lowers) if w in lx.SHOULD]
    musts = [
        t.text for t in alignment.passage.tokens if t.lower in {"muss", "müsse", "müssen", "must"}
    ]
    expecting = any(w in lx.EXPECTING for w in sentence)
    if should and musts and not expecting and not any(w in lx.SHOULD for w in sentence):
        yield Change(
            "hedge_strengthened",
            _unit_span(alignment),
            source_span,
            f"The source says {quoted(should)} (a recommendation); the article makes it an "
            f"obligation ({german(musts)}).",
            alignment,
        )


def _no_doubt(lowers: list[str], i: int) -> bool:
    """Whether the hedge word at ``i`` states a fact, not a doubt: "Möglich wird das durch
    neue Bahnen" (made possible), "beantragt, eine Variante prüfen zu lassen" (what is
    asked for, not a pending decision), "Dazu können wir nichts sagen" (a refusal; but
    "ausschließen kann ich sie nicht" keeps its doubt)."""
    w, near = lowers[i], lowers[max(0, i - 1) : i + 2]
    if w in lx.POSSIBLE and any(v in lx.MADE for v in near):
        return True
    if w.startswith("prüf") and (lowers[i + 1 : i + 2] in (["zu"], ["lassen"]) or near[0] == "zu"):
        return True
    if w in lx.ABILITY:
        window = lowers[max(0, i - 3) : i + 5]
        negated = any(v in lx.NEGATIONS for v in lowers[i + 1 : i + 4])
        return negated and not any(v.startswith(lx.RULED_OUT) for v in window)
    return False


def _believes(lowers: list[str]) -> bool:
    """Whether the article's sentence gives its claim as a belief by "halten ... für" ("halte
    sein Team den Kraken für neu" for "we think it is new"), a hedge of two words apart."""
    return any(w in lx.HOLD_FOR and "für" in lowers[i + 1 : i + 9] for i, w in enumerate(lowers))


def _sentence_of(alignment: Alignment, j: int) -> int:
    """Which of the alignment's chosen sentences holds ``tokens[j]``."""
    end = 0
    for k, i in enumerate(alignment.sentences):
        end += len(alignment.source.passages[i].tokens)
        if j < end:
            return k
    return len(alignment.sentences) - 1


def _hedge_next_to(article: ArticleView, alignment: Alignment, j: int) -> bool:
    """Whether the article's sentence before or after the unit's keeps the hedge at
    ``tokens[j]``: it hedges too and says its clause, by the same words (a name, or two
    words) or by a unit that renders half of the clause's words ("Danach könne weitergebaut
    werden." after the unit, for "Danach kann weitergebaut werden")."""
    tokens, text = alignment.tokens, alignment.source.text
    start, end = j, j + 1
    while start > 0 and not _breaks(text, tokens[start - 1], tokens[start]):
        start -= 1
    while end < len(tokens) and not _breaks(text, tokens[end - 1], tokens[end]):
        end += 1
    clause = [t for t in tokens[start:end] if alignment.source.says(t)]
    named = {t.lower for t in clause if t.text[:1].isupper() or t.text[:1].isdigit()}
    words = {t.lower for t in clause}
    for near in (
        _previous_article_sentence(article, alignment),
        _next_article_sentence(article, alignment),
    ):
        if not near or not hedge_positions([t.lower for t in near], [t.text for t in near]):
            continue
        shared = {t.lower for t in near} & words
        if shared & named or len(shared) >= 2:
            return True
        if article.rendered_in(alignment, clause, near):
            return True
    return False


def _rendered_sentences(alignment: Alignment) -> set[int]:
    """The chosen sentences the unit renders words of: a hedge in the other one of a pair
    ("We expect 1.2 million. | That would be as many as ...") is not the unit's."""
    if len(alignment.sentences) == 1:
        return {0}
    words = rendered(alignment, 0, len(alignment.tokens))
    return {_sentence_of(alignment, j) for j in words} or set(range(len(alignment.sentences)))


def condition_changes(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    """A condition in the source sentence of the region that the article's sentence lacks:
    the sentence where the region starts, or the one where it ends past the condition's
    clause (a region that also takes in a heading before the conditioned sentence)."""
    tokens, text = alignment.tokens, alignment.source.text
    first, last = clause_region(alignment)
    sentence = article.sentence_tokens(alignment)
    if condition_positions(sentence, article.text) or v1_condition_positions(
        sentence, article.text
    ):
        return
    region_start, region_end = token_span(tokens, first, last)
    opening = sorted(
        set(condition_positions(tokens, text)) | set(v1_condition_positions(tokens, text))
    )
    for i in opening:
        sentence_of = _sentence_bounds(alignment, tokens[i].start)
        end = i + 1
        while end < len(tokens) and not _breaks(text, tokens[end - 1], tokens[end]):
            end += 1
        starts_in = sentence_of[0] <= region_start < sentence_of[1]
        ends_past = end < last and sentence_of[0] < region_end <= sentence_of[1]
        if not (starts_in or ends_past):
            continue
        if renders_clause(alignment, i + 1, end):
            continue  # the article renders the condition in other words ("bei Regen")
        if _condition_next_to(article, alignment, tokens[i + 1 : end]):
            continue
        words = " ".join(t.text for t in tokens[i:end])
        yield Change(
            "condition_dropped",
            _unit_span(alignment),
            token_span(tokens, i, end),
            f"In the source this holds only under a condition ('{words}'); the article "
            "leaves the condition out.",
            alignment,
        )
        return
    yield from _condition_after(alignment, article, last)


# How far into the next sentence a condition that looks back may open ("But that assumes").
_CONDITION_AFTER_REACH = 2


def _condition_after(alignment: Alignment, article: ArticleView, last: int) -> Iterator[Change]:
    """The speaker's next sentence makes the statement conditional ("That assumes the
    geologists find no more water", "Das setzt voraus, dass ...") and no unit of the
    article renders it."""
    following = next_sentence(alignment, last - 1)
    lowers = [t.lower for t in following]
    opens = [
        a for a, _ in lx.phrase_positions(lowers, lx.CONDITION_AFTER) if a <= _CONDITION_AFTER_REACH
    ]
    if not opens or article.retold(alignment, following):
        return
    after = _next_article_sentence(article, alignment)
    if lx.phrase_positions([t.lower for t in after], lx.CONDITION_AFTER) or condition_positions(
        after, article.text
    ):
        return  # the article goes on with the condition too ("Das setze voraus, ...")
    words = " ".join(t.text for t in following)
    yield Change(
        "condition_dropped",
        _unit_span(alignment),
        (following[0].start, following[-1].end),
        f"In the source the speaker goes on to make this conditional ('{words}'); the "
        "article leaves the condition out.",
        alignment,
    )


def _condition_next_to(article: ArticleView, alignment: Alignment, clause: list[Token]) -> bool:
    """Whether the article's sentence before or after the unit's states a condition that
    names what the source's condition names (a name, a number or the same word): "...,
    vorausgesetzt, der Korridor durch Haskel bleibt offen" one sentence on renders
    "provided the corridor through Haskel remains open"."""
    named = {
        t.lower for t in clause if is_content(t) and (t.text[:1].isupper() or t.text[:1].isdigit())
    }
    words = {t.lower for t in clause if is_content(t)}
    for near in (
        _previous_article_sentence(article, alignment),
        _next_article_sentence(article, alignment),
    ):
        lowers = [t.lower for t in near]
        opens = (
            condition_positions(near, article.text)
            or v1_condition_positions(near, article.text)
            or lx.phrase_positions(lowers, lx.CONDITION_AFTER)
        )
        shared = set(lowers) & words
        if opens and (shared & named or len(shared) >= 2):
            return True
        if opens and article.rendered_in(alignment, clause, near, outlet=True):
            return True
    return False


def _previous_article_sentence(article: ArticleView, alignment: Alignment) -> list[Token]:
    """Tokens of the article's sentence before the unit's sentences."""
    text, end = article.text, alignment.unit.sentence_start
    stop = len(text[:end].rstrip()) - 1  # the full stop that ends it
    starts = [text.rfind(c, 0, max(0, stop)) for c in ".!?"]
    return tokenize(text, max(starts, default=-1) + 1, end)


def _next_article_sentence(article: ArticleView, alignment: Alignment) -> list[Token]:
    """Tokens of the article's sentence after the unit's sentences."""
    text, start = article.text, alignment.unit.sentence_end
    ends = [i for i in (text.find(c, start + 1) for c in ".!?") if i >= 0]
    return tokenize(text, start, min(ends, default=len(text)))


def _breaks(text: str, a: Token, b: Token) -> bool:
    return any(c in text[a.end : b.start] for c in ",;:.!?–—")


def _sentence_bounds(alignment: Alignment, offset: int) -> tuple[int, int]:
    for i in alignment.sentences:
        sentence = alignment.source.sentences[i]
        if sentence.start <= offset < sentence.end:
            return sentence.start, sentence.end
    return offset, offset


def _negation(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    # the governing clause counts: "Bislang gibt es keinen Hinweis darauf, dass ..."
    first, last = governed_region(alignment)
    first = _negated_before(alignment, first)
    region = alignment.tokens[first:last]
    source_neg = [region[i] for i in _plain_negations([t.lower for t in region])]
    skipped = skipped_tokens(alignment)
    source_neg += [skipped[i] for i in _plain_negations([t.lower for t in skipped])]
    cue = _governing_tokens(alignment, article)
    # no clause linked strongly ("Verletzt wurde niemand" for "Nobody was injured"): the
    # accepted unit as a whole renders the region
    # a clause of function words only ("es sei denn", "aber niemand") cannot be aligned:
    # read with the clause before it or alone, whichever matches the source
    article_neg: list[Token] = []
    for attach in (False, True):
        rendering = _rendering(alignment, first, last, article, attach)
        kept = (rendering or alignment.passage.tokens) + cue
        article_neg = [kept[i] for i in _plain_negations([t.lower for t in kept])]
        if len(source_neg) % 2 == len(article_neg) % 2:
            return
    if _prefix_negated(alignment, first, last):
        return
    if source_neg:
        explanation = (
            f"The source negates this ({quoted([t.text for t in source_neg])}); the article "
            "states the opposite, without the negation."
        )
    else:
        explanation = (
            f"The article negates this ({german([t.text for t in article_neg])}); the source "
            "makes no such negation."
        )
    yield Change(
        "negation_flipped",
        _unit_span(alignment),
        token_span(alignment.tokens, first, last),
        explanation,
        alignment,
    )


def _negated_before(alignment: Alignment, first: int) -> int:
    """Where the negated stretch starts: a clause of function words with a negation right
    before the region negates it ("... entschieden hat – nicht etwa, | weil wir unzufrieden
    wären")."""
    tokens, text = alignment.tokens, alignment.source.text
    if first == 0 or not broken(text, tokens[first - 1], tokens[first]):
        return first
    start = first - 1
    while start > 0 and not broken(text, tokens[start - 1], tokens[start]):
        start -= 1
    clause = tokens[start:first]
    if any(is_content(t) for t in clause) or not _plain_negations([t.lower for t in clause]):
        return first
    return start


def _governing_tokens(alignment: Alignment, article: ArticleView) -> list[Token]:
    """The outlet's words around the unit in its sentence that may negate it ("Sie
    bestritt, dass ..."), up to a semicolon: after one, the outlet states something else
    ("Sie erwarte, dass die Kosten sinken; an der Prognose ändere das aber nichts")."""
    unit, text = alignment.unit, article.text
    start = max(unit.sentence_start, text.rfind(";", unit.sentence_start, unit.start) + 1)
    end = text.find(";", unit.end, unit.sentence_end)
    end = unit.sentence_end if end < 0 else end
    return [
        t
        for t in article.outlet_tokens(alignment)
        if start <= t.start < end and not unit.start <= t.start < unit.end
    ]


# Prefixes that negate an adjective ("unzufrieden", "unclear", "impossible"), and words
# that start with them but negate nothing.
NEGATING_PREFIXES = ("un", "in", "im", "ir", "il", "dis")
NOT_PREFIXED = ("und", "uns", "unter", "union", "unit", "univers", "unbedingt", "ungefähr")
# How far after a negation the adjective it negates may stand ("not very happy").
_NEGATED_REACH = 3


def _prefixed(word: str) -> bool:
    return (
        word.startswith(NEGATING_PREFIXES) and len(word) > 5 and not word.startswith(NOT_PREFIXED)
    )


def _prefix_negated(alignment: Alignment, first: int, last: int) -> bool:
    """Whether one side says with a prefix what the other says with a negation: "I am not
    happy" rendered "Sie sei unzufrieden", "unclear" as "nicht klar". The prefixed word
    is linked to a word at most ``_NEGATED_REACH`` after the other side's negation."""
    unit, tokens = alignment.passage.tokens, alignment.tokens
    source_lowers = [t.lower for t in tokens]
    negated = {
        j
        for i in _plain_negations(source_lowers)
        if first <= i < last
        for j in range(i + 1, min(len(tokens), i + 1 + _NEGATED_REACH))
    }
    unit_lowers = [t.lower for t in unit]
    for k, w in enumerate(unit_lowers):
        partner = source_lowers[alignment.links[k]]
        if _prefixed(w) and alignment.links[k] in negated and not _prefixed(partner):
            return True  # "unzufrieden" for "not happy", not "ungeklärtes" for "untreated"
    for i in _plain_negations(unit_lowers):
        for k in range(i + 1, min(len(unit), i + 1 + _NEGATED_REACH)):
            partner = source_lowers[alignment.links[k]]
            if is_content(unit[k]) and _prefixed(partner) and not _prefixed(unit_lowers[k]):
                return True
    return False


def _plain_negations(lowers: list[str]) -> list[int]:
    """Negations that negate: the "nicht" of a hedge ("nicht ausgeschlossen", "cannot rule
    out") says "possibly", and "Möglicherweise" renders it without one."""
    hedged = {i for a, b in lx.phrase_positions(lowers, lx.HEDGE_PHRASES) for i in range(a, b)}
    return [
        i
        for i in negation_positions(lowers)
        if i not in hedged and not _rules_out(lowers, i) and not _litotes(lowers, i)
    ]


def _litotes(lowers: list[str], i: int) -> bool:
    """Whether the negation at ``i`` cancels a negating prefix ("nicht unwahrscheinlich",
    "not unlikely"): the two say "possibly", as "durchaus möglich" does without either; or
    a verb of concealing ("Ich will nicht verschweigen, dass ...", "I won't hide that"),
    which says what follows openly."""
    return lowers[i] in _LITOTES_NOT and any(
        (w.startswith("un") and _prefixed(w)) or w in lx.CONCEAL for w in lowers[i + 1 : i + 3]
    )


# The negations a litotes opens with ("not unlikely", not "nobody injured").
_LITOTES_NOT = frozenset("nicht not n't".split())


def _rules_out(lowers: list[str], i: int) -> bool:
    """Whether the negation at ``i`` is one of "nicht ausschließen" or "not rule out" (a
    word or two between: "cannot be ruled out", "nicht völlig auszuschließen"; or the verb
    first, the negation last: "ganz ausschließen kann ich sie heute aber nicht")."""
    after = lowers[i + 1 : i + 4]
    if lowers[i] in _LITOTES_NOT and any(
        w.startswith(lx.RULED_OUT) for w in lowers[max(0, i - 6) : i]
    ):
        return True
    return any(w.startswith(lx.RULED_OUT) for w in after) or any(
        w in {"rule", "ruled"} and after[k + 1 : k + 2] == ["out"] for k, w in enumerate(after)
    )


def _rendering(
    alignment: Alignment, first: int, last: int, article: ArticleView, attach: bool
) -> list[Token]:
    """The unit's tokens in those of its clauses that render the source clause region: a
    unit spanning two sentences may render a second source sentence with a negation of
    its own. With ``attach``, a clause of function words only ("es sei denn", "aber noch
    nichts") goes with the clause before it; else it is left out. The clause that governs
    a kept "dass" clause is kept too, as on the source side ("deutet bislang nichts darauf
    hin, | dass ...")."""
    tokens = alignment.passage.tokens
    parts = clauses(tokens, article.text)
    keep = [False] * len(parts)
    keeping = False
    for n, (a, b) in enumerate(parts):
        if any(is_content(tokens[k]) for k in range(a, b)):
            keeping = any(
                is_content(tokens[k])
                and first <= alignment.links[k] < last
                and alignment.sims[k] >= LINKED
                for k in range(a, b)
            )
        elif not attach:
            continue
        keep[n] = keeping
    for n, (a, _) in enumerate(parts):
        if n > 0 and keep[n] and tokens[a].lower in COMPLEMENTIZERS:
            keep[n - 1] = True
    return [t for (a, b), kept in zip(parts, keep, strict=True) if kept for t in tokens[a:b]]


def _scope(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    unit = alignment.passage.tokens
    found = universal_positions(unit)
    if not found:
        dropped = list(_quantifier_dropped(alignment, article))
        yield from dropped or _restriction_dropped(alignment, article)
        return
    first, last = clause_region(alignment)
    if universal_positions(alignment.tokens) or any(t.lower in lx.WHOLLY for t in alignment.tokens):
        return
    i = found[0]
    end = i + 1
    while end < len(unit) and end - i <= 3 and not unit[end - 1].text[:1].isupper():
        end += 1
    words = [unit[k].text for k in found]
    region = " ".join(t.text for t in alignment.tokens[first:last])
    yield Change(
        "scope_widened",
        (unit[i].start, unit[end - 1].end),
        token_span(alignment.tokens, first, last),
        f"The article says {german(words)} (all, everywhere); the source speaks only of "
        f"'{region}'.",
        alignment,
    )


def _restriction_dropped(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    """ "Only in the north" or "nur an zwei Schulen" retold without any restricting word:
    the source limits the statement, the article does not ("not only" limits nothing)."""
    first, last = clause_region(alignment)
    lowers = [t.lower for t in alignment.tokens]
    said = _rendered_sentences(alignment)
    limits = [
        i
        for i in range(first, last)
        if lowers[i] in lx.RESTRICTIVES
        and not (i > 0 and lowers[i - 1] in lx.NEGATIONS)
        and _sentence_of(alignment, i) in said
    ]
    sentence = [t.lower for t in article.sentence_tokens(alignment)]
    if not limits or any(w in lx.RESTRICTIVES or w.startswith(lx.SOLE) for w in sentence):
        return
    words = [alignment.tokens[i].text for i in limits]
    yield Change(
        "scope_widened",
        _unit_span(alignment),
        token_span(alignment.tokens, first, last),
        f"The source limits this ({quoted(words)}); the article states it without the limit.",
        alignment,
    )


def partial_positions(lowers: list[str]) -> list[int]:
    found = [i for i, w in enumerate(lowers) if w in lx.PARTIAL]
    return sorted(found + [a for a, _ in lx.phrase_positions(lowers, lx.PARTIAL_PHRASES)])


def _counts(token: Token) -> bool:
    """A cardinal of two or more ("3", "drei"): like "some", it limits a group to part."""
    return token.text.isdigit() or WORDS.get(token.lower, 0) >= 2


def _limiting_positions(tokens: list[Token]) -> list[int]:
    """Quantifiers and cardinals that limit a group ("einige Schulen", "drei Schulen"); a
    cardinal after a determiner counts a group already known ("the two boats"), one
    before a month is a date."""
    counted = [
        i
        for i, t in enumerate(tokens)
        if _counts(t)
        and not (i > 0 and tokens[i - 1].lower in lx.DETERMINED)
        and not (i + 1 < len(tokens) and tokens[i + 1].lower in MONTHS)
    ]
    return sorted(set(partial_positions([t.lower for t in tokens])) | set(counted))


def _quantifier_dropped(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    """ "Einige Eltern" or "drei Schulen" retold as "Die Eltern", "den Schulen": the source
    limits the group, the article renders the group's noun with a definite article and no
    quantifier or number anywhere. The words of the sentence right before the unit count
    too: the unit may start after "An den" ("An den Grundschulen der Stadt fällt ...")."""
    lead = [t for t in article.sentence_tokens(alignment) if t.end <= alignment.unit.start][-2:]
    unit, tokens = lead + alignment.passage.tokens, alignment.tokens
    lowers = [t.lower for t in unit]
    if partial_positions(lowers) or any(_counts(t) or t.lower in lx.FRACTIONS for t in unit):
        return  # "Über die Hälfte der Stücke" for "140 Objekte": a part, counted otherwise
    first, last = clause_region(alignment)
    partners = {
        j: k + len(lead)
        for k, (j, sim) in mutual_partners(
            alignment.word_sims,
            [k for k, t in enumerate(alignment.passage.tokens) if is_content(t)],
            [j for j, t in enumerate(tokens) if is_content(t)],
        ).items()
        if sim >= LINKED
    }
    for q in _limiting_positions(tokens):
        if not first <= q < last:
            continue
        # the group's noun right after the quantifier (an adjective between, or a known
        # whole: "drei unserer neun Bibliotheken"), rendered by a German noun: "some"
        # alone ("Some claim that") quantifies no group
        reach = q + (5 if q + 1 < len(tokens) and tokens[q + 1].lower in lx.PARTITIVE else 3)
        noun = next((j for j in range(q + 1, min(reach, len(tokens))) if j in partners), None)
        if noun is None or not unit[partners[noun]].text[:1].isupper():
            continue
        k = partners[noun]
        before = lowers[max(0, k - 2) : k]
        if not any(w in lx.DEFINITE for w in before):
            continue
        group = " ".join(t.text for t in tokens[q : noun + 1])
        start = next(i for i in range(max(0, k - 2), k + 1) if i == k or lowers[i] in lx.DEFINITE)
        yield Change(
            "scope_widened",
            (unit[start].start, unit[k].end),
            token_span(tokens, first, last),
            f"The source speaks of '{group}'; the article says „{unit[start].text} "
            f"{unit[k].text}“ without the quantifier, as if it held for the whole group."
            if start < k
            else f"The source speaks of '{group}'; the article drops the quantifier.",
            alignment,
        )
        return
