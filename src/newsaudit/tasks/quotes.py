"""SpkAtt-2023 (GermEval speaker attribution) adapter: read, write and score quote files.

Each file is one article: ``Sentences`` with ``Tokens`` and ``Annotations`` whose roles
(Cue, Source, Message, Addr) are lists of ``"sentence:token"`` references. The score is
token-level precision/recall/F1 per role over the set of (file, sentence, token) positions
that any non-nested annotation marks with that role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from newsaudit.errors import InputError

ROLES = ("Cue", "Source", "Message", "Addr")
SCORED_ROLES = ("Message", "Source", "Cue")


@dataclass
class SpkAttDoc:
    """One SpkAtt article: its tokens per sentence and its annotations as given."""

    name: str
    sentences: list[list[str]]
    annotations: list[dict[str, Any]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def parse_ref(ref: str) -> tuple[int, int]:
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
        g = role_positions(gold, role)
        p = role_positions(predicted, role)
        tp = len(g & p)
        precision = tp / len(p) if p else 0.0
        recall = tp / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[role] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "gold": len(g),
            "predicted": len(p),
        }
    return result


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


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("quotes")
    def predict_quotes(
        input: Annotated[Path, typer.Option("--input", help="Directory of SpkAtt JSON files.")],
        output: Annotated[Path, typer.Option("--output", help="Directory to write into.")],
    ) -> None:
        """Tag Cue, Source, Message and Addr in SpkAtt files (German speaker attribution)."""
        from newsaudit.cli import fail
        from newsaudit.errors import NewsauditError
        from newsaudit.nlp.quote_tagger import load_tagger, spkatt_annotations

        try:
            docs = read_dir(input)
            tagger = load_tagger()
        except NewsauditError as exc:
            raise fail(str(exc), exc.exit_code) from None
        if not docs:
            raise fail(f"no .json files in {input}")
        for doc in docs:
            write_doc(doc, spkatt_annotations(tagger.find(doc.sentences)), output)
        typer.echo(f"wrote {len(docs)} files to {output}", err=True)

    @evaluate.command("quotes")
    def evaluate_quotes(
        gold: Annotated[Path, typer.Option("--gold", help="Directory of gold SpkAtt files.")],
        predicted: Annotated[Path, typer.Option("--predicted", help="Predicted SpkAtt files.")],
    ) -> None:
        """Token-level precision/recall/F1 per role (Message, Source, Cue), non-nested only."""
        from newsaudit.cli import fail

        try:
            gold_docs, predicted_docs = read_dir(gold), read_dir(predicted)
        except InputError as exc:
            raise fail(str(exc)) from None
        result = score(gold_docs, predicted_docs)
        for role, m in result.items():
            typer.echo(
                f"{role:<8} P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}"
                f"  (gold {m['gold']}, predicted {m['predicted']})"
            )
        typer.echo(json.dumps(result))

    @train.command("quotes")
    def train_quotes(
        data: Annotated[Path | None, typer.Option("--data", help="SpkAtt train directory.")] = None,
        seed: Annotated[int, typer.Option(help="Seed of the held-out split.")] = 13,
        check_seed: Annotated[
            int, typer.Option(help="Also score the recipe on the split of this seed.")
        ] = 7,
    ) -> None:
        """Train the quote tagger on SpkAtt-2023 (80% of articles) and write its model card."""
        from newsaudit.train.quotes import train

        train(data, seed=seed, check_seed=check_seed)
