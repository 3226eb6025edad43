"""Plain-language definitions of the 23 SemEval-2023 persuasion techniques (English, German).

Written for readers of a report, not for annotators: what the text does and why it
persuades without arguing.
"""

from __future__ import annotations

DEFINITIONS: dict[str, tuple[str, str]] = {
    "Appeal_to_Authority": (
        "Treats a claim as true because an expert, institution or famous person says so, "
        "instead of giving the reasons.",
        "Stellt eine Behauptung als wahr hin, weil eine Autorität sie vertritt, statt "
        "Gründe zu nennen.",
    ),
    "Appeal_to_Popularity": (
        "Argues that something is right because many or most people believe or do it.",
        "Behauptet, etwas sei richtig, weil viele oder die meisten es glauben oder tun.",
    ),
    "Appeal_to_Values": (
        "Links a position to values the reader holds dear (freedom, tradition, justice) "
        "to win agreement without evidence.",
        "Verknüpft eine Position mit geschätzten Werten (Freiheit, Tradition, "
        "Gerechtigkeit), um ohne Belege Zustimmung zu gewinnen.",
    ),
    "Appeal_to_Fear-Prejudice": (
        "Builds support by stirring fear, anxiety or prejudice about what will happen "
        "or about a group.",
        "Wirbt um Zustimmung, indem Angst oder Vorurteile gegenüber Folgen oder einer "
        "Gruppe geschürt werden.",
    ),
    "Flag_Waving": (
        "Appeals to patriotism or group identity (nation, party, 'we') to justify a position.",
        "Beruft sich auf Nationalstolz oder Gruppenzugehörigkeit ('wir'), um eine "
        "Position zu rechtfertigen.",
    ),
    "Causal_Oversimplification": (
        "Gives one simple cause for an event that has many causes.",
        "Nennt eine einzige, einfache Ursache für etwas, das viele Ursachen hat.",
    ),
    "False_Dilemma-No_Choice": (
        "Presents only two options (or one) when more exist.",
        "Stellt nur zwei Möglichkeiten (oder eine) dar, obwohl es mehr gibt.",
    ),
    "Consequential_Oversimplification": (
        "Claims that a first step will inevitably lead to a chain of (usually bad) "
        "consequences (slippery slope).",
        "Behauptet, ein erster Schritt führe zwangsläufig zu einer Kette meist schlimmer "
        "Folgen (Dammbruch-Argument).",
    ),
    "Straw_Man": (
        "Replaces the opponent's actual position with a distorted one that is easier to attack.",
        "Ersetzt die Position des Gegners durch eine verzerrte, leichter angreifbare Version.",
    ),
    "Red_Herring": (
        "Distracts from the issue by bringing in an unrelated topic.",
        "Lenkt vom Thema ab, indem ein unzusammenhängendes Thema eingeführt wird.",
    ),
    "Whataboutism": (
        "Deflects criticism by pointing to the critic's or another party's misdeeds.",
        "Weist Kritik zurück, indem auf Verfehlungen des Kritikers oder anderer verwiesen "
        "wird ('Und was ist mit ...?').",
    ),
    "Slogans": (
        "Uses a short, catchy phrase that replaces an argument.",
        "Verwendet eine kurze, einprägsame Parole anstelle eines Arguments.",
    ),
    "Appeal_to_Time": (
        "Pushes for action by claiming that now is the moment (or that it is too late).",
        "Drängt zum Handeln mit der Behauptung, jetzt sei der Moment (oder es sei zu spät).",
    ),
    "Conversation_Killer": (
        "Ends discussion with a phrase that discourages further thought ('that's just how it is').",
        "Beendet die Diskussion mit einer Floskel, die Nachdenken abwürgt ('Das ist halt so').",
    ),
    "Loaded_Language": (
        "Uses emotionally charged words to influence the reader instead of describing neutrally.",
        "Verwendet emotional aufgeladene Wörter, um den Leser zu beeinflussen, statt "
        "neutral zu beschreiben.",
    ),
    "Repetition": (
        "Repeats the same message or phrase so that it sticks and seems true.",
        "Wiederholt dieselbe Botschaft, damit sie hängen bleibt und wahr erscheint.",
    ),
    "Exaggeration-Minimisation": (
        "Makes something seem much bigger or much smaller than it is.",
        "Stellt etwas viel größer oder viel kleiner dar, als es ist.",
    ),
    "Obfuscation-Vagueness-Confusion": (
        "Uses deliberately unclear wording so that readers can read into it what they want.",
        "Formuliert absichtlich unklar, sodass Leser hineinlesen können, was sie wollen.",
    ),
    "Name_Calling-Labeling": (
        "Attaches a label (insulting or praising) to a person or group instead of "
        "discussing what they do.",
        "Klebt einer Person oder Gruppe ein (abwertendes oder lobendes) Etikett auf, statt "
        "ihr Handeln zu erörtern.",
    ),
    "Doubt": (
        "Casts doubt on the credibility of someone or something without showing evidence.",
        "Sät Zweifel an der Glaubwürdigkeit von jemandem oder etwas, ohne Belege zu zeigen.",
    ),
    "Guilt_by_Association": (
        "Discredits someone by linking them to a disliked person, group or idea.",
        "Diskreditiert jemanden, indem er mit einer verhassten Person, Gruppe oder Idee in "
        "Verbindung gebracht wird.",
    ),
    "Appeal_to_Hypocrisy": (
        "Attacks someone as a hypocrite (they do what they criticise) instead of "
        "answering their argument.",
        "Wirft jemandem Heuchelei vor (er tue selbst, was er kritisiert), statt auf sein "
        "Argument einzugehen.",
    ),
    "Questioning_the_Reputation": (
        "Attacks the character or reputation of a person or group rather than their arguments.",
        "Greift Charakter oder Ruf einer Person oder Gruppe an statt ihrer Argumente.",
    ),
}


def definition(technique: str, language: str = "en") -> str:
    english, german = DEFINITIONS.get(technique, ("", ""))
    return german if language == "de" else english
