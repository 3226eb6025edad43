"""Token features for speech attribution: who says what, and which word marks it.

The quote tagger (``newsaudit.nlp.quote_tagger``) scores every token as Cue, Source or
Message from these features. They are built from token strings only (no POS tagger ships
with newsaudit), so they encode what German and English reported speech looks like on the
surface: quotation marks, speech verbs, Konjunktiv forms, "laut X" / "X zufolge" frames,
and where a token sits relative to the nearest speech verb and clause boundary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

OPENING_QUOTES = frozenset("„«‚‹")
CLOSING_ONLY_QUOTES = frozenset("”’")
AMBIGUOUS_QUOTES = frozenset('“"‘»›')
QUOTE_CHARS = OPENING_QUOTES | CLOSING_ONLY_QUOTES | AMBIGUOUS_QUOTES

# Speech, thought and writing verbs (lower-cased word forms, German and English). The
# trained model adds the cue words it saw in SpkAtt; this list covers common forms beyond.
SPEECH_WORDS = frozenset(
    """
    sagen sagt sagte sagten gesagt sage sagst erklären erklärt erklärte erklärten
    betonen betont betonte betonten mitteilen mitgeteilt teilte teilten mitteilte teilt
    berichten berichtet berichtete berichteten schreiben schreibt schrieb schrieben
    geschrieben fordern fordert forderte forderten gefordert warnen warnt warnte warnten
    gewarnt kritisieren kritisiert kritisierte kritisierten behaupten behauptet behauptete
    bestätigen bestätigt bestätigte bestätigten dementieren dementiert dementierte
    ankündigen kündigte kündigten angekündigt erläutern erläutert erläuterte
    unterstreichen unterstrich unterstrichen versichern versichert versicherte
    versprechen verspricht versprach betonen meinen meint meinte meinten glauben glaubt
    glaubte vermuten vermutet vermutete befürchten befürchtet befürchtete einräumen
    räumte eingeräumt zugeben gab zugegeben äußern äußert äußerte äußerten geäußert
    bezeichnen bezeichnet bezeichnete nannte nennt antworten antwortet antwortete fragte
    fragt gefragt hinzufügen fügte hinzugefügt zitiert zitierte zitieren heißt hieß
    lautete lautet verkünden verkündet verkündete drohte droht drohen vorwerfen wirft warf
    vorgeworfen beschuldigt beschuldigte meldet meldete meldeten gemeldet sprach spricht
    prognostizierte prognostiziert interpretierte interpretiert kommentierte kommentiert
    laut zufolge gemäß demnach wonach aussage aussagen angaben worten
    say says said saying tell tells told explain explains explained stress stressed
    state states stated claim claims claimed warn warns warned add adds added report
    reports reported write writes wrote announce announced confirm confirmed deny denied
    insist insisted argue argued accuse accused according suggest suggested believe
    believes believed note noted ask asked reply replied tweeted posted
    """.split()
)

# Konjunktiv I/II forms that mark indirect speech in German reporting.
KONJUNKTIV_WORDS = frozenset(
    """
    sei seien seiest habe werde könne müsse solle wolle dürfe möge wisse gebe gäbe
    wäre wären hätte hätten würde würden könnte könnten müsste müssten sollte sollten
    wollte dürfte dürften käme komme stehe gehe liege bleibe lasse brauche
    """.split()
)

ACCORDING_BEFORE = frozenset({"laut", "gemäß", "according", "nach"})
ACCORDING_AFTER = frozenset({"zufolge"})
THAT_WORDS = frozenset({"dass", "daß", "ob", "wonach", "that", "whether"})
CLAUSE_BREAKS = frozenset({",", ":", ";", "–", "-", "(", ")"})
DETERMINERS = frozenset("der die das des dem den ein eine einer eines einem einen the a an".split())
NP_GLUE = frozenset("von vom für of for und and".split())
PRONOUNS = frozenset("er sie es ich wir man he she they i we it".split())


def _bucket(n: int) -> str:
    if n <= 2:
        return str(n)
    if n <= 5:
        return "3-5"
    if n <= 10:
        return "6-10"
    return "11+"


def _np_like(token: str, word: str) -> bool:
    """Could this token belong to a noun phrase (without a POS tagger)?

    Capitalised words (German nouns and names), determiners, glue words of names
    ("Ministerium für …") and inflected adjectives.
    """
    if word in DETERMINERS or word in NP_GLUE:
        return True
    if token[:1].isupper() or token[:1].isdigit():
        return True
    return word.endswith(("e", "en", "er", "es", "em")) and word.isalpha() and len(word) > 3


def _np_chain(words: Sequence[str], tokens: Sequence[str], start: int, step: int) -> list[int]:
    """Indices of the noun-phrase-like run next to ``start`` going in direction ``step``."""
    out = []
    k = start + step
    while 0 <= k < len(words) and len(out) < 8 and _np_like(tokens[k], words[k]):
        out.append(k)
        k += step
    return out


@lru_cache(maxsize=65536)
def _shape(token: str) -> str:
    if not token:
        return "empty"
    if token in QUOTE_CHARS:
        return "Q"
    if token.isdigit():
        return "d"
    if not any(c.isalnum() for c in token):
        return "p"
    if token.isupper() and len(token) > 1:
        return "XX"
    if token[0].isupper():
        return "Xx"
    return "x"


def _mark_kind(token: str, prev: str, nxt: str, depth: int, german_style: bool) -> str:
    """Whether a lone quotation mark opens or closes a quotation."""
    if token in OPENING_QUOTES:
        return "open"
    if token in CLOSING_ONLY_QUOTES:
        return "close"
    if depth == 0:
        return "open"
    if german_style or token in '"»›':
        return "close"
    # English-style “ inside a quotation: a nested opening unless punctuation follows
    if not nxt or not any(c.isalnum() for c in nxt) or prev in (".", "!", "?"):
        return "close"
    return "open"


def quote_states(sentences: Sequence[Sequence[str]]) -> list[list[bool]]:
    """Whether each token lies inside quotation marks, tracked across sentences.

    „ « ‚ ‹ open and ” ’ close; “ closes in German-style text (one that uses „) and in
    English-style text opens a nested quotation unless punctuation follows it. A quotation
    that is still open when a colon introduces a new one was never closed: the sentence up
    to that colon is outside. A mark glued to a word ("Bild“-Zeitung") counts when it is the
    token's first or last character. The marks themselves count as inside.
    """
    german_style = any(t.startswith("„") for s in sentences for t in s)
    depth = 0
    states: list[list[bool]] = []
    for tokens in sentences:
        row: list[bool] = []
        for i, token in enumerate(tokens):
            prev = tokens[i - 1] if i > 0 else ""
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            if len(token) == 1 and token in QUOTE_CHARS:
                if _mark_kind(token, prev, nxt, depth, german_style) == "open":
                    if prev == ":" and depth > 0:
                        row = [False] * len(row)
                        depth = 0
                    depth = min(depth + 1, 2)
                    row.append(True)
                else:
                    row.append(depth > 0)
                    depth = max(depth - 1, 0)
                continue
            first, last = (token[0], token[-1]) if token else ("", "")
            opening = first in OPENING_QUOTES or (first in AMBIGUOUS_QUOTES and not depth)
            if len(token) > 1 and opening:
                depth = 1
            row.append(depth > 0)
            closing = last in CLOSING_ONLY_QUOTES or last in AMBIGUOUS_QUOTES
            if len(token) > 1 and depth and closing:
                depth -= 1
        states.append(row)
    return states


def sentence_features(
    sentences: Sequence[Sequence[str]],
    cue_words: Iterable[str] = (),
) -> list[list[list[str]]]:
    """Feature strings for every token of every sentence of one document."""
    return list(iter_sentence_features(sentences, cue_words))


def iter_sentence_features(
    sentences: Sequence[Sequence[str]],
    cue_words: Iterable[str] = (),
) -> Iterator[list[list[str]]]:
    """The feature strings of one sentence after another, so a long article never holds
    them all at once (some 40 strings per token)."""
    cues = SPEECH_WORDS | frozenset(cue_words)
    inq = quote_states(sentences)
    lowered = [[t.lower() for t in s] for s in sentences]
    sent_has_cue = [any(w in cues for w in s) for s in lowered]
    sent_has_q = [any(q for q in row) for row in inq]
    for si, words in enumerate(lowered):
        tokens = sentences[si]
        n = len(words)
        cue_pos = [i for i, w in enumerate(words) if w in cues]
        konj_pos = [i for i, w in enumerate(words) if w in KONJUNKTIV_WORDS]
        # clause index of each token: clauses split at commas, colons, quotation marks
        clause = []
        c = 0
        for w in words:
            if w in CLAUSE_BREAKS or w in QUOTE_CHARS:
                c += 1
            clause.append(c)
        clause_konj = {clause[i] for i in konj_pos}
        clause_cue = {clause[i] for i in cue_pos}
        that_seen = False
        after_that: list[bool] = []
        for w in words:
            after_that.append(that_seen)
            if w in THAT_WORDS:
                that_seen = True
        according_after = [i for i, w in enumerate(words) if w in ACCORDING_BEFORE]
        zufolge = [i for i, w in enumerate(words) if w in ACCORDING_AFTER]
        colon_at = [i for i, w in enumerate(words) if w == ":"]
        sent = [
            "s_cue" if sent_has_cue[si] else "s_nocue",
            "s_q" if sent_has_q[si] else "s_noq",
            "s_konj" if konj_pos else "s_nokonj",
            "prev_cue" if si > 0 and sent_has_cue[si - 1] else "prev_nocue",
            "next_cue" if si + 1 < len(lowered) and sent_has_cue[si + 1] else "next_nocue",
            "prev_colon" if si > 0 and lowered[si - 1] and lowered[si - 1][-1] == ":" else "",
            "prev_endq" if si > 0 and inq[si - 1] and inq[si - 1][-1] else "",
            "start_inq" if inq[si] and inq[si][0] else "",
        ]
        sent = [f for f in sent if f]
        # noun-phrase-like runs beside each speech word: the usual place of the speaker
        np_left: dict[int, int] = {}
        np_right: dict[int, int] = {}
        for p in cue_pos:
            for rank, k in enumerate(_np_chain(words, tokens, p, -1)):
                np_left.setdefault(k, rank)
            for rank, k in enumerate(_np_chain(words, tokens, p, 1)):
                np_right.setdefault(k, rank)
        rows: list[list[str]] = []
        for i, w in enumerate(words):
            tok = tokens[i]
            f = [
                "b",
                "w=" + w,
                "suf3=" + w[-3:],
                "suf2=" + w[-2:],
                "shape=" + _shape(tok),
                "w-1=" + (words[i - 1] if i > 0 else "<s>"),
                "w+1=" + (words[i + 1] if i + 1 < n else "</s>"),
                "w-2=" + (words[i - 2] if i > 1 else "<s>"),
                "w+2=" + (words[i + 2] if i + 2 < n else "</s>"),
                "sh-1=" + (_shape(tokens[i - 1]) if i > 0 else "<s>"),
                "sh+1=" + (_shape(tokens[i + 1]) if i + 1 < n else "</s>"),
                "pos=" + _bucket(i),
                "rpos=" + _bucket(n - 1 - i),
                f"relpos={4 * i // max(n, 1)}",
            ]
            q = inq[si][i]
            f.append("inq" if q else "outq")
            f.append(("inq&" if q else "outq&") + ("s_cue" if sent_has_cue[si] else "s_nocue"))
            if w in cues:
                f.append("cue")
            if w in KONJUNKTIV_WORDS:
                f.append("konj")
            if w in PRONOUNS:
                f.append("pron")
            if w in DETERMINERS:
                f.append("det")
            if i in np_left:
                f.append("np_left_of_cue")
                f.append("np_left_of_cue_" + _bucket(np_left[i]))
                f.append("np_left_of_cue&shape=" + _shape(tok))
            if i in np_right:
                f.append("np_right_of_cue")
                f.append("np_right_of_cue_" + _bucket(np_right[i]))
                f.append("np_right_of_cue&shape=" + _shape(tok))
            if cue_pos:
                nearest = min(cue_pos, key=lambda p: abs(p - i))
                d = i - nearest
                side = "at" if d == 0 else ("after" if d > 0 else "before")
                f.append(f"cue_{side}_{_bucket(abs(d))}")
                lo, hi = sorted((i, nearest))
                if any(words[k] in CLAUSE_BREAKS for k in range(lo + 1, hi)):
                    f.append(f"cue_{side}_break")
                else:
                    f.append(f"cue_{side}_sameclause")
                f.append(f"cue_{side}&" + ("inq" if q else "outq"))
                f.append(f"cue_{side}&shape=" + _shape(tok))
            if clause[i] in clause_konj:
                f.append("clause_konj")
            if clause[i] in clause_cue:
                f.append("clause_cue")
            if after_that[i]:
                f.append("after_that")
                if cue_pos and min(cue_pos) < i:
                    f.append("after_that_cue")
            for p in according_after:
                if 0 < i - p <= 5:
                    f.append(f"after_laut_{_bucket(i - p)}")
                    f.append("after_laut&shape=" + _shape(tok))
            for p in zufolge:
                if 0 < p - i <= 6:
                    f.append(f"before_zufolge_{_bucket(p - i)}")
            for p in colon_at:
                f.append("after_colon" if i > p else "before_colon")
            rows.append(f + sent)
        yield rows
