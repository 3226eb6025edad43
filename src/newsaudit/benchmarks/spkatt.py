"""SpkAtt-2023 (GermEval speaker attribution): read, write and score its JSON files.

Each file is one article: ``Sentences`` with ``Tokens`` and ``Annotations`` whose roles
(Cue, Source, Message, Addr) are lists of ``"sentence:token"`` references. The score is
token-level precision/recall/F1 per role over the set of (file, sentence, token) positions
that any non-nested annotation marks with that role.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from newsaudit.benchmarks.metrics import set_scores
from newsaudit.errors import InputError

ROLES = ("Cue", "Source", "Message", "Addr")
SCORED_ROLES = ("Message", "Source", "Cue")

Position = tuple[int, int]


@dataclass
class SpkAttDoc:
    """One SpkAtt article: its tokens per sentence and its annotations as given."""

    name: str
    sentences: list[list[str]]
    annotations: list[dict[str, Any]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


class Attribution(Protocol):
    """A quote in token positions (sentence, token), as the quote tagger finds it."""

    cue: list[Position]
    source: list[Position]
    message: list[Position]
    addr: list[Position]
    form: str


def parse_ref(ref: str) -> Position:
    sentence, token = ref.split(":")
    return int(sentence), int(token)


def read_doc(path: Path) -> SpkAttDoc:
    """Read one SpkAtt JSON file; raise InputError with the file name when it is malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sentences = [[str(t) for t in s["Tokens"]] for s in data["Sentences"]]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(f"{path.name}: not a SpkAtt file with Sentences/Tokens ({exc})") from exc
    annotations = data.get("Annotations") or []
    if not isinstance(annotations, list):
        raise InputError(f"{path.name}: Annotations must be a list")
    return SpkAttDoc(path.stem, sentences, annotations, data)


def read_dir(directory: Path) -> list[SpkAttDoc]:
    if not directory.is_dir():
        raise InputError(f"{directory} is not a directory of SpkAtt JSON files")
    return [read_doc(p) for p in sorted(directory.glob("*.json"))]


def annotations(quotes: Sequence[Attribution]) -> list[dict[str, object]]:
    """Quotes in SpkAtt's annotation format (``sentence:token`` references)."""

    def refs(positions: list[Position]) -> list[str]:
        return [f"{s}:{t}" for s, t in sorted(set(positions))]

    return [
        {
            "Cue": refs(q.cue),
            "Source": refs(q.source),
            "Message": refs(q.message),
            "Addr": refs(q.addr),
            "Form": q.form,
            "IsNested": False,
        }
        for q in quotes
    ]


def write_doc(doc: SpkAttDoc, annotations: list[dict[str, Any]], out_dir: Path) -> Path:
    """Write the input file back with our ``Annotations`` in place of any given ones."""
    payload = (
        dict(doc.raw)
        if doc.raw
        else {
            "DocumentName": doc.name,
            "Sentences": [{"SentenceId": i, "Tokens": s} for i, s in enumerate(doc.sentences)],
        }
    )
    payload["Annotations"] = annotations
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{doc.name}.json"
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def role_positions(docs: list[SpkAttDoc], role: str) -> set[tuple[str, int, int]]:
    """(file, sentence, token) positions any non-nested annotation marks with ``role``."""
    positions: set[tuple[str, int, int]] = set()
    for doc in docs:
        for annotation in doc.annotations:
            if annotation.get("IsNested"):
                continue
            for ref in annotation.get(role) or []:
                s, t = parse_ref(ref)
                positions.add((doc.name, s, t))
    return positions


def score(gold: list[SpkAttDoc], predicted: list[SpkAttDoc]) -> dict[str, dict[str, float]]:
    """Token-level precision, recall and F1 per role (the one metric of this task)."""
    names = {d.name for d in gold}
    predicted = [d for d in predicted if d.name in names]
    result: dict[str, dict[str, float]] = {}
    for role in SCORED_ROLES:
        s = set_scores(role_positions(gold, role), role_positions(predicted, role))
        result[role] = {
            "precision": s.precision,
            "recall": s.recall,
            "f1": s.f1,
            "gold": s.support,
            "predicted": s.predicted,
        }
    return result
