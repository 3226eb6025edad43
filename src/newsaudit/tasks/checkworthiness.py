"""``newsaudit predict|evaluate|train checkworthiness``: CheckThat! 2024 Task 1 (see
``benchmarks.checkthat``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsaudit.tasks import fail


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("checkworthiness")
    def predict_checkworthiness(
        input: Annotated[Path, typer.Option("--input", help="TSV: Sentence_id, Text.")],
        output: Annotated[Path, typer.Option("--output", help="TSV: Sentence_id, class_label.")],
    ) -> None:
        """Label each sentence Yes (check-worthy) or No (CheckThat! 2024 Task 1 format)."""
        from newsaudit.benchmarks.checkthat import format_worthiness, read_worthiness
        from newsaudit.errors import NewsauditError
        from newsaudit.models import checkworthiness

        try:
            rows = read_worthiness(input)
            labels = checkworthiness.load().predict([r.sentence for r in rows])
        except NewsauditError as exc:
            raise fail(str(exc), exc.exit_code) from None
        output.write_text(
            format_worthiness([r.sentence_id for r in rows], labels), encoding="utf-8"
        )
        typer.echo(f"wrote {len(rows)} labels to {output}", err=True)

    @evaluate.command("checkworthiness")
    def evaluate_checkworthiness(
        gold: Annotated[
            Path | None,
            typer.Option("--gold", help="TSV with Sentence_id and class_label (default: dev)."),
        ] = None,
        predicted: Annotated[
            Path | None,
            typer.Option("--predicted", help="TSV of predictions (default: the packaged model)."),
        ] = None,
    ) -> None:
        """F1 of Yes of predicted labels against gold, matched by Sentence_id."""
        from newsaudit.benchmarks.checkthat import read_worthiness, worthiness_path
        from newsaudit.benchmarks.metrics import worthiness_f1
        from newsaudit.errors import NewsauditError

        try:
            gold = gold or worthiness_path("dev")
            gold_rows = read_worthiness(gold)
            if predicted is None:
                from newsaudit.models import checkworthiness

                labels = checkworthiness.load().predict([r.sentence for r in gold_rows])
                predicted_by_id = {
                    r.sentence_id: label for r, label in zip(gold_rows, labels, strict=True)
                }
            else:
                predicted_by_id = {r.sentence_id: r.label for r in read_worthiness(predicted)}
        except NewsauditError as exc:
            raise fail(str(exc), exc.exit_code) from None
        missing = [r.sentence_id for r in gold_rows if r.sentence_id not in predicted_by_id]
        if missing or any(r.label is None for r in gold_rows):
            raise fail(f"{len(missing)} gold sentences lack a prediction or gold lacks labels")
        score = worthiness_f1(
            [r.label for r in gold_rows], [predicted_by_id[r.sentence_id] for r in gold_rows]
        )
        typer.echo(
            json.dumps({"f1_yes": round(score, 4), "sentences": len(gold_rows), "gold": str(gold)})
        )

    @train.command("checkworthiness")
    def train_checkworthiness(
        data: Annotated[
            Path | None, typer.Option("--data", help="CheckThat! 2024 Task 1 English folder.")
        ] = None,
    ) -> None:
        """Train the check-worthiness head over frozen e5 states (CV on train, dev scored)."""
        from newsaudit.tasks import training_errors
        from newsaudit.train.checkworthiness import train

        with training_errors():
            train(data)
