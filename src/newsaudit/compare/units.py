"""What in an article is compared with a source: its quotes and speaker-attributed claims.

The pipeline's quotes analyzer finds who says what; a claim it attributed to a source and
that no quote covers is a unit too, and so is a statement that a reporting sentence gives
to a named person where the tagger found none ("Das sagte X.", "..., wie X ankündigte",
"X bezifferte die Kosten auf ..."). Each unit keeps the sentences around it, because the
outlet's own words there ("sprach eine direkte Drohung aus") frame the speaker's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsaudit.compare import lexicon as lx
from newsaudit.compare.figures import figures
from newsaudit.compare.text import tokenize
from newsaudit.report.model import Quote, Report, Span

_TRIM = " \t\n\"'“”„‟«»‹›‘’‚,.;:–—-"
# A message the quote tagger starts inside the reporting clause ("sagte am |Freitag, die
# Preise ...") begins at the clause break within this many words.
_LEAD_WORDS = 3
_LEAD_BREAK = re.compile(r"[,:]\s")
# How far (characters) free indirect speech may follow the cued quote it continues.
_CONTINUE_REACH = 200
# Cues that sit inside the reported clause ("ist nach Angaben der Feuerwehr ein Schaden
# entstanden"): the whole message is the statement.
_INNER_CUES = frozenset("nach laut zufolge demnach gemäß according".split())
# Words that say where a statement comes from, not who makes it ("nach Angaben der
# Feuerwehr"), and pronouns: neither names a speaker by itself.
_NOT_SPEAKERS = frozenset(
    "angaben einschätzung einschätzungen informationen worten aussage aussagen auskunft "
    "ansicht auffassung darstellung schätzung schätzungen mitteilung bericht berichten "
    "er sie es he she they it".split()
)
# Reporting verbs of a sentence that gives a statement to a named person.
_REPORTING = (
    r"sagte|sagt|erklärte|erklärt|betonte|betont|kündigte|kündigt|teilte|teilt|bezifferte|"
    r"beziffert|nannte|nennt|warnte|warnt|versprach|verspricht|räumte|räumt|bestätigte|"
    r"bestätigt|berichtete|berichtet|schätzte|schätzt|erläuterte|unterstrich|bekräftigte|"
    r"ergänzte|meinte|verkündete|ankündigte|mitteilte|einräumte|sagten|erklärten|"
    # verbs that label the speech act ("X wetterte gegen ..."): what follows is still the
    # statement the outlet gives X, and the label is the speech-act detector's to judge
    r"wetterte|drohte|kritisierte|forderte|verlangte|beklagte|lobte|versicherte|"
    r"verteidigte|verweigerte|attackierte|schimpfte|prognostizierte|bezeichnete|gestand|"
    r"behauptete|beteuerte|bestritt|dementierte|unterstellte|prahlte"
)
# "Das sagte X ...", "Das hat X mitgeteilt": the sentence before is the statement.
_PARTICIPLES = r"gesagt|erklärt|mitgeteilt|angekündigt|bestätigt|betont|berichtet"
_ANAPHORIC = re.compile(
    rf"(?:Das|Dies|Dies alles|So)\s+(?:(?:{_REPORTING})\b|ha(?:t|ben)\b"
    rf"(?=[^.]{{0,100}}\b(?:{_PARTICIPLES})\b))"
)
# "..., wie X ankündigte.": the clause before is the statement.
_AS_SAID = re.compile(rf",\s+wie\s+(?P<who>[^,.;:]{{3,120}}?)\s+(?:{_REPORTING})\b")
_VERB = re.compile(rf"\b(?:{_REPORTING})\b")
# "..., kündigte Direktorin X an.": the reporting clause last in its sentence, its verb
# first and a particle closing it; the clause before is the statement.
_LATE_CUE = re.compile(
    rf",\s+(?:{_REPORTING})\s+(?P<who>[^,.;:]{{3,120}}?)\s+(?:an|mit|hinzu|ein|zu)\s*[.!?]?\s*$"
)
# A source given in a phrase of the sentence ("nach Angaben der Feuerwehr", "laut Polizei").
_ACCORDING = re.compile(
    r"\b(?:nach (?:Angaben|Einschätzung|Auskunft|Worten|Darstellung|Aussage)|[Ll]aut)\b"
)


@dataclass(frozen=True)
class Unit:
    """One statement the article attributes to a speaker: its span, the sentences it sits
    in, and the speaker and cue spans where the quotes analyzer found them."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int
    origin: str  # "quote", "claim", or "figure"/"outlet" (a sentence outside every unit)
    speaker: str | None = None
    designation: str | None = None  # the article's words for the speaker, roles included
    speaker_span: tuple[int, int] | None = None
    cue_span: tuple[int, int] | None = None
    direct: bool = False
    # free indirect speech right after a cued quote of the same speaker ("..., sagte X.
    # Schuld sei ..."): attributed as explicitly as that quote
    continues: bool = False


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _clause_start(text: str, start: int, end: int) -> int:
    """Where the reported words begin: after the reporting clause's last words when the
    tagger's message starts in the middle of that clause."""
    before = text[:start].rstrip()
    if not before or not before[-1].isalnum():
        return start
    lead = _LEAD_BREAK.search(text, start, end)
    if lead is None or len(text[start : lead.start()].split()) > _LEAD_WORDS:
        return start
    return lead.end()


