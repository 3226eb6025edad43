"""Rule-based sentence splitting that survives news German.

A boundary is sentence-final punctuation (with any closing quotes or brackets after it),
then white space, then something that can start a sentence. It is vetoed after
abbreviations ("Dr.", "z. B.", "U.S."), initials ("J. Smith") and ordinals ("am 3. Oktober",
"der 2. Weltkrieg"). Quote characters are read by position, not glyph, because German
(„…“), English (“…”), French (»…«) and broken mixtures all occur in the wild: a quote
mark right after the punctuation and before white space closes the sentence.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?:[.!?]+|…)[\"'“”„‟»«’‘)\]]*(?=\s)")
_OPENERS = "\"'“”„‟»«‘’([–—-•"
_WORD_BEFORE = re.compile(r"([\w.\-]+)$")
_WORD_AFTER = re.compile(r"[\"'“”„‟»«‘’(\[]*(\w+)")

ABBREVIATIONS = frozenset(
    """
    abb abt adr allg anh anm aufl bearb bes betr bspw bzgl bzw ca chr co corp dgl di dipl dir
    dr ebd eig evtl exkl fa fr frl geb gebr gegr gem ges gg ggf hg hrsg hr hl inkl jh jhd jr
    kath kl lt max mi min mio mrd mr mrs ms nrn o.ä prof rd rel resp sen sog sr st std str tel
    tsd ua usf usw verf vgl vs zb zit zt
    jan feb febr mär apr jun jul aug sep sept okt nov dez
    gen col capt sgt mt ft ave blvd dept est etc inc ltd gov rep
    """.split()
)
# Abbreviations only when a number follows ("Nr. 5", "No. 10", "Art. 3").
NUMBER_ABBREVIATIONS = frozenset("abs art bd fig kap no nr s vol ziff".split())
_ORDINAL_CONTEXT = frozenset(
    """
    der die das den dem des am im zum zur vom beim bis ab seit vor nach um an bei ihr sein
    ihrem seinem ihren seinen jeder jede jedes
    """.split()
)
MONTHS = frozenset(
    """
    januar jänner februar märz april mai juni juli august september oktober november dezember
    jan feb mär apr jun jul aug sep sept okt nov dez
    """.split()
)


def _vetoed(text: str, punct_start: int, next_start: int) -> bool:
    """True when the '.' at ``punct_start`` ends an abbreviation, initial or ordinal."""
    following = text[punct_start + 1 : punct_start + 2]
    if text[punct_start] != "." or (following and not following.isspace()):
        return False  # "..." and a closing quote after the dot both end a sentence
    before = _WORD_BEFORE.search(text, max(0, punct_start - 40), punct_start)
    if not before:
        return False
    word = before.group(1)
    bare = word.lower().replace(".", "")
    if "." in word.strip("."):
        return True
    if bare in ABBREVIATIONS:
        return True
    if bare in NUMBER_ABBREVIATIONS:
        return next_start < len(text) and text[next_start].isdigit()
    if len(word) == 1 and word.isalpha():
        return True
    if word.isdigit() and len(word) <= 3:
        after = _WORD_AFTER.match(text, next_start)
        if after and after.group(1).lower() in MONTHS:
            return True
        previous = _WORD_BEFORE.search(text, max(0, before.start() - 30), before.start() - 1)
        if previous and previous.group(1).lower() in _ORDINAL_CONTEXT:
            return True
    return False


def _can_start_sentence(text: str, i: int) -> bool:
    j = i
    while j < len(text) and text[j] in _OPENERS:
        j += 1
    if j >= len(text):
        return False
    ch = text[j]
    return ch.isupper() or ch.isdigit() or (j > i and ch.isalpha())


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets into ``text`` within one paragraph ``[start, end)``.

    Offsets are trimmed of surrounding white space; the result covers every non-space
    character of the paragraph exactly once.
    """
    end = len(text) if end is None else end
    cuts = [start]
    for match in _BOUNDARY.finditer(text, start, end):
        boundary = match.end()
        next_start = boundary
        while next_start < end and text[next_start].isspace():
            next_start += 1
        if next_start >= end:
            continue
        if not _can_start_sentence(text, next_start):
            continue
        if _vetoed(text, match.start(), next_start):
            continue
        cuts.append(boundary)
    cuts.append(end)
    sentences = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            sentences.append((a, b))
    return sentences
