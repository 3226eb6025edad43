"""Quotes assembled from the quote tagger's per-token role tags, by rules.

A message run (possibly over several sentences) takes the cue and speaker of its own
sentence, else a speaker in a neighbouring sentence ("Konashenkov fügte hinzu: …"), else the
speaker of the quote right before it. English text gets two rules on top of the German
tagger's tags (English speech verbs are cues; "according to X" makes X the source).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from newsaudit.benchmarks.spkatt import ROLES
from newsaudit.nlp.speech import QUOTE_CHARS, quote_states

TAGGER_ROLES = ROLES
"""The tagger's columns: SpkAtt's roles, in its order (0 Cue, 1 Source, 2 Message, 3 Addr)."""
Pos = tuple[int, int]


@dataclass
class FoundQuote:
    """One quote in token positions (sentence, token), before it is mapped to characters.

    ``source`` holds every speaker-tagged token of the quote's sentences (SpkAtt sources may
    be discontinuous); ``speaker`` is the one run shown as the speaker.
    """

    message: list[Pos]
    cue: list[Pos] = field(default_factory=list)
    source: list[Pos] = field(default_factory=list)
    addr: list[Pos] = field(default_factory=list)
    form: str = "Indirect"
    score: float = 0.0
    speaker: list[Pos] = field(default_factory=list)
    """The most confident contiguous run of ``source``: the speaker shown to users."""
    cue_run: list[Pos] = field(default_factory=list)
    """The run of ``cue`` nearest the message: the cue shown to users."""


ENGLISH_CUES = frozenset(
    """
    said says say told tells added adds stated states claimed claims warned warns explained
    explains insisted insists argued argues announced announces confirmed confirms denied
    denies wrote writes reported reports noted notes asked asks replied replies tweeted
    """.split()
)


def english_rules(sentences: list[list[str]], tags: list[np.ndarray]) -> None:
    """The tagger learned German only: mark English speech verbs as cues, and the noun
    phrase after "according to" as the source (up to the next comma)."""
    for si, words in enumerate(sentences):
        lowered = [w.lower() for w in words]
        for i, w in enumerate(lowered):
            if w in ENGLISH_CUES:
                tags[si][i, 0] = True
                tags[si][i, 2] = False
            if w == "according" and i + 1 < len(words) and lowered[i + 1] == "to":
                tags[si][i : i + 2, 0] = True
                tags[si][i : i + 2, 1:3] = False
                k = i + 2
                while k < len(words) and words[k] not in (",", ".", ";", ":"):
                    tags[si][k, 1] = True
                    tags[si][k, 2] = False
                    k += 1


def adjacent_runs(flags: list[Pos]) -> list[list[Pos]]:
    """Group positions into runs of adjacent tokens within a sentence."""
    runs: list[list[Pos]] = []
    for pos in sorted(flags):
        if runs and runs[-1][-1][0] == pos[0] and runs[-1][-1][1] + 1 == pos[1]:
            runs[-1].append(pos)
        else:
            runs.append([pos])
    return runs


def _best_run(runs: list[list[Pos]], probs: list[np.ndarray]) -> list[Pos]:
    """The run most confidently tagged as speaker."""
    return max(runs, key=lambda r: max(float(probs[s][t, 1]) for s, t in r))


def _opens_quotation(sentences: list[list[str]], inq: list[list[bool]], si: int) -> bool:
    """Does sentence ``si`` begin a new quotation (not continue one)?"""
    starts = bool(sentences[si]) and sentences[si][0] in QUOTE_CHARS
    return starts and not (si > 0 and inq[si - 1] and inq[si - 1][-1])


def _quote_segments(inq: list[list[bool]]) -> dict[Pos, int]:
    """Number each quotation (a run of inside-quote tokens, possibly over sentences)."""
    segment: dict[Pos, int] = {}
    n, previous = -1, False
    for s, row in enumerate(inq):
        for t, inside in enumerate(row):
            if inside and not previous:
                n += 1
            if inside:
                segment[(s, t)] = n
            previous = inside
    return segment


LONG_QUOTE = 5
CLAUSE_ENDS = frozenset(",;:.!?–—")
MAX_EDGE_GAP = 2
"""The tagger often leaves a message's last word or two untagged ("ab [Mai], wie X
mitteilte"): a gap this short before a clause end joins the message."""
FREE_INDIRECT_SHARE = 0.6
"""Free indirect speech (erlebte Rede) is whole sentences: a cue-less message covering less
than this share of its sentences' words is a fragment, not a quote."""


def _to_clause_end(words: list[str], message: list[Pos], blocked: set[Pos]) -> list[Pos]:
    """Extend a sentence's message over at most ``MAX_EDGE_GAP`` untagged words when they
    reach a clause end or the sentence end; other messages stay as tagged."""
    si, last = message[-1]
    gap: list[Pos] = []
    for ti in range(last + 1, len(words)):
        if words[ti] in CLAUSE_ENDS:
            break
        if (si, ti) in blocked or words[ti] in QUOTE_CHARS or len(gap) == MAX_EDGE_GAP:
            return message
        gap.append((si, ti))
    return message + gap


