"""Is a tagged speaker run someone a fact-checker can look up, and which words name them?

The quote tagger marks speaker tokens one by one, so its runs carry stray words ("der",
"Schätzung", "dem 19. April", "Rennen" in "sagte nach dem Rennen"). A speaker is kept only
as one of three kinds:

- ``name``: the run holds a person or organisation the entities analyzer found, or a name
  the article quotes repeatedly;
- ``pronoun``: a personal pronoun ("er", "sie"), resolved later to the person before it;
- ``role``: a phrase whose head names a person, group or organisation ("ein Sprecher des
  Ministeriums", "Experten", "die Verwaltung").

Everything else is not a speaker. A run headed by a noun that only introduces a source
("Angaben der Verwaltung", "einer Schätzung von Händlern", "Triendls Fazit") speaks through
its complement, or not at all. Runs are also cut to the phrase: leading adverbs and
prepositions ("auch", "In") and trailing words after it ("vergangene Woche", "und",
"seinen Jahresumsatz") go.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Pos = tuple[int, int]
SpeakerKind = Literal["name", "pronoun", "role"]

PERSONAL_PRONOUNS = frozenset("er sie ich wir ihr du he she they i we".split())
_DETERMINERS = frozenset(
    "der die das des dem den ein eine einer eines einem einen the a an".split()
)
_POSSESSIVES = frozenset(
    "mein meine meinen meinem meiner unser unsere unseren unserem unserer sein seine "
    "seinen seinem seiner ihre ihren ihrem ihrer his her their our my".split()
)
# Words that may continue a phrase after its head: genitive articles and prepositions of
# affiliation ("Sprecherin des Ministeriums für Gesundheit", "Forscher der Universität").
_COMPLEMENT = frozenset("der des von vom für einer eines of for at".split())
_AND = frozenset("und and sowie".split())
# Nouns that introduce a source without being it: "(nach) Angaben der Verwaltung",
# "einer Schätzung von Händlern", "Triendls Fazit", "die Pressemitteilung des Amtes".
# Compounds count by their last part ("Polizeiangaben", "Unbedenklichkeitserklärung").
_SOURCE_STEMS = tuple(
    """
    angabe information bericht aussage schätzung ansicht wort auffassung darstellung studie
    umfrage analyse mitteilung erklärung erkenntnis fazit meinung überzeugung sicht daten
    zahl statistik prognose berechnung recherche beschluss beitrag interview gespräch
    konferenz nachricht brief schreiben tweet video papier dokument gutachten modell
    rechnung auskunft einschätzung darlegung schilderung version lesart ergebnis zitat
    report study survey estimate figure data statement interview
    """.split()
)
_SOURCE_INFLECTIONS = ("", "n", "en", "e", "s", "es", "se", "sen", "ssen")


def is_source_noun(word: str) -> bool:
    """Does ``word`` name a statement or document rather than who made it?"""
    w = word.lower().rsplit("-", 1)[-1]
    for ending in _SOURCE_INFLECTIONS:
        if ending and not w.endswith(ending):
            continue
        stem = w[: len(w) - len(ending)] if ending else w
        if stem and stem.endswith(_SOURCE_STEMS):
            return True
    return False


# Heads of role phrases: people by what they do, groups and organisations. A compound
# counts when it ends in one ("Gesundheitsministerium", "Atlético-Trainer").
_ROLE_STEMS = tuple(
    """
    sprecher sprecherin minister ministerin präsident präsidentin kanzler kanzlerin chef
    chefin leiter leiterin direktor direktorin experte expertin vorsitzende vorsitzender
    trainer trainerin arzt ärztin ärzte mediziner medizinerin virologe virologin forscher
    forscherin wissenschaftler wissenschaftlerin professor professorin doktor bürgermeister
    bürgermeisterin landrat landrätin politiker politikerin abgeordnete abgeordneter beamte
    beamter beamtin polizist polizistin richter richterin anwalt anwältin anwälte
    journalist journalistin autor autorin kollege kollegin mitarbeiter mitarbeiterin
    vertreter vertreterin inhaber inhaberin händler händlerin wirt wirtin unternehmer
    unternehmerin manager managerin berater beraterin kritiker kritikerin gegner gegnerin
    befürworter befürworterin anhänger anhängerin teilnehmer teilnehmerin bewohner
    bewohnerin einwohner einwohnerin bürger bürgerin nutzer nutzerin kunde kundin patient
    patientin schüler schülerin student studentin lehrer lehrerin eltern mutter vater
    spieler spielerin stürmer torwart torhüter kapitän ermittler ermittlerin staatsanwalt
    staatsanwältin verteidiger verteidigerin kläger klägerin zeuge zeugin aktivist
    aktivistin demonstrant demonstrantin veranstalter veranstalterin organisator sänger
    sängerin künstler künstlerin schauspieler schauspielerin regisseur regisseurin musiker
    musikerin komiker komikerin moderator moderatorin rektor rektorin dekan dekanin gründer
    gründerin besitzer besitzerin betreiber betreiberin eigentümer eigentümerin investor
    ökonom ökonomin analyst analystin beobachter beobachterin diplomat diplomatin
    botschafter botschafterin gesandte general offizier soldat soldatin pfarrer pfarrerin
    bischof papst könig königin premier premierminister senator senatorin gouverneur
    dezernent dezernentin referent referentin sekretär sekretärin epidemiologe
    epidemiologin psychologe psychologin soziologe soziologin jurist juristin vorstand
    angehörige angehöriger angestellte angestellter beschäftigte beschäftigter betroffene
    betroffener befragte verantwortliche verantwortlicher sachverständige jährige jähriger
    länder amerikaner franzose brite italiener spanier russe chinese österreicher schweizer
    deutsche arbeitgeber arbeitnehmer auftraggeber
    mann frau männer frauen leute mitglied mitglieder fans fan kommentator kommentatorin
    regierung verwaltung ministerium behörde polizei partei verband institut gericht
    kommission agentur zeitung sender magazin gewerkschaft konzern unternehmen firma klinik
    klinikum krankenhaus universität hochschule stiftung verein organisation ausschuss
    senat parlament fraktion staatsanwaltschaft kammer bank aufsicht kirche armee militär
    bundeswehr feuerwehr gemeinde kommune städte kabinett opposition gremium amt ämter
    bundesrat stadtrat gemeinderat aufsichtsrat ethikrat betriebsrat beirat bündnis
    spokesman spokeswoman spokesperson official officials expert experts police government
    ministry department agency company researcher researchers scientist scientists doctor
    doctors professor chief director secretary leader lawyer analyst analysts minister
    president senator governor mayor officer spokesmen
    """.split()
)
_INFLECTIONS = ("", "n", "en", "s", "es", "e", "nen", "innen")
_PREPOSITIONS = frozenset(
    "in im bei beim vor nach seit mit aus auf an am zu zum zur gegen über unter um durch "
    "während wegen trotz ab bis laut gemäß zufolge".split()
)
# Words that start a run but not a phrase ("auch Atlético-Trainer Diego Simeone").
_LEADING_JUNK = frozenset(
    "und oder aber auch immerhin zudem außerdem dennoch jedoch nun jetzt heute gestern "
    "bereits dazu weiter erneut später zuvor so selbst sogar allem also doch denn dann da "
    "wie als noch nur schon etwa worüber warum was wer wo wann and but also even so then".split()
)


@dataclass(frozen=True)
class SpeakerPhrase:
    positions: list[Pos]
    kind: SpeakerKind


def capitalised(word: str) -> bool:
    """First letter upper case ("38-Jährige" counts by its "J")."""
    return next((c.isupper() for c in word if c.isalpha()), False)


def is_role_word(word: str) -> bool:
    """Does ``word`` (any case, inflected, a compound) name a person, group or organisation?"""
    w = word.lower().rsplit("-", 1)[-1]
    for ending in _INFLECTIONS:
        if ending and not w.endswith(ending):
            continue
        stem = w[: len(w) - len(ending)] if ending else w
        if stem and any(stem.endswith(s) for s in _ROLE_STEMS):
            return True
    return False


_ROLE_SET = frozenset(_ROLE_STEMS)


def _nounish(word: str) -> bool:
    """Capitalised, or a lower-case role noun as English writes them ("the ministry")."""
    low = word.lower()
    return capitalised(word) or low in _ROLE_SET or low.removesuffix("s") in _ROLE_SET


def _strip_edges(run: list[Pos], words: Sequence[Sequence[str]]) -> list[Pos]:
    """Drop punctuation, adverbs, conjunctions and prepositions before the phrase ("In",
    "auch", "von") and lower-case words after it."""

    def low(p: Pos) -> str:
        return words[p[0]][p[1]].lower()

    while run and (
        not any(c.isalnum() for c in low(run[0]))
        or (len(run) > 1 and (low(run[0]) in _LEADING_JUNK or low(run[0]) in _PREPOSITIONS))
        or (len(run) > 1 and low(run[0]) in ("von", "vom"))
        or (len(run) > 1 and not _may_open_phrase(words[run[0][0]][run[0][1]]))
    ):
        run = run[1:]
    while run and not _nounish(words[run[-1][0]][run[-1][1]]) and low(run[-1]) != ")":
        run = run[:-1]
    return run


_NAME_PARTICLES = frozenset("van de da di al el bin ibn ter ten".split())


def _may_open_phrase(word: str) -> bool:
    """Articles, possessives, capitalised words and inflected adjectives ("spanischen
    Händlern") may open a speaker phrase; a verb or participle ("veröffentlicht") may not."""
    low = word.lower()
    return (
        capitalised(word)
        or low in _DETERMINERS
        or low in _POSSESSIVES
        or low in _NAME_PARTICLES
        or low[:1].isdigit()
        or low.endswith(("e", "en", "er", "es", "em"))
    )


def _starts_noun(run: list[Pos], words: Sequence[Sequence[str]]) -> bool:
    for s, t in run:
        if words[s][t].lower() not in _DETERMINERS:
            return capitalised(words[s][t])
    return False


def _phrase_end(run: list[Pos], words: Sequence[Sequence[str]], head: int) -> list[Pos]:
    """Cut the run where a new phrase starts after the head: "ein Lockdown-Gegner | die
    Uniformierten", "van Laack | seinen Jahresumsatz", "Bhushan | vergangene Woche"."""
    k, depth = head + 1, 0
    while k < len(run):
        word = words[run[k][0]][run[k][1]]
        low = word.lower()
        if word == "(":
            depth += 1
        elif word == ")":
            depth -= 1
        elif depth <= 0 and word != ",":
            if low in _DETERMINERS and low not in _COMPLEMENT:
                break
            if low in _AND and not _starts_noun(run[k + 1 :], words):
                break
            if not _nounish(word) and low not in _COMPLEMENT | _AND and not low[:1].isdigit():
                break
        k += 1
    out = run[:k]
    while out and (
        words[out[-1][0]][out[-1][1]] in (",", "(")
        or words[out[-1][0]][out[-1][1]].lower() in _COMPLEMENT | _AND
    ):
        out = out[:-1]
    return out


def _head(run: list[Pos], words: Sequence[Sequence[str]]) -> int | None:
    """Index (in ``run``) of the last capitalised word of the first capitalised block after
    articles and adjectives: "der Berliner Virologe" -> Virologe."""
    k = 0
    while k < len(run) and (
        not _nounish(words[run[k][0]][run[k][1]])
        or words[run[k][0]][run[k][1]].lower() in _DETERMINERS | _POSSESSIVES
    ):
        k += 1
    if k == len(run):
        return None
    while k + 1 < len(run):
        nxt = words[run[k + 1][0]][run[k + 1][1]]
        if not _nounish(nxt) or nxt.lower() in _DETERMINERS:
            break
        k += 1
    return k


def speaker_phrase(
    run: list[Pos],
    words: Sequence[Sequence[str]],
    is_name: Callable[[list[Pos]], bool],
) -> SpeakerPhrase | None:
    """The usable speaker inside a tagged run, or ``None`` when it names nobody.

    ``is_name`` says whether token positions hold a person or organisation name (an entity
    mention, or a name the article quotes repeatedly).
    """
    run = sorted(run)
    alnum = [p for p in run if any(c.isalnum() for c in words[p[0]][p[1]])]
    if len(alnum) == 1 and words[alnum[0][0]][alnum[0][1]].lower() in PERSONAL_PRONOUNS:
        return SpeakerPhrase(alnum, "pronoun")
    run = _strip_edges(run, words)
    if not run:
        return None
    head = _head(run, words)
    if head is None:
        return None
    block = [k for k in range(head + 1) if _nounish(words[run[k][0]][run[k][1]])]
    source_noun = next((k for k in block if is_source_noun(words[run[k][0]][run[k][1]])), None)
    if source_noun is not None:
        return _through_source_noun(run, source_noun, words, is_name)
    phrase = _phrase_end(run, words, head)
    if not phrase:
        return None
    if is_name(phrase):
        return SpeakerPhrase(phrase, "name")
    if any(is_role_word(words[run[k][0]][run[k][1]]) for k in block):
        return SpeakerPhrase(phrase, "role")
    return None


def _through_source_noun(
    run: list[Pos],
    noun: int,
    words: Sequence[Sequence[str]],
    is_name: Callable[[list[Pos]], bool],
) -> SpeakerPhrase | None:
    """The source behind "Angaben der Verwaltung" / "Triendls Fazit", if the run names one
    (``noun`` is the index of "Angaben" / "Fazit" in ``run``)."""
    rest = run[noun + 1 :]
    if rest:
        found = speaker_phrase(rest, words, is_name)
        if found is not None and found.kind != "pronoun":
            return found
    before = run[:noun]
    if before and capitalised(words[before[-1][0]][before[-1][1]]):
        found = speaker_phrase([before[-1]], words, is_name)
        if found is not None and found.kind == "name":
            return found
    return None


# Endings of German common nouns: a rare compound ("Sprachnachricht", "Umsiedlung") is no
# name.
NOUN_ENDINGS = (
    "ung",
    "ungen",
    "heit",
    "keit",
    "schaft",
    "tion",
    "ität",
    "ismus",
    "nis",
    "tum",
    "ment",
    "ie",
    "ik",
    "nachricht",
    "down",
    "downs",
    "verkehr",
    "verkehrs",
    "diktatur",
)
# Without entities a name is only guessed from how rare its last word is in general
# language: "Berger" (Zipf 4.0) passes, "Saison" (5.1) and "Verwaltung" (4.7) do not.
GUESSED_NAME_MAX_ZIPF = 4.2


def looks_like_name(phrase: Sequence[str], language: str | None = "de") -> bool:
    """Does the phrase end in a capitalised word that general language rarely uses and that
    is no role, source or common noun ("Anna Berger")?"""
    from newsaudit.nlp.frequency import zipf

    caps = [w for w in phrase if capitalised(w)]
    if not caps:
        return False
    last = caps[-1].lower()
    return (
        not is_role_word(last)
        and not is_source_noun(last)
        and not last.endswith(NOUN_ENDINGS)
        and zipf(last, language or "de") < GUESSED_NAME_MAX_ZIPF
    )
