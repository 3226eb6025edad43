"""The outlet's label for what a speaker did: a warning called a threat, a statement an
admission. The label is the outlet's when it stands outside the quoted words; it fits when
the source says something of that kind (a threat needs the speaker's own announced action,
"we will ..."; an admission needs a mistake or a fault owned)."""

from __future__ import annotations

from collections.abc import Iterator

from newsaudit.compare import lexicon as lx
from newsaudit.compare.align import Alignment
from newsaudit.compare.changes.base import ArticleView, Change, german, quoted
from newsaudit.compare.changes.modality import condition_positions, hedge_positions
from newsaudit.compare.speakers import person
from newsaudit.compare.text import Token, tokenize

_MODALS_BEFORE = frozenset("musste muss mussten müssen sah".split())


# Words that may stand between a German verb and its particle ("räumte sie ein", "gab
# Ministerin Haas zu", "warf dem Ministerium vor"), besides capitalised ones (names,
# roles), at most this many.
_BETWEEN = lx.words(
    "er sie es man dabei auch nun jetzt damit zudem offen ebenfalls selbst dem den der"
)
_MAX_BETWEEN = 3


def _frames(tokens: list[Token], text: str) -> Iterator[tuple[str, int, int]]:
    """(act, first, last + 1) of every speech-act label among the outlet's tokens; a
    two-word label ("räumte ein") also with its verb and particle apart, when the
    particle ends the clause."""
    lowers = [t.lower for t in tokens]
    for act, entry in lx.SPEECH_ACTS.items():
        for i, w in enumerate(lowers):
            if lx.matches_prefix(w, entry["frame"]):  # type: ignore[arg-type]
                yield act, i, i + 1
        for verb, particle in (p for p in entry.get("frame_phrases", ()) if len(p) == 2):  # type: ignore[attr-defined]
            for i in (i for i, w in enumerate(lowers) if w == verb):
                yield from _separated(act, tokens, lowers, text, i, particle)
        for a, b in lx.phrase_positions(lowers, entry.get("frame_phrases", ())):  # type: ignore[arg-type]
            if b - a != 2:
                yield act, a, b


def _separated(
    act: str, tokens: list[Token], lowers: list[str], text: str, i: int, particle: str
) -> Iterator[tuple[str, int, int]]:
    for k in range(i + 1, min(len(tokens), i + _MAX_BETWEEN + 2)):
        if lowers[k] == particle:
            after = text[tokens[k].end : tokens[k].end + 2].strip()
            if not after or after[0] in ',.;:!?"“”„«»':
                yield act, i, k + 1
            return
        gap = text[tokens[k - 1].end : tokens[k].start]
        if gap.strip() or not (lowers[k] in _BETWEEN or tokens[k].text[:1].isupper()):
            return


def _widened(tokens: list[Token], first: int, last: int) -> tuple[int, int]:
    """Take in the adjectives before a label noun ("direkte Drohung") or a modal before a
    label verb ("musste eingestehen")."""
    if tokens[first].text[:1].isupper():
        while first > 0 and _adjective(tokens[first - 1]):
            first -= 1
    elif first > 0 and tokens[first - 1].lower in _MODALS_BEFORE:
        first -= 1
    return first, last


def _adjective(token: Token) -> bool:
    """A lower-case inflected word that is no article or preposition ("direkte", "offene")."""
    return (
        token.text[:1].islower()
        and len(token.text) > 4
        and token.lower[-1] in "enrs"
        and token.lower not in lx.words("einer einem einen eines unter neben hinter gegen")
    )


# A future word and its first-person subject stand this close ("we will", "werden wir",
# "wir werden dann").
_SUBJECT_REACH = 2


def _committed(lowers: list[str]) -> bool:
    """Whether the speaker announces an action of his or her own: a future word with "I"
    or "we" as its subject ("we will ...", "werden wir ..."). "Many of our members will
    not be able to ..." says what will happen to others, not what the speaker will do."""
    return any(
        w in lx.FUTURE
        and any(
            v in lx.FIRST_PERSON_SUBJECTS
            for v in lowers[max(0, i - _SUBJECT_REACH) : i + _SUBJECT_REACH + 1]
        )
        for i, w in enumerate(lowers)
    )


def _supported(act: str, tokens: list[Token], text: str) -> bool:
    """Whether the source words ``tokens`` (of ``text``) say something of the kind."""
    entry = lx.SPEECH_ACTS[act]
    lowers = [t.lower for t in tokens]
    if any(w in entry["support"] for w in lowers):  # type: ignore[operator]
        return True
    if entry.get("unless_hedged"):
        return not hedge_positions(lowers, [t.text for t in tokens])
    if entry["needs_commitment"]:
        committed = _committed(lowers)
        if entry.get("needs_sanction"):
            sanction = any(w in lx.SANCTIONS for w in lowers)
            future = any(w in lx.FUTURE for w in lowers)
            # "Our lawyers will sue": a sanction announced for the speaker's side
            conditioned = bool(condition_positions(tokens, text))
            return (committed and (sanction or conditioned)) or (sanction and future)
        return committed
    return False


# What the source shows instead, by the speech act the outlet's words claim.
_NOT_THERE = {
    "admission": "the speaker owns no mistake, fault or failure there",
    "accusation": "the speaker blames no one there; he or she states a view",
    "attack": "the speaker disagrees in plain words, without attacking anyone",
    "boast": "the speaker reports a result without praising him- or herself",
    "refusal": "the speaker refuses nothing; he or she states a plan or a fact",
    "defence": "no one criticises the speaker there; he or she explains a decision",
}


