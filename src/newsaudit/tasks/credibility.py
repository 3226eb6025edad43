"""``newsaudit train credibility``: the credibility score on FANG-COVID's training outlets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @train.command("credibility")
    def train_credibility(
        cache: Annotated[
            Path,
            typer.Option("--cache", help="Folder for the per-article Reports (reused by reruns)."),
        ],
        per_outlet: Annotated[
            int, typer.Option("--per-outlet", help="Seeded articles of each training outlet.")
        ] = 80,
    ) -> None:
        """Train the credibility score (training outlets only, whole outlets held out)."""
        from newsaudit.tasks import training_errors
        from newsaudit.train.credibility import train

        with training_errors():
            train(cache, per_outlet)
