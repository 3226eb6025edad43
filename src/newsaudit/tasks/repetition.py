"""``newsaudit train repetition``: the article-level Repetition technique model (see
``train.repetition``)."""

from __future__ import annotations

import typer


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @train.command("repetition")
    def train_repetition() -> None:
        """Fit the Repetition model on SemEval English spans; score German and English dev."""
        from newsaudit.tasks import training_errors
        from newsaudit.train.repetition import train as run

        with training_errors():
            run()