def _around_cue(text: str, quote: Quote, start: int, end: int) -> tuple[int, int]:
    """The reported words when the tagger's message runs over the reporting clause: before
    the cue after a comma ("..., sagte die Ingenieurin Anna Holm am Dienstag"), after the
    speaker's comma when the clause comes first ("In der Debatte sagte X, ohne ..."), the
    whole message when the cue is a preposition inside it ("nach Angaben der Feuerwehr")."""
    cue = quote.cue
    if cue is None or not start < cue.start < end:
        return start, end
    if cue.text.lower() in _INNER_CUES:
        return start, end
    if not text[start : cue.start].rstrip().endswith((",", ":", "–", "—")):
        after = quote.speaker.end if quote.speaker is not None else cue.end
        lead = _LEAD_BREAK.search(text, max(after, cue.end), end)
        if lead is not None and len(text[lead.end() : end].split()) >= _LEAD_WORDS:
            return lead.end(), end
    return start, cue.start


# ", wie" opening the reporting clause of a cue that follows ("..., wie X auf der
# Versammlung mitteilte").
_AS_SAID_OPEN = re.compile(r",\s+wie\s")


def _before_as_said(text: str, quote: Quote, start: int, end: int) -> int:
    """Where the reported words end when the tagger's message runs into ", wie X ..." and
    that clause runs on, without a break, to the cue after the message."""
    cue = quote.cue
    if cue is None or cue.start < end:
        return end
    for match in _AS_SAID_OPEN.finditer(text, start, end):
        if not re.search(r"[,.;:!?]", text[match.end() : cue.start]):
            return match.start()
    return end


def message_span(text: str, quote: Quote) -> tuple[int, int]:
    """The words a quote reports, without the reporting clause the tagger's message may
    run over: what the outlet attributes, as opposed to its own words around it."""
    start = _clause_start(text, quote.message.start, quote.message.end)
    start, end = _around_cue(text, quote, start, quote.message.end)
    return _trimmed(text, start, _before_as_said(text, quote, start, end))


def _speaker(report: Report, quote: Quote) -> tuple[str | None, str | None]:
    """(name, designation) of a quote's speaker when the words show a person: a person's
    name, a role ("Sprecher"), or a pronoun the tagger resolved to a person; "Die Löhne
    steigen demnach" and "nach Angaben der Feuerwehr" name nobody."""
    if quote.speaker is None:
        return quote.speaker_name, None
    designation = quote.speaker.text
    words = designation.lower().split()
    persons = [e for e in report.entities if e.label == "PER"]
    named = any(e.start < quote.speaker.end and quote.speaker.start < e.end for e in persons)
    clusters = {c.id for c in report.entity_clusters if c.label == "PER"}
    if named or quote.speaker_cluster in clusters:
        return quote.speaker_name or designation, designation
    if any(w in _NOT_SPEAKERS for w in words):
        return None, None
    organisations = [e for e in report.entities if e.label == "ORG"]
    if any(e.start < quote.speaker.end and quote.speaker.start < e.end for e in organisations):
        # a named company or party speaks as one ("teilte der Uhrenhersteller X mit")
        return quote.speaker_name or designation, designation
    if not any(lx.roles_of(w) for w in words):
        return None, None
    return quote.speaker_name or designation, designation


