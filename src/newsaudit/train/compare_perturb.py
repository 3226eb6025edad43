"""Distorted pairs made from faithful ones, by program, to train the learned comparison.

Each perturbation changes one thing a reviewer's distorted pair changes and says where:
on the article side (a negation removed or added, a hedge or condition cut out, a figure
changed, a quantifier widened to "alle", "sagte" replaced by a judging verb, another
statement put in the speaker's mouth), or on the source side under an aligned article
sentence (a condition, hedge or negation added to what was said, a rebuttal appended that
the article then leaves out, the speaker renamed). The judging verbs and templates here are
not those of the hand-written sets, so the model learns the evidence, not the words.
Deterministic for a seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Aligned:
    """A faithful pair's article sentence that renders a source sentence."""

    article_sentence: tuple[int, int]
    source_sentence: tuple[int, int]
    speaker_words: str | None  # the article's words for the speaker (a name in them)


@dataclass(frozen=True)
class Perturbed:
    kind: str
    article: str
    source: str
    distorted: list[str]


_HEDGES = re.compile(
    r"\b(?:möglicherweise|vielleicht|wahrscheinlich|vermutlich|eventuell|womöglich|wohl)\s+"
)
_MODALS = {
    "könnte": "werde",
    "könnten": "würden",
    "dürfte": "werde",
    "dürften": "würden",
    "könne": "werde",
    "könnten wohl": "würden",
}
_CONDITION = re.compile(r"\b(?:[Ww]enn|[Ff]alls|[Ss]ofern|[Vv]orausgesetzt)\b[^,.;]*,\s*")
_NEGATION = re.compile(r"\bnicht\s+|\bkein(?=(?:e|en|em|er|es)?\b)")
_FINITE = re.compile(
    r"\b(?:sei|seien|werde|würden|habe|hätten|könne|müsse|wird|ist|sind|hat|haben)\s"
)
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?(?![\d.,]\d)")
_PARTIAL = re.compile(
    r"\b(?:einige|einzelne|mehrere|manche|wenige|zwei|drei|vier|fünf)\s(?=[A-ZÄÖÜ])"
)
_SAID = re.compile(r"\bsagte\b")
JUDGING_VERBS = (
    "tönte",
    "giftete",
    "beteuerte",
    "lamentierte",
    "keifte",
    "spottete",
    "höhnte",
    "zeterte",
    "verkündete großspurig",
    "klagte bitter",
)
SOURCE_CONDITIONS = {
    "en": ("If the weather allows, ", "Provided the board agrees, ", "Unless costs rise, "),
    "de": ("Wenn das Wetter mitspielt, ", "Falls der Rat zustimmt, ", "Sofern es so bleibt, "),
}
SOURCE_HEDGES = {
    "en": ("Perhaps ", "It is possible that ", "I suspect that "),
    "de": ("Vielleicht gilt: ", "Möglicherweise gilt: ", "Es kann sein, dass gilt: "),
}
SOURCE_REBUTTALS = {
    "en": (
        ", but that is only half the picture, and the costs will be far higher",
        ", but not for long, because the money runs out next year",
        ", although the plan could still fail in court",
    ),
    "de": (
        ", aber das ist nur die halbe Wahrheit, die Kosten werden viel höher sein",
        ", aber nicht lange, weil das Geld im nächsten Jahr ausgeht",
        ", wobei der Plan vor Gericht noch scheitern kann",
    ),
}
SOURCE_NEGATIONS = {
    "en": ((" will ", " will not "), (" is ", " is not "), (" are ", " are not ")),
    "de": ((" wird ", " wird nicht "), (" ist ", " ist nicht "), (" sind ", " sind nicht ")),
}
OTHER_SURNAMES = ("Brenner", "Okafor", "Lindgren", "Castellano", "Wojcik")


def _words_after(text: str, at: int, n: int = 4) -> str:
    """A stretch of ``n`` words from ``at`` (the gold words after an edit)."""
    match = re.match(rf"\s*(?:\S+\s+){{0,{n - 1}}}\S+", text[at:])
    return match.group().strip(" ,.;:") if match else ""


def _once(article: str, words: str) -> bool:
    return bool(words) and article.count(words) == 1


