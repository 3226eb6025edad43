"""`newsaudit evaluate compare`: score quote-fidelity findings on hand-written pairs;
`newsaudit train compare`: train the learned comparison (``train.compare``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    del predict

    @train.command("compare")
    def train_compare(
        seed: Annotated[int, typer.Option(help="Seed of the perturbations and the fit.")] = 13,
        fixtures: Annotated[
            Path | None, typer.Option(help="Folder of the pair files (default: the repo's).")
        ] = None,
    ) -> None:
        """Fit the compare model on the seen pairs and their perturbations; write its card."""
        from newsaudit.compare.evaluate import FIXTURES
        from newsaudit.train.compare import train as run

        metrics = run(seed=seed, fixtures=fixtures or FIXTURES)
        typer.echo(json.dumps(metrics, indent=2, ensure_ascii=False))

    @evaluate.command("compare")
    def evaluate_compare(
        pairs: Annotated[
            list[Path] | None,
            typer.Argument(
                help="Pair files (JSON); default: the DEV parts (tuned on) and the TEST parts."
            ),
        ] = None,
        details: Annotated[bool, typer.Option(help="Also list every pair's findings.")] = False,
    ) -> None:
        """Detection rate on distorted pairs and false-alarm rate on faithful ones."""
        from newsaudit.compare.evaluate import FIXTURES, PARTS, read_pairs, score_pairs
        from newsaudit.errors import NewsauditError

        paths = pairs or [FIXTURES / f"{part}.json" for part in PARTS]
        out = {}
        try:
            for path in paths:
                scores = score_pairs(read_pairs(path))
                out[path.stem] = scores.summary()
                if details:
                    out[path.stem]["pairs_detail"] = [
                        {
                            "id": r.id,
                            "kind": r.kind,
                            "detected": r.detected,
                            "findings": [(f["kind"], f["article_text"]) for f in r.findings],
                        }
                        for r in scores.results
                    ]
        except NewsauditError as exc:
            typer.echo(f"newsaudit: error: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
