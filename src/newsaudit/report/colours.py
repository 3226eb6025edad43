"""One colour per persuasion technique, from Paul Tol's colour-blind-safe palettes.

The hue follows the technique's group (attacks red to purple, justifications blue, simple
causes green, distractions olive, calls teal, wording orange and yellow), so related techniques
look related; no two of the 23 are closer than 15 CIELAB units. Colour is never the only cue:
each highlighted passage also carries its technique's number from the legend.
"""

from __future__ import annotations

from functools import lru_cache

from newsaudit.report.labels import TECHNIQUES

TECHNIQUE_COLOURS: dict[str, str] = {
    "Name_Calling-Labeling": "#CC3311",
    "Guilt_by_Association": "#882255",
    "Doubt": "#EE6677",
    "Appeal_to_Hypocrisy": "#AA4499",
    "Questioning_the_Reputation": "#FFAABB",
    "Flag_Waving": "#332288",
    "Appeal_to_Authority": "#0077BB",
    "Appeal_to_Popularity": "#77AADD",
    "Appeal_to_Values": "#33BBEE",
    "Appeal_to_Fear-Prejudice": "#99DDFF",
    "Causal_Oversimplification": "#117733",
    "False_Dilemma-No_Choice": "#44BB99",
    "Consequential_Oversimplification": "#BBCC33",
    "Straw_Man": "#999933",
    "Red_Herring": "#DDCC77",
    "Whataboutism": "#666633",
    "Slogans": "#007766",
    "Conversation_Killer": "#225555",
    "Appeal_to_Time": "#88CCAA",
    "Loaded_Language": "#EE7733",
    "Obfuscation-Vagueness-Confusion": "#997700",
    "Exaggeration-Minimisation": "#EE3377",
    "Repetition": "#FFBB33",
}
UNKNOWN_COLOUR = "#BBBBBB"


def technique_colour(technique: str) -> str:
    return TECHNIQUE_COLOURS.get(technique, UNKNOWN_COLOUR)


def technique_number(technique: str) -> int:
    """The technique's fixed number in the legend (1-23), the same in every report."""
    return TECHNIQUES.index(technique) + 1 if technique in TECHNIQUES else 0


@lru_cache(maxsize=256)
def tint(colour: str, share: float = 0.5) -> str:
    """``colour`` mixed with white: a background light enough for black text."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(share * c + (1 - share) * 255):02x}" for c in channels)
