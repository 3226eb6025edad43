"""The ``newsaudit`` command line: a thin front over the pipeline.

Exit codes: 0 all good, 1 some articles failed (batch), 2 usage or input error.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from newsaudit.config import DEFAULT_MAX_BYTES

app = typer.Typer(
    name="newsaudit",
    help="Show, with evidence, how news articles try to persuade and where they may mislead.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
predict_app = typer.Typer(help="Read a public benchmark's input format, write its output format.")
evaluate_app = typer.Typer(help="Score predictions against gold in a benchmark's format.")
train_app = typer.Typer(help="Train a packaged model from ../shared/data and write its card.")
app.add_typer(predict_app, name="predict")
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(train_app, name="train")

_debug = False


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a user-facing error and return the Exit to raise."""
    typer.echo(f"newsaudit: error: {message}", err=True)
    return typer.Exit(code)


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    global _debug
    _debug = debug


@app.command()
def analyze(
    article: Annotated[str, typer.Argument(help="Text or HTML file, http(s) URL, or - for stdin.")],
    format: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Default: text on a terminal, else json."),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    allow_private: Annotated[
        bool, typer.Option(help="Allow URLs on loopback, private or link-local addresses.")
    ] = False,
    max_bytes: Annotated[int, typer.Option(help="Largest input accepted.")] = DEFAULT_MAX_BYTES,
) -> None:
    """Analyse one article and print its Report."""
    from newsaudit.config import Limits
    from newsaudit.errors import NewsauditError
    from newsaudit.ingest import load_source
    from newsaudit.pipeline import analyze_document
    from newsaudit.report.render import render

    limits = Limits(max_bytes=max_bytes, allow_private=allow_private)
    try:
        report = analyze_document(load_source(article, limits=limits))
    except NewsauditError as exc:
        if _debug:
            raise
        raise fail(str(exc), exc.exit_code) from None
    chosen = format or (Format.text if output is None and sys.stdout.isatty() else Format.json)
    rendered = render(report, chosen.value)
    if output is None:
        typer.echo(rendered)
    else:
        output.write_text(rendered, encoding="utf-8")
        typer.echo(f"wrote {chosen.value} report to {output}", err=True)


@app.command()
def batch(
    inputs: Annotated[
        list[str], typer.Argument(help="Files, directories, .jsonl or .csv corpora (- = JSONL).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON Lines output.")],
    max_bytes: Annotated[int, typer.Option(help="Largest article accepted.")] = DEFAULT_MAX_BYTES,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Analyse many articles: one JSON line per article, one error record per bad one."""
    from newsaudit.batch.runner import run_batch
    from newsaudit.config import Limits

    summary = run_batch(inputs, output, limits=Limits(max_bytes=max_bytes), progress=progress)
    typer.echo(f"{summary.ok} analysed, {summary.failed} failed, written to {output}", err=True)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the Report's JSON Schema."""
    from newsaudit.report.model import report_json_schema

    typer.echo(json.dumps(report_json_schema(), indent=2))


def _register_tasks() -> None:
    """Each module in ``newsaudit.tasks`` adds its predict/evaluate/train commands."""
    import newsaudit.tasks as tasks

    for module in sorted(pkgutil.iter_modules(tasks.__path__), key=lambda m: m.name):
        importlib.import_module(f"newsaudit.tasks.{module.name}").register(
            predict_app, evaluate_app, train_app
        )


def main() -> None:
    _register_tasks()
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("newsaudit: interrupted", err=True)
        sys.exit(130)
