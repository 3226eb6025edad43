"""CheckThat! 2025 Task 1 adapter: sentence subjectivity TSV in, TSV out, macro-F1.

Input columns: ``sentence_id``, ``sentence`` and optionally ``label`` (OBJ/SUBJ); output
columns: ``sentence_id``, ``label``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from newsaudit.errors import InputError

LABELS = ("OBJ", "SUBJ")


@dataclass
class Row:
    sentence_id: str
    sentence: str
    label: str | None = None


def parse_tsv(text: str, name: str = "input") -> list[Row]:
    """Parse a CheckThat! subjectivity TSV; raise InputError on a missing column or label."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    fields = reader.fieldnames or []
    if "sentence_id" not in fields or ("sentence" not in fields and "label" not in fields):
        raise InputError(f"{name}: needs a header with sentence_id and sentence (or label)")
    rows = []
    for n, record in enumerate(reader, start=2):
        sid = (record.get("sentence_id") or "").strip()
        if not sid:
            raise InputError(f"{name}: line {n} has no sentence_id")
        label = (record.get("label") or "").strip() or None
        if label is not None and label not in LABELS:
            raise InputError(f"{name}: line {n} has label {label!r}, expected OBJ or SUBJ")
        rows.append(Row(sid, record.get("sentence") or "", label))
    return rows


def read_tsv(path: Path) -> list[Row]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    return parse_tsv(text, path.name)


def format_tsv(ids: Sequence[str], labels: Sequence[str]) -> str:
    lines = ["sentence_id\tlabel"] + [f"{i}\t{label}" for i, label in zip(ids, labels, strict=True)]
    return "\n".join(lines) + "\n"


def macro_f1(gold: Sequence[int | bool | str], predicted: Sequence[int | bool | str]) -> float:
    """Macro-averaged F1 over the two classes (the task's official measure)."""
    gold = [str(int(g)) if not isinstance(g, str) else g for g in gold]
    predicted = [str(int(p)) if not isinstance(p, str) else p for p in predicted]
    scores = []
    for cls in sorted(set(gold) | set(predicted)):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p == cls)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != cls and p == cls)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p != cls)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("subjectivity")
    def predict_subjectivity(
        input: Annotated[Path, typer.Option("--input", help="TSV: sentence_id, sentence.")],
        output: Annotated[Path, typer.Option("--output", help="TSV: sentence_id, label.")],
    ) -> None:
        """Label each sentence OBJ or SUBJ (CheckThat! 2025 Task 1 format)."""
        from newsaudit.cli import fail
        from newsaudit.errors import NewsauditError
        from newsaudit.nlp.subjectivity import load_subjectivity

        try:
            rows = read_tsv(input)
            labels = load_subjectivity().predict([r.sentence for r in rows])
        except NewsauditError as exc:
            raise fail(str(exc), exc.exit_code) from None
        output.write_text(format_tsv([r.sentence_id for r in rows], labels), encoding="utf-8")
        typer.echo(f"wrote {len(rows)} labels to {output}", err=True)

    @evaluate.command("subjectivity")
    def evaluate_subjectivity(
        gold: Annotated[Path, typer.Option("--gold", help="TSV with sentence_id and label.")],
        predicted: Annotated[Path, typer.Option("--predicted", help="TSV of predictions.")],
    ) -> None:
        """Macro-F1 of predicted labels against gold, matched by sentence_id."""
        from newsaudit.cli import fail

        try:
            gold_rows, pred_rows = read_tsv(gold), read_tsv(predicted)
        except InputError as exc:
            raise fail(str(exc)) from None
        predicted_by_id = {r.sentence_id: r.label for r in pred_rows}
        missing = [r.sentence_id for r in gold_rows if r.sentence_id not in predicted_by_id]
        if missing or any(r.label is None for r in gold_rows):
            raise fail(f"{len(missing)} gold sentences lack a prediction or gold lacks labels")
        score = macro_f1(
            [r.label for r in gold_rows], [predicted_by_id[r.sentence_id] for r in gold_rows]
        )
        typer.echo(json.dumps({"macro_f1": round(score, 4), "sentences": len(gold_rows)}))

    @train.command("subjectivity")
    def train_subjectivity(
        data: Annotated[Path | None, typer.Option("--data", help="Subjectivity folder.")] = None,
    ) -> None:
        """Train the subjectivity models: the fine-tuned e5 classifier (needs the [train]
        extra) and the pipeline's fast TF-IDF model."""
        from newsaudit.tasks import training_errors
        from newsaudit.train.subjectivity import train

        with training_errors():
            train(data)
