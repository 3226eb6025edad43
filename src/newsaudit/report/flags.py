"""How strong a technique flag is, whatever the techniques analyzer of this Report provides.

Flags gain a calibrated ``probability`` and a ``level`` ("strong" when the held-out precision of
that level is at least 0.6, else "possible"). Reports without them treat every flag as strong
and its score as its confidence, so renderers and findings work on old and new reports alike.
"""

from __future__ import annotations

from newsaudit.report.model import TechniqueFlag


def level(flag: TechniqueFlag) -> str:
    return getattr(flag, "level", None) or "strong"


def is_strong(flag: TechniqueFlag) -> bool:
    return level(flag) == "strong"


def confidence(flag: TechniqueFlag) -> float:
    probability = getattr(flag, "probability", None)
    return flag.score if probability is None else probability
