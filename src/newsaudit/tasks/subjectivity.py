"""``newsaudit predict|evaluate|train subjectivity``: CheckThat! 2025 Task 1 (see
``benchmarks.checkthat``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsaudit.tasks import fail


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("subjectivity")
    def predict_subjectivity(
        input: Annotated[Path, typer.Option("--input", help="TSV: sentence_id, sentence.")],
        output: Annotated[Path, typer.Option("--output", help="TSV: sentence_id, label.")],
    ) -> None:
        """Label each sentence OBJ or SUBJ (CheckThat! 2025 Task 1 format)."""
        from newsaudit.benchmarks.checkthat import format_subjectivity, read_subjectivity
        from newsaudit.errors import NewsauditError
        from newsaudit.models import subjectivity

        try:
            rows = read_subjectivity(input)
            labels = subjectivity.load().predict([r.sentence for r in rows])
        except NewsauditError as exc:
            raise fail(str(exc), exc.exit_code) from None
        output.write_text(
            format_subjectivity([r.sentence_id for r in rows], labels), encoding="utf-8"
        )
        typer.echo(f"wrote {len(rows)} labels to {output}", err=True)

    @evaluate.command("subjectivity")
    def evaluate_subjectivity(
        gold: Annotated[Path, typer.Option("--gold", help="TSV with sentence_id and label.")],
        predicted: Annotated[Path, typer.Option("--predicted", help="TSV of predictions.")],
    ) -> None:
        """Macro-F1 of predicted labels against gold, matched by sentence_id."""
        from newsaudit.benchmarks.checkthat import read_subjectivity
        from newsaudit.benchmarks.metrics import macro_f1
        from newsaudit.errors import InputError

        try:
            gold_rows, pred_rows = read_subjectivity(gold), read_subjectivity(predicted)
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