# At most this many words before a reported message, with no break, are its own opening
# words when the reporting clause follows it.
_OPENING_WORDS = 6


def _sentence_opening(report: Report, quote: Quote, start: int, end: int) -> int:
    """Where an indirect message starts when the tagger starts it a few words into its
    sentence and the reporting clause comes after it ("An den Grundschulen der Stadt fällt
    ... aus, erklärte X": the tagger's message starts at "Grundschulen")."""
    if quote.kind == "direct" or quote.cue is None or quote.cue.start < end:
        return start
    sentence = next((s for s in report.sentences if s.start <= start < s.end), None)
    if sentence is None:
        return start
    lead = report.text[sentence.start : start]
    if (
        not lead.strip()
        or len(lead.split()) > _OPENING_WORDS
        or re.search(r"[,;:.!?\"“”„«»–—]", lead)
    ):
        return start
    return _trimmed(report.text, sentence.start, end)[0]


def _sentence_range(report: Report, start: int, end: int) -> tuple[int, int]:
    inside = [s for s in report.sentences if s.start < end and s.end > start]
    if not inside:
        return start, end
    return min(s.start for s in inside), max(s.end for s in inside)


def article_units(report: Report) -> list[Unit]:
    text = report.text
    units: list[Unit] = []
    anaphoric = [s for s in report.sentences if _ANAPHORIC.match(text, s.start, s.end)]
    cued: Quote | None = None  # the last quote with a cue, or continuing one
    for quote in report.quotes:
        continues = (
            quote.cue is None
            and cued is not None
            and cued.speaker_name == quote.speaker_name
            and quote.start - cued.end <= _CONTINUE_REACH
        )
        cued = quote if quote.cue is not None or continues else None
        if any(s.start <= quote.message.start < s.end for s in anaphoric):
            continue  # the tagger's message in "Das sagte X am Montag in Y" is the frame
        start, end = message_span(text, quote)
        start = _sentence_opening(report, quote, start, end)
        if end - start < 3:
            continue
        speaker, designation = _speaker(report, quote)
        units.append(
            Unit(
                start,
                end,
                *_sentence_range(report, quote.start, quote.end),
                origin="quote",
                speaker=speaker,
                designation=designation,
                speaker_span=(quote.speaker.start, quote.speaker.end)
                if quote.speaker and designation
                else None,
                cue_span=(quote.cue.start, quote.cue.end) if quote.cue else None,
                direct=quote.kind == "direct",
                continues=continues,
            )
        )
    for claim in report.claims:
        if claim.attribution != "source":
            continue
        if any(s.start <= claim.start < s.end for s in anaphoric):
            continue  # the reporting words of "Das sagte X am Montag"
        start, end = _trimmed(text, claim.start, claim.end)
        if any(u.start < end and start < u.end for u in units) or end - start < 3:
            continue
        if any(_within(span, start, end) for u in units for span in (u.cue_span, u.speaker_span)):
            continue  # "Das sagte Bürgermeister Dieter Mahnke.": the report of a unit
        units.append(
            Unit(
                start,
                end,
                *_sentence_range(report, start, end),
                origin="claim",
                speaker=claim.attributed_name,
            )
        )
    _add_apart(units, _reported(report))
    units.sort(key=lambda u: u.start)
    _add_apart(units, _pronoun_subjunctive(report, units))
    return sorted(units, key=lambda u: u.start)