def _article_edits(
    article: str, rng: random.Random, others: list[str], speaker: str | None
) -> Iterator[tuple[str, str, str]]:
    """(kind, new article, gold words) for each article-side edit that applies."""
    if m := _NEGATION.search(article):
        kept = "" if m.group().startswith("nicht") else "ein"
        new = article[: m.start()] + kept + article[m.end() :]
        yield "negation_flipped", new, _words_after(new, max(0, m.start() - 12), 4)
    elif m := _FINITE.search(article):
        new = article[: m.end()] + "nicht " + article[m.end() :]
        yield "negation_flipped", new, _words_after(new, m.start(), 3)
    if m := _HEDGES.search(article):
        new = article[: m.start()] + article[m.end() :]
        yield "hedge_strengthened", new, _words_after(new, m.start(), 4)
    else:
        for modal, strong in _MODALS.items():
            if m := re.search(rf"\b{modal}\b", article):
                new = article[: m.start()] + strong + article[m.end() :]
                yield "hedge_strengthened", new, _words_after(new, m.start(), 4)
                break
    if m := _CONDITION.search(article):
        rest = article[m.end() :]
        new = article[: m.start()] + rest[:1].upper() * (m.start() == 0) + rest[m.start() == 0 :]
        yield "condition_dropped", new, _words_after(new, m.start(), 5)
    numbers = list(_NUMBER.finditer(article))
    if numbers:
        m = rng.choice(numbers)
        value = m.group()
        digits = value.replace(".", "").replace(",", "")
        changed = str(int(digits) * rng.choice((2, 3)) + rng.randint(1, 9))
        new = article[: m.start()] + changed + article[m.end() :]
        yield "number_changed", new, _words_after(new, m.start(), 2)
    if m := _PARTIAL.search(article):
        new = (
            article[: m.start()]
            + ("alle " if m.group()[0].islower() else "Alle ")
            + article[m.end() :]
        )
        yield "scope_widened", new, _words_after(new, m.start(), 2)
    if m := _SAID.search(article):
        new = article[: m.start()] + rng.choice(JUDGING_VERBS) + article[m.end() :]
        yield "speech_act_reframed", new, _words_after(new, m.start(), 1)
    if others and speaker:
        said = rng.choice(others)
        cut = article.find(". ")
        if cut > 0:
            new = article[: cut + 1] + f" Zudem sagte {speaker}, {said}." + article[cut + 1 :]
            yield "content_added", new, said


def _source_edits(
    source: str, article: str, aligned: Aligned, language: str, rng: random.Random
) -> Iterator[tuple[str, str, str]]:
    """(kind, new source, gold words) for edits of the source sentence an article sentence
    renders; the gold words are that article sentence."""
    a, b = aligned.article_sentence
    gold = article[a:b].strip()
    s, e = aligned.source_sentence
    sentence = source[s:e]
    lang = "en" if language == "en" else "de"

    def replaced(new_sentence: str) -> str:
        return source[:s] + new_sentence + source[e:]

    if sentence and sentence[0].isupper() and len(sentence) > 20:
        head = (
            sentence[0].lower() + sentence[1:]
            if not re.match(r"[A-ZÄÖÜ]\w+ [A-ZÄÖÜ]", sentence)
            else sentence
        )
        yield "condition_dropped", replaced(rng.choice(SOURCE_CONDITIONS[lang]) + head), gold
        yield "hedge_strengthened", replaced(rng.choice(SOURCE_HEDGES[lang]) + head), gold
    for old, new in SOURCE_NEGATIONS[lang]:
        if old in sentence and " not " not in sentence and " nicht " not in sentence:
            yield "negation_flipped", replaced(sentence.replace(old, new, 1)), gold
            break
    end = len(sentence.rstrip(' .!?"“”„«»'))
    if end > 20:
        cut = sentence[:end] + rng.choice(SOURCE_REBUTTALS[lang]) + sentence[end:]
        yield "quote_cut", replaced(cut), gold
    if aligned.speaker_words:
        names = [w for w in re.findall(r"[A-ZÄÖÜ][\w'’-]+", aligned.speaker_words) if w in source]
        if names:
            surname = names[-1]
            other = rng.choice([n for n in OTHER_SURNAMES if n != surname])
            where = article.find(surname)
            if where >= 0:
                yield "misattribution", source.replace(surname, other), surname


def perturb(
    pair: dict,
    aligned: list[Aligned],
    others: list[str],
    seed: int,
    per_side: int = 6,
) -> list[Perturbed]:
    """At most ``per_side`` article-side and source-side distortions of a faithful pair;
    ``others``: statements of other pairs to put in this speaker's mouth."""
    rng = random.Random(f"{seed}:{pair['id']}")
    article, source = pair["article"], pair["source"]
    made: list[Perturbed] = []
    names = [
        re.findall(r"[A-ZÄÖÜ][\w'’-]+", a.speaker_words)[-1:] for a in aligned if a.speaker_words
    ]
    speaker = next((n[0] for n in names if n), None)
    edits = list(_article_edits(article, rng, others, speaker))
    rng.shuffle(edits)
    for kind, new, gold in edits[:per_side]:
        if _once(new, gold):
            made.append(Perturbed(kind, new, source, [gold]))
    side: list[tuple[str, str, str]] = []
    for one in aligned:
        side += _source_edits(source, article, one, pair["source_language"], rng)
    rng.shuffle(side)
    for kind, new, gold in side[:per_side]:
        if _once(article, gold):
            made.append(Perturbed(kind, article, new, [gold]))
    return made
