"""Readable names, in English and German, for the identifiers a Report carries.

Reports store the benchmark identifiers (``Name_Calling-Labeling``, ``Security_and_defense``);
every renderer shows these names instead, so a reader never meets a raw identifier.
"""

from __future__ import annotations

# SemEval-2023 task 3 techniques, grouped by its six coarse categories; the group decides the
# hue of a technique's colour in the HTML report.
TECHNIQUE_GROUPS: dict[str, tuple[str, ...]] = {
    "attack": (
        "Name_Calling-Labeling",
        "Guilt_by_Association",
        "Doubt",
        "Appeal_to_Hypocrisy",
        "Questioning_the_Reputation",
    ),
    "justification": (
        "Flag_Waving",
        "Appeal_to_Authority",
        "Appeal_to_Popularity",
        "Appeal_to_Values",
        "Appeal_to_Fear-Prejudice",
    ),
    "simplification": (
        "Causal_Oversimplification",
        "False_Dilemma-No_Choice",
        "Consequential_Oversimplification",
    ),
    "distraction": ("Straw_Man", "Red_Herring", "Whataboutism"),
    "call": ("Slogans", "Conversation_Killer", "Appeal_to_Time"),
    "wording": (
        "Loaded_Language",
        "Obfuscation-Vagueness-Confusion",
        "Exaggeration-Minimisation",
        "Repetition",
    ),
}
TECHNIQUES: tuple[str, ...] = tuple(t for group in TECHNIQUE_GROUPS.values() for t in group)

TECHNIQUE_NAMES: dict[str, tuple[str, str]] = {
    "Name_Calling-Labeling": ("Name calling, labelling", "Etikettierung, Beschimpfung"),
    "Guilt_by_Association": ("Guilt by association", "Schuld durch Assoziation"),
    "Doubt": ("Casting doubt", "Zweifel säen"),
    "Appeal_to_Hypocrisy": ("Appeal to hypocrisy", "Heuchelei-Vorwurf"),
    "Questioning_the_Reputation": ("Questioning the reputation", "Rufschädigung"),
    "Flag_Waving": ("Flag waving", "Fahnenschwenken"),
    "Appeal_to_Authority": ("Appeal to authority", "Berufung auf Autorität"),
    "Appeal_to_Popularity": ("Appeal to popularity", "Berufung auf die Mehrheit"),
    "Appeal_to_Values": ("Appeal to values", "Berufung auf Werte"),
    "Appeal_to_Fear-Prejudice": ("Appeal to fear or prejudice", "Angst und Vorurteile schüren"),
    "Causal_Oversimplification": ("Causal oversimplification", "Kausale Vereinfachung"),
    "False_Dilemma-No_Choice": ("False dilemma", "Falsches Dilemma"),
    "Consequential_Oversimplification": ("Slippery slope", "Dammbruch-Argument"),
    "Straw_Man": ("Straw man", "Strohmann"),
    "Red_Herring": ("Red herring", "Ablenkung"),
    "Whataboutism": ("Whataboutism", "Whataboutism"),
    "Slogans": ("Slogans", "Slogans"),
    "Conversation_Killer": ("Conversation killer", "Totschlagargument"),
    "Appeal_to_Time": ("Appeal to time", "Zeitdruck"),
    "Loaded_Language": ("Loaded language", "Emotional aufgeladene Sprache"),
    "Obfuscation-Vagueness-Confusion": ("Obfuscation, vagueness", "Verschleierung, Vagheit"),
    "Exaggeration-Minimisation": ("Exaggeration, minimisation", "Übertreibung, Verharmlosung"),
    "Repetition": ("Repetition", "Wiederholung"),
}

# The 14 frames of the Media Frames Corpus (SemEval-2023 subtask 2).
FRAME_NAMES: dict[str, tuple[str, str]] = {
    "Economic": ("Economy", "Wirtschaft"),
    "Capacity_and_resources": ("Capacity and resources", "Kapazitäten und Ressourcen"),
    "Morality": ("Morality", "Moral"),
    "Fairness_and_equality": ("Fairness and equality", "Fairness und Gleichheit"),
    "Legality_Constitutionality_and_jurisprudence": (
        "Law and constitution",
        "Recht und Verfassung",
    ),
    "Policy_prescription_and_evaluation": ("Policy", "Politische Maßnahmen"),
    "Crime_and_punishment": ("Crime and punishment", "Kriminalität und Strafe"),
    "Security_and_defense": ("Security and defence", "Sicherheit und Verteidigung"),
    "Health_and_safety": ("Health and safety", "Gesundheit und Sicherheit"),
    "Quality_of_life": ("Quality of life", "Lebensqualität"),
    "Cultural_identity": ("Cultural identity", "Kulturelle Identität"),
    "Public_opinion": ("Public opinion", "Öffentliche Meinung"),
    "Political": ("Politics", "Politik"),
    "External_regulation_and_reputation": (
        "International relations and reputation",
        "Internationale Beziehungen und Ansehen",
    ),
}

GENRE_NAMES: dict[str, tuple[str, str]] = {
    "opinion": ("Opinion", "Meinung"),
    "reporting": ("Reporting", "Bericht"),
    "satire": ("Satire", "Satire"),
}

# Credibility.attribution_shares: who is speaking in the article's body.
SHARE_NAMES: dict[str, tuple[str, str]] = {
    "quotes": ("Quoted sources", "Zitierte Quellen"),
    "outlet_assertions": ("The outlet's assertions", "Behauptungen des Mediums"),
    "outlet_opinion": ("The outlet's opinion", "Meinung des Mediums"),
}

# Credibility signals (and the word-use head of the score), as a reader names them.
SIGNAL_NAMES: dict[str, tuple[str, str]] = {
    "unattributed_claims": ("claims without a source", "Behauptungen ohne Quelle"),
    "vague_sources": ("vague sources", "vage Quellen"),
    "named_sources": ("named sources", "namentliche Quellen"),
    "quotes_without_speaker": ("quotes without a speaker", "Zitate ohne Sprecher"),
    "speech_framing": ("judging what sources said", "Wertung von Aussagen"),
    "unsupported_conclusions": ("conclusions without a source", "Schlüsse ohne Quelle"),
    "outlet_opinion": ("the outlet's opinion", "Meinung des Mediums"),
    "persuasion_density": ("persuasion density", "Dichte der Überzeugungstechniken"),
    "headline_emotive": ("emotive headline", "emotionale Überschrift"),
    "exclamations": ("exclamations and capitals", "Ausrufe und Großbuchstaben"),
    "known_narratives": ("known narratives", "bekannte Narrative"),
    "metadata": ("page metadata", "Angaben der Seite"),
    "word_use": ("word use", "Wortwahl"),
}


def _pick(table: dict[str, tuple[str, str]], key: str, language: str) -> str:
    english, german = table.get(key, (key.replace("_", " "), key.replace("_", " ")))
    return german if language == "de" else english


def technique_name(technique: str, language: str = "en") -> str:
    return _pick(TECHNIQUE_NAMES, technique, language)


def frame_name(frame: str, language: str = "en") -> str:
    return _pick(FRAME_NAMES, frame, language)


def genre_name(genre: str, language: str = "en") -> str:
    return _pick(GENRE_NAMES, genre, language)


def share_name(share: str, language: str = "en") -> str:
    return _pick(SHARE_NAMES, share, language)


def signal_name(signal: str, language: str = "en") -> str:
    return _pick(SIGNAL_NAMES, signal, language)