def figure_units(report: Report, units: list[Unit]) -> list[Unit]:
    """The sentences outside every unit, but those that report a unit ("Das sagte X."):
    "Im selben Zeitraum baute das Unternehmen 410 Stellen ab." next to the finance chief's
    quote states her figure without naming her again, and a lead ("Der Hafen wird den
    Nachtbetrieb einstellen.") retells the source without naming anyone. Origin "figure"
    when the sentence gives a figure, else "outlet". Only their figures, hedges,
    conditions and scope are compared: an article compared with a source takes its facts
    from it, but the outlet's own sentences need not say what a speaker said."""
    text = report.text
    found = []
    for sentence in report.sentences:
        start, end = _trimmed(text, sentence.start, sentence.end)
        if any(u.start < end and start < u.end for u in units) or end - start < 3:
            continue
        if any(_within(span, start, end) for u in units for span in (u.cue_span, u.speaker_span)):
            continue  # "Das sagte Bürgermeister Dieter Mahnke.": the report of a unit
        origin = "figure" if figures(tokenize(text, start, end), text) else "outlet"
        found.append(Unit(start, end, sentence.start, sentence.end, origin=origin))
    return found


def _within(span: tuple[int, int] | None, start: int, end: int) -> bool:
    return span is not None and start <= span[0] and span[1] <= end


def _add_apart(units: list[Unit], more: list[Unit]) -> None:
    """Add each of ``more`` that overlaps no unit found before (those read more reliably)."""
    for unit in more:
        if not any(u.start < unit.end and unit.start < u.end for u in units):
            units.append(unit)


# "Er"/"Sie" and a verb in the first subjunctive ("Sie vermute", "Er habe"): after them
# the stem-plus-e form is no first person, so the sentence reports the speaker's words.
_PRONOUN_SUBJUNCTIVE = re.compile(r"(?:Er|Sie)\s+(?:sei|[a-zäöüß]{2,}e)\b")
# Words ending in -e that are no verb after the pronoun ("Sie alle", "Er ohne").
_NOT_SUBJUNCTIVE = frozenset("alle beide selbe ohne gerne eine keine diese jene".split())


# Third-person forms of the first subjunctive that no indicative shares (but for the
# first person, which the sentence must not hold): the mood of reported speech.
_SUBJUNCTIVE_I = re.compile(
    r"\b(?:sei|seien|könne|müsse|solle|wolle|dürfe|gebe|bestehe|liege|komme|gehe|bleibe|"
    r"stehe|fehle|brauche|wisse|habe|werde)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:ich|wir|Ich|Wir)\b")


def _reports_speech(text: str, start: int, end: int) -> bool:
    """Whether a sentence reads as reported speech by its mood: a pronoun and a first
    subjunctive ("Sie vermute eine Bande hinter der Tat."), or a first subjunctive
    anywhere ("Beim derzeitigen Wasserstand bestehe die Gefahr ...") in a sentence with
    no first person, no quotation and no question."""
    match = _PRONOUN_SUBJUNCTIVE.match(text, start, end)
    if match is not None and match.group().split()[1] not in _NOT_SUBJUNCTIVE:
        return True
    sentence = text[start:end]
    return (
        bool(_SUBJUNCTIVE_I.search(sentence))
        and not _FIRST_PERSON.search(sentence)
        and not any(q in sentence for q in '"“”„«»?')
    )


def _pronoun_subjunctive(report: Report, units: list[Unit]) -> list[Unit]:
    """Free indirect speech the quote tagger misses: a sentence in the first subjunctive
    ("Sie vermute eine Bande hinter der Tat.", "Beim derzeitigen Wasserstand bestehe die
    Gefahr ...") right after a statement the article explicitly gives to a speaker, who is
    then its speaker too."""
    text = report.text
    found = []
    for sentence in report.sentences:
        if not _reports_speech(text, sentence.start, sentence.end):
            continue
        before = [u for u in units if u.end <= sentence.start]
        if not before:
            continue
        last = before[-1]
        if (
            not last.speaker
            or (last.cue_span is None and not last.continues)
            or sentence.start - last.sentence_end > _CONTINUE_REACH
        ):
            continue
        start, end = _trimmed(text, sentence.start, sentence.end)
        found.append(
            Unit(
                start,
                end,
                sentence.start,
                sentence.end,
                origin="claim",
                speaker=last.speaker,
                designation=last.designation,
                continues=True,
            )
        )
    return found


