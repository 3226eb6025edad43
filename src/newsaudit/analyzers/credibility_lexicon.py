"""Word lists of the credibility signals, German and English, as whole-word patterns.

WHY transparent lists: each signal must say which words raised it, and a fact-checker must be
able to see why a word counts. The lists are kept narrow (precision first): a word with an
everyday neutral sense only counts in the construction that carries the judgement ("räumte
... ein", "gab ... zu"; "Beamte" only with a country or rank in front, not a named office).
"""

from __future__ import annotations

import re
from functools import cache

# Sources that name nobody who could be asked.
_VAGUE_SOURCES = {
    "de": (
        r"(?:US|EU|UN|Nato|NATO|Pentagon|Regierungs|Geheimdienst|Sicherheits|Militär)-?[Bb]eamte[n]?",
        r"(?i:hochrangige|ranghohe|westliche|amerikanische|russische|anonyme|ungenannte)[nr]? "
        r"(?:Beamte|Regierungsbeamte|Diplomaten|Offizielle|Quellen|Insider|Vertreter)[n]?",
        r"namentlich nicht genannte[nr]? \w+",
        r"(?:aus|in) (?:gut |gewöhnlich gut )?(?:informierten |unterrichteten )?"
        r"(?:Regierungs|Sicherheits|Geheimdienst|Militär|Koalitions|Partei|Diplomaten|Ermittler|"
        r"Verhandlungs|Branchen|Unternehmens|Berliner |Moskauer |Washingtoner )?[Kk]reisen",
        r"(?:(?i:westliche|ausländische|unabhängige|internationale|zahlreiche|viele|einige|"
        r"manche|politische)[n]? )?"
        r"(?:Experten|Expertinnen|Fachleute|Beobachter|Beobachterinnen|Insider|Analysten)",
        r"(?:Berichten|Medienberichten|Gerüchten|Quellen|Insidern) zufolge",
        r"wie es (?:heißt|hieß)",
        r"hieß es (?:aus|in)",
    ),
    "en": (
        r"(?:U\.S\.|US|Western|senior|government|administration|intelligence|unnamed|anonymous)"
        r" officials",
        r"(?:unnamed|anonymous) sources?",
        r"experts|observers|insiders|analysts",
        r"(?:sources|people) familiar with",
        r"according to (?:sources|reports|insiders)",
        r"reportedly",
    ),
}

# Words by which the outlet judges what a source said ("warned" retold as "threatened").
_FRAMING = {
    "de": (
        r"(?:(?:direkte|offene|unverhohlene|klare)[nr]? )?Drohung(?:en)?",
        r"drohte[n]?",
        r"(?:Ein)?[Gg]eständnis(?:ses)?",
        r"gestand(?:en)?",
        r"gab (?:\w+ ){0,3}zu(?=\s*[,.;:])",
        r"zugegeben",
        r"räumte[n]? (?:\w+ ){0,4}ein(?=\s*[,.;:])",
        r"eingeräumt",
        r"behauptete[n]?",
        r"prognostizierte[n]?",
        r"unterstellte[n]?",
        r"polterte[n]?",
        r"tönte[n]?",
        r"wetterte[n]?",
        r"prahlte[n]?",
        r"jammerte[n]?",
        r"schwadronierte[n]?",
    ),
    "en": (
        r"(?:(?:direct|open|veiled) )?threats?",
        r"threatened",
        r"admitted|admission",
        r"conceded",
        r"confessed|confession",
        r"claimed",
        r"boasted|ranted|bragged",
    ),
}

# The outlet's own conclusions: "This step clearly shows that ...".
_CONCLUSIONS = {
    "de": (
        r"(?:Dies|Das|Dieser \w+|Diese \w+|Dieses \w+) (?:zeigt|beweist|belegt|verdeutlicht)"
        r"(?: \w+){0,2}?,? dass",
        r"(?:zeigt|beweist|belegt|macht) (?:deutlich|klar|eindeutig|einmal mehr)(?: \w+)?,? dass",
        r"Es ist (?:doch |nun |also )?(?:klar|offensichtlich|offenkundig|eindeutig|erwiesen)"
        r",? dass",
        r"Fakt ist|Tatsache ist|in Wahrheit|ohne jeden Zweifel|zweifellos",
    ),
    "en": (
        r"(?:This|That|It) (?:clearly |plainly )?(?:shows|proves|demonstrates),? that",
        r"(?:clearly|plainly) (?:shows|proves|demonstrates),? that",
        r"[Ii]t is (?:clear|obvious|evident),? that",
        r"the truth is|undoubtedly|without (?:a|any) doubt",
    ),
}

# Headline words that sell rather than tell.
_CLICKBAIT = {
    "de": (
        r"unglaublich\w*|schock\w*|skandal\w*|enthüllt|sensation\w*|Wahnsinn",
        r"Sie werden nicht glauben|was (?:\w+ ){0,3}verschweig\w+|das steckt dahinter",
        r"die Wahrheit über|so (?:\w+ ){0,2}(?:wirklich|tatsächlich)",
        r"Lügen\w*|Lügner\w*|Verrat|Irrsinn\w*|Horror\w*",
    ),
    "en": (
        r"shocking|unbelievable|outrage\w*|scandal\w*|exposed|bombshell",
        r"you won'?t believe|what they (?:don'?t|do not) want you to know|the truth about",
        r"lies|liars?|insane|horror",
    ),
}


def _compile(
    patterns: dict[str, tuple[str, ...]], language: str | None, flags: int
) -> re.Pattern[str]:
    chosen = patterns.get(language or "") or tuple(p for ps in patterns.values() for p in ps)
    return re.compile(r"(?<![\w-])(?:" + "|".join(chosen) + r")(?![\w-])", flags)


@cache
def vague_sources(language: str | None) -> re.Pattern[str]:
    return _compile(_VAGUE_SOURCES, language, 0)


@cache
def framing(language: str | None) -> re.Pattern[str]:
    return _compile(_FRAMING, language, 0)


@cache
def conclusions(language: str | None) -> re.Pattern[str]:
    return _compile(_CONCLUSIONS, language, 0)


@cache
def clickbait(language: str | None) -> re.Pattern[str]:
    return _compile(_CLICKBAIT, language, re.IGNORECASE)
