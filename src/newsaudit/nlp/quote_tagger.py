"""The quote tagger: per-token Cue/Source/Message/Addr scores, then quotes assembled from them.

Stage 1 is a logistic regression per role over sparse surface features
(``newsaudit.nlp.speech``); stage 2, a small perceptron per role, re-scores each token from
the stage-1 scores of its neighbours and of its sentence, which smooths spans into
clause-sized messages. Both are
plain numpy at inference. Assembly rules turn tagged tokens into quotes: a message run
(possibly over several sentences) takes the cue and speaker of its own sentence, else a
speaker in a neighbouring sentence ("Konashenkov fügte hinzu: …"), else the speaker of
the quote right before it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from newsaudit.errors import ModelError
from newsaudit.nlp.speech import QUOTE_CHARS, quote_states, sentence_features

TAGGER_ROLES = ("Cue", "Source", "Message", "Addr")
CONTEXT = 3

Pos = tuple[int, int]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def context_features(probs: list[np.ndarray]) -> list[np.ndarray]:
    """Stage-2 inputs per sentence: own and neighbouring stage-1 scores, sentence summaries."""
    out = []
    n_roles = probs[0].shape[1] if probs else len(TAGGER_ROLES)
    sent_mean = [p.mean(axis=0) if len(p) else np.zeros(n_roles) for p in probs]
    sent_max = [p.max(axis=0) if len(p) else np.zeros(n_roles) for p in probs]
    for si, p in enumerate(probs):
        n = len(p)
        pad = np.full((CONTEXT, n_roles), -1.0)
        padded = np.vstack([pad, p, pad])
        window = [padded[k : k + n] for k in range(2 * CONTEXT + 1)]
        prev_mean = sent_mean[si - 1] if si > 0 else np.zeros(n_roles)
        next_mean = sent_mean[si + 1] if si + 1 < len(probs) else np.zeros(n_roles)
        # running share of message-like tokens before and after each token in the sentence
        msg = p[:, 2] if n else np.zeros(0)
        before = np.concatenate([[0.0], np.cumsum(msg)[:-1]]) / np.maximum(np.arange(n), 1)
        after_sum = np.cumsum(msg[::-1])[::-1] - msg
        after = after_sum / np.maximum(np.arange(n)[::-1], 1)
        rows = np.hstack(
            window
            + [
                np.tile(sent_mean[si], (n, 1)),
                np.tile(sent_max[si], (n, 1)),
                np.tile(prev_mean, (n, 1)),
                np.tile(next_mean, (n, 1)),
                before[:, None],
                after[:, None],
            ]
        )
        out.append(rows.astype(np.float32))
    return out


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


class QuoteTagger:
    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ModelError(f"the quote model is missing at {path}; run `newsaudit train quotes`")
        try:
            data = np.load(path, allow_pickle=False)
            self.vocab = {str(f): i for i, f in enumerate(data["vocab"])}
            self.coef = data["coef"].astype(np.float32)
            self.intercept = data["intercept"].astype(np.float32)
            self.w1 = data["w1"].astype(np.float32)
            self.b1 = data["b1"].astype(np.float32)
            self.w2 = data["w2"].astype(np.float32)
            self.b2 = data["b2"].astype(np.float32)
            self.thresholds = data["thresholds"].astype(np.float32)
            self.cue_words = frozenset(str(w) for w in data["cue_words"])
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(f"the quote model at {path} is broken: {exc}") from exc

    def stage1(self, sentences: list[list[str]]) -> list[np.ndarray]:
        from scipy.sparse import csr_matrix

        feats = sentence_features(sentences, self.cue_words)
        vocab = self.vocab
        indptr, indices = [0], []
        for rows in feats:
            for row in rows:
                indices.extend(vocab[f] for f in row if f in vocab)
                indptr.append(len(indices))
        X = csr_matrix(
            (np.ones(len(indices), dtype=np.float32), indices, indptr),
            shape=(len(indptr) - 1, len(vocab)),
        )
        scores = _sigmoid(X @ self.coef + self.intercept)
        bounds = np.cumsum([0] + [len(rows) for rows in feats])
        return [scores[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]

    def probabilities(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """Per sentence an (n_tokens, 4) array of Cue/Source/Message/Addr probabilities."""
        if not sentences:
            return []
        first = self.stage1(sentences)
        ctx = context_features(first)
        out = []
        for c in ctx:
            hidden = np.maximum(np.einsum("nf,rfh->rnh", c, self.w1) + self.b1[:, None, :], 0.0)
            out.append(_sigmoid(np.einsum("rnh,rh->nr", hidden, self.w2) + self.b2))
        return out

    def find(self, sentences: list[list[str]], language: str | None = "de") -> list[FoundQuote]:
        probs = self.probabilities(sentences)
        tags = [p >= self.thresholds for p in probs]
        if language == "en":
            english_rules(sentences, tags)
        return assemble(sentences, tags, probs)


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


def _runs(flags: list[Pos]) -> list[list[Pos]]:
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
    for si in messages:
        messages[si] = sorted(p for p in messages[si] if p not in taken)

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
            form = "FreeIndirect"
        elif has_konj or any(sentences[s][t].lower() in ("dass", "daß", "ob") for s, t in message):
            form = "Indirect"
        else:
            form = "Reported"
        if not source and form != "Direct":
            continue
        score = float(np.mean([probs[s][t, 2] for s, t in message]))
        speaker = _best_run(_runs(source), probs) if source else []
        cue_run = []
        if cue:
            anchor = message[0]
            cue_run = min(
                _runs(cue), key=lambda r: (abs(r[0][0] - anchor[0]), abs(r[0][1] - anchor[1]))
            )
        found = FoundQuote(message, cue, source, addr, form, round(score, 4), speaker, cue_run)
        quotes.append(found)
        previous, previous_last = found, group[-1]
    return quotes


@lru_cache(maxsize=1)
def _konj() -> frozenset[str]:
    from newsaudit.nlp.speech import KONJUNKTIV_WORDS

    return KONJUNKTIV_WORDS