def _reported(report: Report) -> list[Unit]:
    """Statements a reporting sentence gives to a named person: the sentence before "Das
    sagte X", the clause before ", wie X ankündigte", what follows "X bezifferte", or a
    sentence "nach Angaben" or "laut" someone."""
    text = report.text
    persons = [e for e in report.entities if e.label == "PER"]
    sentences = report.sentences
    units = []
    for k, sentence in enumerate(sentences):
        bounds = (sentence.start, sentence.end)
        inside = [e for e in persons if sentence.start <= e.start and e.end <= sentence.end]
        according = _ACCORDING.search(text, *bounds)
        if according is not None:
            units.append(_according(text, bounds, according, inside))
            continue
        if not inside:
            continue
        if (frame := _ANAPHORIC.match(text, *bounds)) and k > 0:
            who, before = inside[0], sentences[k - 1]
            said = (before.start, before.end)
            units.append(
                _unit(text, said, (before.start, sentence.end), (frame.end(), who.end), who, frame)
            )
            continue
        late = _LATE_CUE.search(text, *bounds)
        if late is not None and (unit := _before_cue(text, bounds, late, inside)) is not None:
            units.append(unit)
            continue
        wie = _AS_SAID.search(text, *bounds)
        if wie is not None:
            if (unit := _before_cue(text, bounds, wie, inside)) is not None:
                units.append(unit)
            continue
        for who in inside:
            verb = _VERB.match(text, who.end + 1, sentence.end)
            if verb is not None and text[who.end : verb.start()] == " ":
                clause = text.rfind(", ", sentence.start, who.start)
                named = (clause + 2 if clause >= 0 else sentence.start, who.end)
                units.append(_unit(text, (verb.end(), sentence.end), bounds, named, who, verb))
                break
    return [u for u in units if u.end - u.start >= 3]


def _before_cue(
    text: str, bounds: tuple[int, int], cue: re.Match[str], persons: list[Span]
) -> Unit | None:
    """The words before a cue that closes the sentence (", wie X ankündigte", ",
    kündigte X an."), from the sentence start or a colon, said by the person the cue names;
    None when it names no person."""
    who = next((e for e in persons if cue.start("who") <= e.start < cue.end()), None)
    if who is None:
        return None
    colon = text.rfind(": ", bounds[0], cue.start())
    said = (colon + 2 if colon >= 0 else bounds[0], cue.start())
    return _unit(text, said, bounds, (cue.start("who"), who.end), who, cue)


def _according(
    text: str, bounds: tuple[int, int], phrase: re.Match[str], persons: list[Span]
) -> Unit:
    """A sentence with its source in a phrase ("ist nach Angaben der Feuerwehr ein Schaden
    entstanden", "laut Sprecherin Eva Roth"): the person named there speaks, else nobody."""
    colon = text.rfind(": ", bounds[0], phrase.start())
    start, end = _trimmed(text, colon + 2 if colon >= 0 else bounds[0], bounds[1])
    who = next((e for e in persons if phrase.start() <= e.start <= phrase.end() + 40), None)
    designation = (phrase.end(), who.end) if who is not None else None
    return Unit(
        start,
        end,
        *bounds,
        origin="claim",
        speaker=who.text if who is not None else None,
        designation=text[designation[0] : designation[1]].strip() if designation else None,
        speaker_span=designation,
        cue_span=(phrase.start(), phrase.end()),
    )


def _unit(
    text: str,
    said: tuple[int, int],
    sentences: tuple[int, int],
    designation: tuple[int, int],
    who: Span,
    cue: re.Match[str],
) -> Unit:
    """A unit of a reporting sentence: the words said, the designation of the speaker
    ("der Glaziologe Henrik Aalto"), whose last words are the name, and the verb."""
    start, end = _trimmed(text, *said)
    verb = _VERB.search(text, cue.start(), cue.end()) or cue
    named = text[designation[0] : designation[1]]
    return Unit(
        start,
        end,
        *sentences,
        origin="claim",
        speaker=who.text,
        designation=named,
        speaker_span=designation,
        cue_span=(verb.start(), verb.end()),
    )
