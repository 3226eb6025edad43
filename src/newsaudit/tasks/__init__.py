"""``newsaudit predict|evaluate|train TASK``: the CLI commands over ``benchmarks`` and
``train``. Each module registers its commands; formats and metrics live in ``benchmarks``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a user-facing error and return the Exit to raise."""
    typer.echo(f"newsaudit: error: {message}", err=True)
    return typer.Exit(code)


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
