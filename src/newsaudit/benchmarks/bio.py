"""BIO tags over GermEval 2014's label set: the one place for labels and span helpers.

The NER model, its training corpora (mapped onto GermEval's labels), the benchmark adapter
and the entity analyzer all read tags through these functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

COARSE = ("PER", "ORG", "LOC", "OTH")
"""GermEval's four main classes."""
FINE = tuple(f"{c}{s}" for c in COARSE for s in ("", "deriv", "part"))
"""All 12 outer labels: each class and its ``-deriv`` ("deutsche") and ``-part``
("US-Beamte") variants."""
BIO_LABELS = ("O", *(f"{p}-{n}" for n in FINE for p in ("B", "I")))
"""O plus B-/I- for each of the 12 labels, in the NER model's output order."""

Span = tuple[int, int, str]


def coarse_label(label: str) -> str:
    """``LOCderiv`` -> ``LOC``: the four GermEval main classes."""
    return label.removesuffix("deriv").removesuffix("part")


def bio_spans(tags: Sequence[str]) -> list[Span]:
    """Spans (start token, end token exclusive, label) from BIO tags.

    An ``I-X`` that does not continue an ``X`` span starts a new span (the usual conlleval
    reading), so invalid sequences are scored, not dropped.
    """
    spans: list[Span] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label and start >= 0
        if start >= 0 and not continues:
            spans.append((start, i, label))
            start, label = -1, ""
        if prefix in ("B", "I") and not continues:
            start, label = i, kind
    return spans


def repair_bio(tags: Sequence[str]) -> list[str]:
    """An I- tag that does not continue a span of its label starts one."""
    fixed: list[str] = []
    for tag in tags:
        if tag.startswith("I-"):
            prev = fixed[-1] if fixed else "O"
            if prev == "O" or prev[2:] != tag[2:]:
                tag = "B-" + tag[2:]
        fixed.append(tag)
    return fixed


def iob1_to_bio(tags: Sequence[str]) -> list[str]:
    """CoNLL's IOB1 (``I-`` starts a span unless it follows the same type) as BIO."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        kind = tag[2:] if tag != "O" else ""
        if not kind:
            out.append("O")
        elif tag.startswith("B-") or prev != kind:
            out.append(f"B-{kind}")
        else:
            out.append(f"I-{kind}")
        prev = kind or "O"
    return out


def map_bio(tags: Sequence[str], mapping: Mapping[str, str]) -> list[str]:
    """BIO tags with each type renamed by ``mapping``; unmapped types become O, and an I-
    tag whose mapped type does not continue the previous tag's starts a span."""
    out: list[str] = []
    for tag in tags:
        kind = mapping.get(tag[2:]) if tag != "O" else None
        if kind is None:
            out.append("O")
        elif tag.startswith("I-") and out and out[-1][2:] == kind:
            out.append(f"I-{kind}")
        else:
            out.append(f"B-{kind}")
    return out