def _word_share(sentences: list[list[str]], message: list[Pos]) -> float:
    """The share of the alphanumeric words of the message's sentences that it covers."""
    rows = {s for s, _ in message}
    words = [
        (s, t) for s in rows for t, w in enumerate(sentences[s]) if any(c.isalnum() for c in w)
    ]
    inside = set(message)
    return sum(p in inside for p in words) / max(len(words), 1)


def assemble(
    sentences: list[list[str]], tags: list[np.ndarray], probs: list[np.ndarray]
) -> list[FoundQuote]:
    """Turn per-token role tags into quotes with cue, speaker and form.

    Cue and speaker tokens inside quotation marks are dropped (they belong to nested
    quotes, which we do not produce); a message never contains its own cue or speaker; a
    message that is mostly quoted becomes the whole quotation it touches, over sentences.
    """
    inq = quote_states(sentences)
    segment = _quote_segments(inq)
    length = Counter(segment.values())
    # names in quotation marks („Der Spiegel“) may speak; words of a long quotation may not
    in_long_quote = {p for p, n in segment.items() if length[n] > LONG_QUOTE}
    by_role: dict[int, dict[int, list[Pos]]] = {r: {} for r in range(len(TAGGER_ROLES))}
    for si, t in enumerate(tags):
        for ti in range(t.shape[0]):
            for r in range(t.shape[1]):
                if t[ti, r] and not (r in (0, 1) and (si, ti) in in_long_quote):
                    by_role[r].setdefault(si, []).append((si, ti))
    cues, sources, messages, addrs = (by_role[r] for r in range(4))
    taken = {p for role in (cues, sources) for row in role.values() for p in row}
    for si in list(messages):
        messages[si] = [p for p in messages[si] if p not in taken]
        if not messages[si]:
            del messages[si]
    # a mostly quoted message run takes its whole quotation
    members: dict[int, list[Pos]] = {}
    for pos, n in segment.items():
        members.setdefault(n, []).append(pos)
    for si in list(messages):
        toks = messages[si]
        touched = {segment[p] for p in toks if p in segment}
        if touched and sum(p in segment for p in toks) >= 0.5 * len(toks):
            extra = [p for n in touched for p in members[n]]
            for p in extra:
                messages.setdefault(p[0], [])
                if p not in messages[p[0]]:
                    messages[p[0]].append(p)
    blocked = taken | {p for row in addrs.values() for p in row}
    for si in messages:
        messages[si] = sorted(p for p in messages[si] if p not in taken)
        if messages[si]:
            messages[si] = _to_clause_end(sentences[si], messages[si], blocked)

    # Message groups: message tokens of consecutive sentences join when the message runs
    # over the sentence boundary (last token of one, first token of the next).
    groups: list[list[int]] = []
    for si in sorted(s for s in messages if messages[s]):
        toks = messages[si]
        if (
            groups
            and groups[-1][-1] == si - 1
            and messages[si - 1][-1][1] >= len(sentences[si - 1]) - 2
            and toks[0][1] <= 1
            and not cues.get(si)
            and not _opens_quotation(sentences, inq, si)
        ):
            groups[-1].append(si)
        else:
            groups.append([si])

    quotes: list[FoundQuote] = []
    previous: FoundQuote | None = None
    previous_last = -2
    for group in groups:
        message = [p for si in group for p in messages[si]]
        cue = [p for si in group for p in cues.get(si, [])]
        source = [p for si in group for p in sources.get(si, [])]
        if not source:
            first, last = group[0], group[-1]
            nxt = sources.get(last + 1)
            prv = sources.get(first - 1)
            if prv and not messages.get(first - 1):
                source = list(prv)
            elif nxt and not messages.get(last + 1, []) or nxt and cues.get(last + 1):
                source = list(nxt)
            elif previous is not None and previous_last >= first - 1:
                source = list(previous.source)
            elif prv:
                source = list(prv)
        addr = [p for si in group for p in addrs.get(si, [])]
        quoted = sum(1 for p in message if p in segment) / len(message)
        has_konj = any(sentences[s][t].lower() in _konj() for s, t in message)
        if quoted >= 0.5:
            form = "Direct"
            touched = {segment[p] for p in message if p in segment}
            message = sorted(p for n in touched for p in members[n])
        elif not cue and not any(p[0] in group for p in source):
            if _word_share(sentences, message) < FREE_INDIRECT_SHARE:
                continue
            form = "FreeIndirect"
        elif has_konj or any(sentences[s][t].lower() in ("dass", "daß", "ob") for s, t in message):
            form = "Indirect"
        else:
            form = "Reported"
        if not source and form != "Direct":
            continue
        score = float(np.mean([probs[s][t, 2] for s, t in message]))
        speaker = _best_run(adjacent_runs(source), probs) if source else []
        cue_run = []
        if cue:
            anchor = message[0]
            cue_run = min(
                adjacent_runs(cue),
                key=lambda r: (abs(r[0][0] - anchor[0]), abs(r[0][1] - anchor[1])),
            )
        found = FoundQuote(message, cue, source, addr, form, round(score, 4), speaker, cue_run)
        quotes.append(found)
        previous, previous_last = found, group[-1]
    return quotes


@lru_cache(maxsize=1)
def _konj() -> frozenset[str]:
    from newsaudit.nlp.speech import KONJUNKTIV_WORDS

    return KONJUNKTIV_WORDS
