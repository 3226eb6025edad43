"""Benchmark-format adapters: ``newsaudit predict|evaluate|train TASK`` per task."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer


@contextmanager
def training_errors() -> Iterator[None]:
    """A training command's bad data or missing [train] extra as one line and exit 2."""
    from newsaudit.errors import NewsauditError

    try:
        yield
    except NewsauditError as exc:
        typer.echo(f"newsaudit: {exc}", err=True)
        raise typer.Exit(2) from exc
    except ImportError as exc:
        typer.echo(f"newsaudit: training needs the [train] extra ({exc})", err=True)
        raise typer.Exit(2) from exc
