"""A source as sentences, each with the person who says it where the source tells.

A source is a transcript ("KIRBY: ..."), a statement introduced by a header line ("...
Spokesperson John Kirby, answering a question:"), or prose with attributed quotes ("Her
rival, Viktor Hale, told reporters: ..."). Who speaks matters for one change only, a
statement attributed to someone else, so a speaker is set only on explicit evidence: a
transcript label, a speech verb next to a name, or a pronoun or continued quotation after
such a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from newsaudit.compare.speakers import Person, person
from newsaudit.nlp.sentences import split_sentences

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|warned|warns|explained|stated|states|replied|"
    "answered|answering|stressed|insisted|announced|wrote|declared|noted|argued|spoke|"
    "sagte|sagt|sagten|erklärte|erklärt|betonte|betont|warnte|warnt|teilte|teilt|fügte|fügt|"
    "meinte|meint|antwortete|kündigte|schrieb|unterstrich|bekräftigte|ergänzte|sprach|"
    "responded|retorted|countered|objected|entgegnete|entgegnet|erwiderte|erwidert|"
    "konterte|widersprach|kritisierte|kritisiert|criticised|criticized"
)
_CAP = r"(?:Dr\.|Mr\.|Ms\.|Mrs\.|Prof\.|[A-ZÄÖÜ][\w'’-]*)"
_NAME = rf"(?:{_CAP}\s+){{1,3}}{_CAP}"
# Words that start no name: determiners and prepositions, contracted ones too ("Im
# Stadtrat sagte X" names X, not "Im Stadtrat").
_DETERMINERS = frozenset(
    "the a an der die das den dem des ein eine einer einem einen auf in at on und and "
    "zu zur zum bei mit von vom for of im am beim ins ans nach vor seit laut für aus über "
    "unter gegen während after before during from to by with".split()
)
_LABEL = re.compile(
    r"^[ \t]*(?P<label>(?:[A-ZÄÖÜ][\w.'’-]*,?[ \t]+){0,5}[A-ZÄÖÜ][\w.'’-]*)"
    r"[ \t]*(?:\([^)\n]{0,40}\))?[ \t]*:[ \t]+(?=\S)",
    re.M,
)
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_NAME_RE = re.compile(_NAME)
_PRONOUN_SPEECH = re.compile(
    rf"\b(?:he|she|they|er|sie)\s+(?:{SPEECH_VERBS})\b|\b(?:{SPEECH_VERBS})\s+(?:he|she|er|sie)\b",
    re.I,
)
# A bracketed name next to the speaker's is an affiliation ("Ollie Brandt (FC Dunmore)
# told"), not the speaker.
_BRACKETED = re.compile(r"\([^()]*\)")
_QUOTES = '"“”„«»'
# Single quotation marks ('...', ‘...’) are apostrophes too ("That's", "dockworkers'
# union"): one opens a quotation after a space, a colon or a bracket and before a letter,
# and closes the open one after a punctuation mark, or before one or the line's end.
_SINGLE = "'‘’"
_OPENS_AFTER = " \t\n:([—–-"
_CLOSE_AFTER = ".,!?;…"
_CLOSE_BEFORE = "\n.,!?;:)"
# Role words next to a name: at most this many words, this many characters away, within
# its clause.
_ROLE_WORDS = 4
_ROLE_REACH = 50
_CLAUSE_END = re.compile(r"[.;:!?\"“”„«»()]")


@dataclass(frozen=True)
class SourceSentence:
    index: int
    start: int
    end: int
    speaker: str | None = None
    # character spans of the reporting words ("Trainer Marco Silva sagte nach dem Spiel:")
    frame: tuple[tuple[int, int], ...] = ()


def _label_speaker(label: str) -> str | None:
    """A transcript label ("MARSH", "Mr. Kirby", "SPOKESPERSON LINDA MARSH"), else None.
    Of a label in parts ("CHAIR, DAVID OKORO MP", "SARAH COLE, RAIL DRIVERS' UNION"), the
    first part of two words or more names the person; the others are roles."""
    if "," in label:
        if not label.isupper():
            return None
        parts = [p.strip() for p in label.split(",")]
        label = next((p for p in parts if len(p.split()) >= 2), parts[0])
    words = label.split()
    if len(words) > 5:
        return None
    # "MINISTER OF AGRICULTURE PAULA REYES": capitals make a glue word part of a label
    if not label.isupper() and any(w.lower() in _DETERMINERS for w in words):
        return None
    return label


# A one-word name after "the" and a common noun ("The union Unia said"): the noun says
# what the name is, so the single capitalised word names the speaker.
_APPOSED = re.compile(r"\b[Tt]he\s+[a-z][\w-]+\s+([A-Z][\w'’-]+)\b(?!\s+[A-Z])")
_ONE_NAME = re.compile(r"[A-Z][\w'’-]+")


# A name right after "of", "from" or "vom" is where the speaker comes from ("Dr Priya
# Raman of the Alpine Research Centre spoke"), not who speaks.
_AFFILIATION = re.compile(r"\b(?:of|from|at|vom|von|aus)(?:\s+(?:the|der|dem|den))?\s+$")


def _names(text: str) -> list[re.Match[str]]:
    found = []
    for match in _NAME_RE.finditer(text):
        words = match.group().split()
        while words and words[0].lower() in _DETERMINERS:
            words.pop(0)
        if len(words) >= 2:
            found.append(match)
    for match in _APPOSED.finditer(text):
        name = _ONE_NAME.match(text, match.start(1))
        if name is not None and not any(m.start() <= name.start() < m.end() for m in found):
            found.append(name)
    return sorted(found, key=lambda m: m.start())


def _speaker_match(text: str) -> tuple[str, re.Match[str], re.Match[str]] | None:
    """The name nearest to a speech verb in one sentence, outside its quotation marks, with
    the name's and the verb's matches."""
    outside = _outside_quotes(text)
    best: tuple[int, str, re.Match[str], re.Match[str]] | None = None
    bracketed = [(m.start(), m.end()) for m in _BRACKETED.finditer(outside)]
    names = [
        n
        for n in _names(outside)
        if not _AFFILIATION.search(outside, 0, n.start())
        and not any(a <= n.start() < b for a, b in bracketed)
    ]
    for verb in _VERB.finditer(outside):
        for name in names:
            words = name.group().split()
            while words[0].lower() in _DETERMINERS:
                words.pop(0)
            gap = (
                verb.start() - name.end()
                if name.end() <= verb.start()
                else name.start() - verb.end()
            )
            if 0 <= gap <= 60 and (best is None or gap < best[0]):
                best = (gap, " ".join(words), name, verb)
    return best[1:] if best else None


# A colon right before a quotation: the words before it introduce the speaker
# ("Statement by Ines Kovač, Environment Minister, to parliament: 'The wind farms ...'").
_INTRODUCES = re.compile(r":\s*[\"“„«]")
# Names after these are where the speaker comes from ("of the dockworkers' union",
# "Direktorin des Stadtmuseums Hollbrück"); "von" and "by" name whose words follow ("Aus
# dem Grußwort von Carola Weißgerber:").
_FROM = re.compile(
    r"\b(?:of|from|at|for|für|vom|aus|des|der|am|beim)(?:\s+(?:the|der|dem|den))?\s+$"
)


def _introduced_speaker(text: str) -> str | None:
    """The person the words before a colon introduce, when a quotation follows the colon
    and no speech verb names the speaker: the name nearest the colon ("Erklärung der
    Fraktionsvorsitzenden der Wählergemeinschaft Bürger für Rohrbach, Anja Felber, vom
    Donnerstag:"), not a role ("Environment Minister") nor where the speaker comes from.
    An organisation's statement ("Statement from Marlow & Pike:") names no one."""
    outside = _outside_quotes(text)
    colon = next((m for m in _INTRODUCES.finditer(text) if outside[m.start()] == ":"), None)
    if colon is None:
        return None
    before = text[: colon.start()]
    for name in reversed(_names(before)):
        words = name.group().split()
        while words and words[0].lower() in _DETERMINERS:
            words.pop(0)
        if _FROM.search(before, 0, name.start()) or person(words[-1]).role_only:
            continue
        if person(" ".join(words)).surname:
            return " ".join(words)
    return None


def sentence_speaker(text: str) -> str | None:
    """The name nearest to a speech verb in one sentence, outside its quotation marks."""
    found = _speaker_match(text)
    return found[0] if found else None


def _quoted(text: str) -> list[bool]:
    """Per character: inside a quotation. A quotation may run over several sentences
    („…. …“); a blank line ends any that is left open."""
    inside = [False] * len(text)
    opened: str | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and text[i + 1 : i + 2] == "\n":
            opened = None
        if ch in _QUOTES:
            if opened is None and ch != "”":
                opened = ch
            elif opened is not None:
                opened = None
            continue
        inside[i] = opened is not None
    return inside


# Words after the speech verb, before the quotation, that make an indirect statement.
_INDIRECT_WORDS = 3


def _reported_clause_said(
    text: str, start: int, end: int, quoted: list[bool], spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The reporting spans of a sentence that quotes, without the indirect statement that
    follows its speech verb: in 'X said the comet will be visible from 20 March, "weather
    permitting"' the comet clause is X's words too, not the report's."""
    found = _speaker_match(text[start:end])
    if found is None:
        return spans
    _, name, verb = found
    if name.end() > verb.start():
        return spans
    clause_start = start + verb.end()
    clause_end = clause_start
    while clause_end < end and not quoted[clause_end]:
        clause_end += 1
    if len(_CLAUSE_END.split(text[clause_start:clause_end])[0].split()) < _INDIRECT_WORDS:
        return spans
    out = []
    for a, b in spans:
        if b <= clause_start or a >= clause_end:
            out.append((a, b))
            continue
        out += [(x, y) for x, y in ((a, clause_start), (clause_end, b)) if x < y]
    return out


def _frame(text: str, start: int, end: int, quoted: list[bool]) -> tuple[tuple[int, int], ...]:
    """The reporting words of one sentence, not the speaker's: all that stands outside the
    quotation in a sentence that quotes, else the speaker's name, role words and speech
    verb ("city treasurer Nina Vogel said")."""
    if any(quoted[start:end]):
        spans, begin = [], None
        for i in range(start, end + 1):
            outside = i < end and not quoted[i]
            if outside and begin is None:
                begin = i
            elif not outside and begin is not None:
                spans.append((begin, i))
                begin = None
        return tuple(_reported_clause_said(text, start, end, quoted, spans))
    found = _speaker_match(text[start:end])
    if found is None:
        return ()
    _, name, verb = found
    first = start + name.start()
    before = text[max(start, first - _ROLE_REACH) : first]
    for word in reversed(_CLAUSE_END.split(before)[-1].split()[-_ROLE_WORDS:]):
        if not person(word).role_only:
            break
        first = text.rindex(word, start, first)
    return ((first, start + name.end()), (start + verb.start(), start + verb.end()))


def _outside_quotes(text: str) -> str:
    """The sentence with quoted stretches blanked (same length), so names in a quote are
    not taken for its speaker."""
    chars = list(text)
    inside = False
    for i, ch in enumerate(text):
        if ch in _QUOTES:
            inside = not inside
            continue
        if inside:
            chars[i] = " "
    return "".join(chars)


def introductions(text: str) -> list[tuple[Person, str]]:
    """Each person the text names together with a role ("Spokesperson John Kirby", "John
    Kirby, State Department spokesman", "city treasurer Nina Vogel"), with that name."""
    found = []
    for match in _names(text):
        before = text[max(0, match.start() - _ROLE_REACH) : match.start()]
        after = text[match.end() : match.end() + _ROLE_REACH]
        near = _CLAUSE_END.split(before)[-1].split()[-_ROLE_WORDS:]
        if after.startswith(","):
            near += _CLAUSE_END.split(after[1:])[0].split()[:_ROLE_WORDS]
        named = person(match.group())
        who = Person(named.names, named.surname, named.roles | person(" ".join(near)).roles)
        if who.surname and who.roles:
            found.append((who, match.group()))
    return found


def _resolved(label: str, introduced: list[tuple[Person, str]]) -> str:
    """A label that gives only a role ("SPOKESPERSON"), read as the one person the text
    introduces with that role; any other label as it stands."""
    said = person(label)
    if not said.role_only:
        return label
    named = {who.surname: name for who, name in introduced if who.roles & said.roles}
    return f"{label} ({named.popitem()[1]})" if len(named) == 1 else label


def quotation_marks(text: str) -> str:
    """The text with each single quotation mark that opens or closes a quotation written
    as a double one (same length, so every offset stays): the rules read one kind. A line
    ends a single-quoted quotation left open (an apostrophe taken for an opening)."""
    chars = list(text)
    opened: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n":
            opened = None
        if ch not in _SINGLE:
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else "\n"
        if opened is None:
            if before in _OPENS_AFTER and after.isalnum():
                opened = i
        elif before in _CLOSE_AFTER or (
            before.isalnum() and after in _CLOSE_BEFORE and after not in " \t"
        ):
            chars[opened] = chars[i] = '"'
            opened = None
    return "".join(chars)


def source_sentences(text: str) -> list[SourceSentence]:
    """Sentences of every line, transcript labels cut off, with speakers where known.

    A speaker carries over to a sentence that names none when it continues an open
    quotation, is itself quoted, says "she added", or follows a header line or label that
    introduced the speaker; a plain narrative sentence has no speaker.
    """
    sentences: list[SourceSentence] = []
    text = quotation_marks(text)  # offsets stay: only the marks change
    introduced = introductions(text)
    speaker: str | None = None
    from_header = False  # the speaker came from a label or a header line
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not line.strip():
            continue
        label = _LABEL.match(text, start, end)
        named = _label_speaker(label.group("label")) if label is not None else None
        if label is not None and named is not None:
            speaker, from_header = _resolved(named, introduced), True
            sentences += [
                SourceSentence(len(sentences) + k, a, b, speaker)
                for k, (a, b) in enumerate(split_sentences(text, label.end(), end))
            ]
            continue
        open_quote = False
        for a, b in split_sentences(text, start, end):
            chunk = text[a:b]
            said = sentence_speaker(chunk) or _introduced_speaker(chunk)
            if said:
                speaker, from_header = said, False
            elif not (
                from_header
                or open_quote
                or _PRONOUN_SPEECH.search(chunk)
                or any(q in chunk for q in _QUOTES)
            ):
                speaker = None
            sentences.append(SourceSentence(len(sentences), a, b, speaker))
            open_quote ^= sum(chunk.count(q) for q in _QUOTES) % 2 == 1
        if line.rstrip().endswith(":") and speaker is not None:
            from_header = True
    quoted = _quoted(text)
    return [replace(s, frame=_frame(text, s.start, s.end, quoted)) for s in sentences]