def _said(alignment: Alignment) -> list[Token]:
    """The source sentences the aligned region lies in."""
    first, last = alignment.region_sentences()
    return alignment.tokens[first:last]


def _around(alignment: Alignment) -> list[Token]:
    """The chosen source sentences and their neighbours: what a label is checked against,
    since it names the statement as a whole ("ihr Versprechen gebrochen" for a promise
    the speaker recalls a sentence earlier)."""
    passages = alignment.source.passages
    first, last = min(alignment.sentences), max(alignment.sentences)
    return [t for p in passages[max(0, first - 1) : last + 2] for t in p.tokens]


def _change(act: str, tokens: list[Token], span: tuple[int, int], alignment: Alignment) -> Change:
    source_tokens = _said(alignment)
    label = lx.SPEECH_ACTS[act]["label"]
    words = " ".join(t.text for t in tokens[span[0] : span[1]])
    start, end = source_tokens[0].start, source_tokens[-1].end
    return Change(
        "speech_act_reframed",
        (tokens[span[0]].start, tokens[span[1] - 1].end),
        (start, end),
        f"The article calls the statement {label} ({german([words])}), but in the source "
        f"{_why(act, source_tokens, alignment.source.text)}.",
        alignment,
    )


def detect(alignment: Alignment, article: ArticleView) -> Iterator[Change]:
    """Labels in the outlet's words of the unit's own sentences, else the manner the
    outlet gives the speaker ("verteidigte die Preiserhöhung trotzig")."""
    outlet = article.outlet_tokens(alignment)
    for words in (outlet, _lead(alignment, article)):
        for act, first, last in _frames(words, article.text):
            if not _supported(act, _around(alignment), alignment.source.text):
                yield _change(act, words, _widened(words, first, last), alignment)
                return
    yield from _manner(alignment, outlet)


def _lead(alignment: Alignment, article: ArticleView) -> list[Token]:
    """The article's sentence before the unit's when it names the unit's speaker and
    quotes nothing: the outlet's label for what follows ("Carola Weißgerber hat das
    Ministerium scharf attackiert. Sie habe den Eindruck, dass ...")."""
    unit, text = alignment.unit, article.text
    if not unit.speaker or unit.sentence_start == 0:
        return []
    end = unit.sentence_start
    stop = len(text[:end].rstrip()) - 1  # the full stop of the sentence before
    start = max(text.rfind(c, 0, max(0, stop)) for c in ".!?") + 1
    if any(a < end and start < b for a, b in article.messages):
        return []
    tokens = tokenize(text, start, end)
    names = person(unit.speaker).names
    return tokens if any(t.lower in names for t in tokens) else []


def _manner(alignment: Alignment, outlet: list[Token]) -> Iterator[Change]:
    """A manner word of the outlet's ("trotzig", "kleinlaut") that nothing the source says
    around the statement bears out."""
    said = [t.lower for t in _around(alignment)]
    for token in outlet:
        stem = next((m for m in lx.MANNER if token.lower.startswith(m)), None)
        if stem is None or any(w.startswith(lx.MANNER[stem]) for w in said):
            continue
        source_tokens = _said(alignment)
        yield Change(
            "speech_act_reframed",
            (token.start, token.end),
            (source_tokens[0].start, source_tokens[-1].end),
            f"The article says the speaker spoke „{token.text}“; nothing in the source's "
            "words shows that: it is the outlet's reading of how it was said.",
            alignment,
        )
        return


def detect_named(
    alignments: list[Alignment], article: ArticleView, tokens: list[Token]
) -> Iterator[Change]:
    """Labels elsewhere that name an aligned speaker ("an Kirbys Eingeständnis").

    The label is checked against the best alignment of that speaker's statements.
    """
    outlet = [
        t for t in tokens if not any(s <= t.start and t.end <= e for s, e in article.messages)
    ]
    covered = {(a.unit.sentence_start, a.unit.sentence_end) for a in alignments}
    for act, first, last in _frames(outlet, article.text):
        if first == 0:
            continue
        owner = outlet[first - 1].lower
        if not owner.endswith("s") or outlet[first - 1].end + 1 < outlet[first].start - 1:
            continue
        matches = [
            a
            for a in alignments
            if a.unit.speaker
            and owner[:-1] in person(a.unit.speaker).names
            and not any(s <= outlet[first].start < e for s, e in covered)
        ]
        if not matches:
            continue
        best = max(matches, key=lambda a: a.coverage)
        if _supported(act, _around(best), best.source.text):
            continue
        yield _change(act, outlet, (first - 1, last), best)


def _why(act: str, tokens: list[Token], text: str) -> str:
    lowers = [t.lower for t in tokens]
    hedges = [tokens[i].text for i in hedge_positions(lowers, [t.text for t in tokens])]
    conditions = [tokens[i].text for i in condition_positions(tokens, text)]
    if act == "threat" and _committed(lowers) and not hedges:
        return "the speaker announces nothing that would cost the addressee anything"
    if act in ("threat", "promise"):
        said = "; it says what could happen" if hedges or conditions else ""
        marks = quoted(conditions + hedges)
        return f"the speaker announces no action of his or her own{said}" + (
            f" ({marks})" if marks else ""
        )
    return _NOT_THERE.get(act, "the speaker makes no demand there")
