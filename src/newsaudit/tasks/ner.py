"""``newsaudit predict|evaluate|train ner``: GermEval 2014 NER (see ``benchmarks.germeval``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("ner")
    def predict_ner(
        input: Annotated[Path, typer.Option("--input", help="GermEval 2014 TSV")],
        output: Annotated[Path, typer.Option("--output", help="Where to write the tagged TSV")],
    ) -> None:
        """Tag the outer NER layer of a GermEval TSV, keeping its tokens as given."""
        from newsaudit.analyzers.entities import tag_sentences
        from newsaudit.benchmarks.germeval import format_germeval, read_germeval
        from newsaudit.errors import NewsauditError

        try:
            sentences = read_germeval(input)
            for sentence, tags in zip(
                sentences, tag_sentences([s.tokens for s in sentences]), strict=True
            ):
                sentence.outer = tags
            output.write_text(format_germeval(sentences), encoding="utf-8")
        except NewsauditError as exc:
            typer.echo(f"newsaudit: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from exc
        typer.echo(f"tagged {len(sentences)} sentences -> {output}", err=True)

    @evaluate.command("ner")
    def evaluate_ner(
        gold: Annotated[Path, typer.Option("--gold", help="Gold GermEval TSV")],
        pred: Annotated[Path, typer.Option("--pred", help="Predicted GermEval TSV")],
    ) -> None:
        """Strict span P/R/F1 on the outer layer: 4 coarse labels and all 12."""
        from newsaudit.benchmarks.germeval import evaluate_files, format_scores
        from newsaudit.errors import InputError

        try:
            results = evaluate_files(gold, pred)
        except InputError as exc:
            typer.echo(f"newsaudit: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(format_scores(results))

    @train.command("ner")
    def train_ner(
        data: Annotated[
            Path, typer.Option("--data", help="The shared data folder (has ner/ inside)")
        ] = Path("../shared/data"),
        workdir: Annotated[
            Path | None,
            typer.Option(
                "--workdir", help="Cache for the casing corpus [default: ~/.cache/newsaudit/ner]"
            ),
        ] = None,
        layers: Annotated[int, typer.Option(help="Encoder layers to keep (of 12)")] = 12,
        epochs: Annotated[float, typer.Option(help="Passes over the training pool")] = 2.0,
        germeval_epochs: Annotated[
            float, typer.Option(help="Then passes over GermEval's training part alone")
        ] = 3.0,
    ) -> None:
        """Fine-tune the packaged German NER from ../shared/data (needs the [train] extra)."""
        from newsaudit.tasks import training_errors
        from newsaudit.train.ner import train
        from newsaudit.train.ner_corpora import DEFAULT_WORKDIR

        with training_errors():
            report = train(
                data,
                workdir or DEFAULT_WORKDIR,
                layers=layers,
                epochs=epochs,
                germeval_epochs=germeval_epochs,
            )
        typer.echo(report)
