"""``newsaudit predict|evaluate|train quotes``: SpkAtt-2023 speaker attribution (see
``benchmarks.spkatt``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from newsaudit.tasks import fail


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("quotes")
    def predict_quotes(
        input: Annotated[Path, typer.Option("--input", help="Directory of SpkAtt JSON files.")],
        output: Annotated[Path, typer.Option("--output", help="Directory to write into.")],
    ) -> None:
        """Tag Cue, Source, Message and Addr in SpkAtt files (German speaker attribution)."""
        from newsaudit.analyzers.quote_states import sentence_states
        from newsaudit.benchmarks.spkatt import annotations, read_dir, write_doc
        from newsaudit.errors import NewsauditError
        from newsaudit.models import quotes

        try:
            docs = read_dir(input)
            tagger = quotes.load()
        except NewsauditError as exc:
            raise fail(str(exc), exc.exit_code) from None
        if not docs:
            raise fail(f"no .json files in {input}")
        for doc in docs:
            states = sentence_states(doc.sentences, tagger.project, tagger.state_dims)
            write_doc(doc, annotations(tagger.find(doc.sentences, "de", states)), output)
        typer.echo(f"wrote {len(docs)} files to {output}", err=True)

    @evaluate.command("quotes")
    def evaluate_quotes(
        gold: Annotated[Path, typer.Option("--gold", help="Directory of gold SpkAtt files.")],
        predicted: Annotated[Path, typer.Option("--predicted", help="Predicted SpkAtt files.")],
    ) -> None:
        """Token-level precision/recall/F1 per role (Message, Source, Cue), non-nested only."""
        from newsaudit.benchmarks.spkatt import read_dir, score
        from newsaudit.errors import InputError

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
