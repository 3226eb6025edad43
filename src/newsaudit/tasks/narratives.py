"""``newsaudit predict|evaluate|train narratives``: which known disinformation cases each
sentence repeats (formats and metrics in ``benchmarks.narratives``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsaudit.tasks import fail


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("narratives")
    def predict_narratives(
        input: Annotated[Path, typer.Option("--input", help="TSV: query_id, text.")],
        output: Annotated[Path, typer.Option("--output", help="TSV: query_id, titles...")],
        language: Annotated[str, typer.Option(help="Language of the queries.")] = "de",
    ) -> None:
        """The known cases each query repeats: the titles a user would be shown, best first."""
        from newsaudit.analyzers.narratives import match_texts
        from newsaudit.benchmarks.narratives import format_predictions, read_queries
        from newsaudit.errors import NewsauditError

        try:
            queries = read_queries(input)
            matches = match_texts([q.text for q in queries], language)
        except NewsauditError as exc:
            raise fail(str(exc), exc.exit_code) from None
        rows = [
            (q.query_id, [m.case.title for m in found])
            for q, found in zip(queries, matches, strict=True)
        ]
        output.write_text(format_predictions(rows), encoding="utf-8")
        shown = sum(bool(found) for found in matches)
        typer.echo(f"wrote {len(rows)} lines to {output} ({shown} with a match)", err=True)

    @evaluate.command("narratives")
    def evaluate_narratives(
        gold: Annotated[Path, typer.Option("--gold", help="TSV: query_id, text, case_id, title.")],
        predicted: Annotated[Path, typer.Option("--predicted", help="predict's output.")],
    ) -> None:
        """Success@1/5/10 over the paraphrases and the false-match rate over the negatives."""
        from newsaudit.benchmarks.metrics import match_scores
        from newsaudit.benchmarks.narratives import read_gold, read_predictions
        from newsaudit.errors import InputError

        try:
            gold_rows, pred = read_gold(gold), read_predictions(predicted)
        except InputError as exc:
            raise fail(str(exc)) from None
        missing = [g.query_id for g in gold_rows if g.query_id not in pred]
        if missing:
            raise fail(f"{len(missing)} gold queries have no line in {predicted}")
        scores = match_scores([(g.query_id, g.titles) for g in gold_rows], pred)
        typer.echo(json.dumps(scores.__dict__))

    @train.command("narratives")
    def train_narratives(
        data: Annotated[Path | None, typer.Option("--data", help="../shared/data")] = None,
        cache: Annotated[
            Path | None, typer.Option("--cache", help="Keep e5 vectors here between runs.")
        ] = None,
    ) -> None:
        """Build the EUvsDisinfo index and train the verifier (needs the [train] extra)."""
        from newsaudit.tasks import training_errors
        from newsaudit.train.narratives import train

        with training_errors():
            train(data, cache=cache)
