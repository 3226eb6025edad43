"""The ``newsaudit`` command line: a thin front over the pipeline.

Exit codes: 0 all good, 1 some articles failed (batch), 2 usage or input error, 3 a model is
missing or broken, 70 an unexpected internal error. Errors reach the user in one place,
:func:`main`: a :class:`~newsaudit.errors.NewsauditError` prints its message and exits with its
code, anything else prints one line; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

# numpy's OpenBLAS starts one thread per core unless told otherwise, and the pipeline's small
# matrix products leave them spinning: `batch --workers 1` on 12 FANG-COVID articles took
# 4.6-5.0 CPU-s an article with two threads against 1.6-1.8 with one, the same reports.
# Set before numpy is first imported; a user's setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import typer

from newsaudit.config import DEFAULT_FETCH_TOTAL_TIMEOUT, DEFAULT_MAX_BYTES

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
index_app = typer.Typer(
    help="Your own fact-check databases (ClaimReview JSON/JSON-LD or CSV), searched by the "
    "narratives analyzer beside EUvsDisinfo."
)
app.add_typer(index_app, name="index")

_debug = False
INTERNAL_ERROR = 70


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


def _pipeline(analyzers: str | None):
    """The pipeline for ``--analyzers`` (None: the process-wide default pipeline)."""
    if analyzers is None:
        return None
    from newsaudit.pipeline import Pipeline, default_analyzers

    return Pipeline(default_analyzers([n.strip() for n in analyzers.split(",") if n.strip()]))


@app.command()
def analyze(
    article: Annotated[str, typer.Argument(help="Text or HTML file, http(s) URL, or - for stdin.")],
    format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="text: the terminal summary, findings first; json: the full Report; html: a "
            "standalone annotated page. Default: text on a terminal, json when piped or saved.",
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    allow_private: Annotated[
        bool, typer.Option(help="Allow URLs on loopback, private or link-local addresses.")
    ] = False,
    max_bytes: Annotated[int, typer.Option(help="Largest input accepted.")] = DEFAULT_MAX_BYTES,
    fetch_timeout: Annotated[
        float, typer.Option(help="Seconds a whole URL fetch may take, redirects included.")
    ] = DEFAULT_FETCH_TOTAL_TIMEOUT,
    analyzers: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated analyzers to run (default: all), e.g. keywords,entities."
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            help="A source the article quotes (file or URL; repeatable): quotes distorted or "
            "reframed against it join the findings, as `newsaudit compare` finds them.",
        ),
    ] = None,
    possible: Annotated[
        bool,
        typer.Option(
            "--possible",
            help="Show the possible technique flags too, not only the strong ones "
            "(text and html; the JSON Report always has every flag with its level).",
        ),
    ] = False,
) -> None:
    """Analyse one article and print its Report."""
    from newsaudit.config import Limits
    from newsaudit.ingest import load_source
    from newsaudit.pipeline import analyze_document
    from newsaudit.report.render import render

    limits = Limits(
        max_bytes=max_bytes, allow_private=allow_private, fetch_total_timeout=fetch_timeout
    )
    document = load_source(article, limits=limits)
    report = analyze_document(document, _pipeline(analyzers))
    if source:
        from newsaudit.compare.report_layer import with_sources

        report = with_sources(report, document, [_given(s) for s in source], limits=limits)
    chosen = format or (Format.text if output is None and sys.stdout.isatty() else Format.json)
    if format is None and output is None and chosen is Format.json:
        typer.echo(
            "newsaudit: output is not a terminal, so this is the JSON Report; "
            "-f text prints the terminal summary",
            err=True,
        )
    rendered = render(report, chosen.value, possible)
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
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSON Lines output.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Store reports in this database (sqlite:///path or postgresql://...); "
            "a re-run skips articles already stored.",
        ),
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Distribute over this Dask scheduler (tcp://host:8786), or 'local' for a "
            "local Dask cluster of --workers workers.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Worker processes, each loading the models once (default: all cores; "
            "1 = this process). Results are the same for any number.",
        ),
    ] = None,
    max_bytes: Annotated[int, typer.Option(help="Largest article accepted.")] = DEFAULT_MAX_BYTES,
    progress: Annotated[
        bool,
        typer.Option(
            help="Show N of total, the rate and the time left (a line every 10 s when logged)."
        ),
    ] = True,
    analyzers: Annotated[
        str | None,
        typer.Option(help="Comma-separated analyzers to run (default: all); not with Dask."),
    ] = None,
) -> None:
    """Analyse many articles: one JSON line per article, one error record per bad one."""
    from newsaudit.config import Limits

    if analyzers is not None and dask:
        raise fail("--analyzers works for local runs only, not with --dask")
    if output is None and db is None:
        raise fail("say where results go: --output FILE, --db URL, or both")
    if dask and dask != "local" and workers:
        raise fail("--dask (a running cluster) and --workers (local processes) exclude each other")
    limits = Limits(max_bytes=max_bytes)
    analyzer = None
    try:
        analyzer = _batch_analyzer(dask, workers, analyzers)
        if db is not None:
            from newsaudit.batch.store_batch import local_analyzer, run_into_store

            stored = run_into_store(
                inputs,
                db,
                output=output,
                limits=limits,
                analyze=analyzer or local_analyzer(_pipeline(analyzers)),
                progress=progress,
            )
            typer.echo(
                f"{stored.stored} stored, {stored.skipped} already stored, "
                f"{stored.failed} failed, in {db}",
                err=True,
            )
            failed = stored.failed
        else:
            assert output is not None
            from newsaudit.batch.runner import run_batch

            summary = run_batch(
                inputs,
                output,
                limits=limits,
                progress=progress,
                pipeline=_pipeline(analyzers),
                analyze=analyzer,
            )
            typer.echo(
                f"{summary.ok} analysed, {summary.failed} failed, written to {output}", err=True
            )
            failed = summary.failed
    finally:
        if analyzer is not None:
            analyzer.close()
    if failed:
        raise typer.Exit(1)


def _batch_analyzer(dask: str | None, workers: int | None, analyzers: str | None):
    """Dask when asked for, else local worker processes on every core (None: in process)."""
    if dask:
        from newsaudit.batch.dask_runner import DaskAnalyzer

        return DaskAnalyzer(scheduler=None if dask == "local" else dask, workers=workers)
    from newsaudit.batch.pool import ProcessAnalyzer, default_workers

    count = workers or default_workers()
    if count == 1:
        return None
    names = [n.strip() for n in analyzers.split(",") if n.strip()] if analyzers else None
    return ProcessAnalyzer(count, names)


@app.command()
def watch(
    feeds: Annotated[
        Path, typer.Argument(help="A text file with one RSS or Atom feed URL a line.")
    ],
    db: Annotated[
        str, typer.Option("--db", help="Store articles here (sqlite:///path or postgresql://...).")
    ],
    every: Annotated[
        str, typer.Option("--every", help="Read the feeds again after this long: 15m, 1h, 90s.")
    ] = "15m",
    once: Annotated[bool, typer.Option("--once", help="One round, then exit (for cron).")] = False,
    allow_private: Annotated[
        bool, typer.Option(help="Allow feeds and articles on loopback or private addresses.")
    ] = False,
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for a feed or an article.", min=0.1)
    ] = 10.0,
    max_bytes: Annotated[int, typer.Option(help="Largest article accepted.")] = DEFAULT_MAX_BYTES,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="Worker processes (default: all cores; 1 = this process)."
        ),
    ] = None,
) -> None:
    """Monitor feeds: analyse and store each new article once, round after round."""
    import logging

    from newsaudit.config import Limits
    from newsaudit.store import Store
    from newsaudit.watch import Watcher, parse_every, read_feed_list

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    seconds = parse_every(every)
    analyzer = _batch_analyzer(None, workers, None)
    watcher = Watcher(
        read_feed_list(feeds),
        Store(db),
        analyze=analyzer,
        limits=Limits(max_bytes=max_bytes, allow_private=allow_private, fetch_timeout=timeout),
    )
    try:
        watcher.run(seconds, rounds=1 if once else None)
    finally:
        watcher.store.close()
        if analyzer is not None:
            analyzer.close()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: Annotated[
        str | None,
        typer.Option("--db", help="sqlite:///path or postgresql://...; default: user data dir."),
    ] = None,
    max_bytes: Annotated[int, typer.Option(help="Largest article accepted.")] = DEFAULT_MAX_BYTES,
    max_upload_bytes: Annotated[int, typer.Option(help="Largest batch upload accepted.")] = 100
    * 1024
    * 1024,
    allow_private: Annotated[
        bool, typer.Option(help="Allow fetching URLs on loopback, private or link-local addresses.")
    ] = False,
    fetch_timeout: Annotated[
        float, typer.Option(help="Seconds a whole URL fetch may take, redirects included.")
    ] = DEFAULT_FETCH_TOTAL_TIMEOUT,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A host name the server answers to (repeatable; * for any). IP addresses, "
            "localhost and the listening address always work; others are refused (DNS "
            "rebinding). Also NEWSAUDIT_ALLOWED_HOSTS=a,b.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Server processes, each loading the models (default: all cores).",
        ),
    ] = None,
) -> None:
    """Serve the web UI and REST API (writes need NEWSAUDIT_TOKEN off loopback)."""
    from newsaudit.service.app import serve as run_server
    from newsaudit.service.settings import Settings

    settings = Settings.from_env(
        host=host,
        port=port,
        db_url=db,
        max_bytes=max_bytes,
        max_upload_bytes=max_upload_bytes,
        allow_private=allow_private,
        fetch_timeout=fetch_timeout,
        allowed_hosts=tuple(allowed_host or ()),
    )
    from newsaudit.batch.pool import default_workers

    run_server(settings, workers=workers or default_workers())


def _given(value: str) -> str | Path:
    """A URL as it stands, anything else as a file path."""
    from newsaudit.ingest import is_url

    return value if is_url(value) else Path(value)


@app.command()
def compare(
    article: Annotated[str, typer.Argument(help="The article: text or HTML file, or http(s) URL.")],
    sources: Annotated[
        list[str],
        typer.Argument(help="One or more sources (transcripts, statements): files or URLs."),
    ],
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
    """Compare what an article says its sources said with the sources themselves."""
    from newsaudit.compare.comparison import compare as run_compare
    from newsaudit.compare.render import render
    from newsaudit.config import Limits

    limits = Limits(max_bytes=max_bytes, allow_private=allow_private)
    report = run_compare(_given(article), [_given(s) for s in sources], limits=limits)
    chosen = format or (Format.text if output is None and sys.stdout.isatty() else Format.json)
    rendered = render(report, chosen.value)
    if output is None:
        typer.echo(rendered)
    else:
        output.write_text(rendered, encoding="utf-8")
        typer.echo(f"wrote {chosen.value} comparison to {output}", err=True)


@app.command()
def schema(
    compare: Annotated[
        bool, typer.Option("--compare", help="The compare report's schema instead.")
    ] = False,
) -> None:
    """Print the Report's JSON Schema (or, with --compare, that of `newsaudit compare`)."""
    if compare:
        from newsaudit.compare.model import compare_json_schema

        typer.echo(json.dumps(compare_json_schema(), indent=2))
        return
    from newsaudit.report.model import report_json_schema

    typer.echo(json.dumps(report_json_schema(), indent=2))


@index_app.command("add")
def index_add(
    file: Annotated[
        Path,
        typer.Argument(
            help="ClaimReview JSON / JSON-LD, or CSV with the columns claim, url, date, rating."
        ),
    ],
    name: Annotated[str | None, typer.Option(help="Index name (default: the file name).")] = None,
    replace: Annotated[bool, typer.Option(help="Replace an index of the same name.")] = False,
) -> None:
    """Add a fact-check file as an index (stored beside the default store)."""
    from newsaudit.indexes import add_index, index_dir

    added, count = add_index(file, name, replace=replace)
    typer.echo(f"indexed {count} claims as {added!r} in {index_dir()}")


@index_app.command("list")
def index_list() -> None:
    """List your indexes: name, claims, file."""
    from newsaudit.indexes import index_dir, list_indexes

    rows = list_indexes()
    if not rows:
        typer.echo(f"no indexes in {index_dir()} (newsaudit index add FILE)", err=True)
    for name, count, path in rows:
        typer.echo(f"{name}\t{count if count >= 0 else 'unreadable'}\t{path}")


@index_app.command("remove")
def index_remove(name: Annotated[str, typer.Argument(help="The index to remove.")]) -> None:
    """Remove one of your indexes."""
    from newsaudit.indexes import remove

    remove(name)
    typer.echo(f"removed index {name!r}")


def _register_tasks() -> None:
    """Each module in ``newsaudit.tasks`` adds its predict/evaluate/train commands."""
    import newsaudit.tasks as tasks

    for module in sorted(pkgutil.iter_modules(tasks.__path__), key=lambda m: m.name):
        importlib.import_module(f"newsaudit.tasks.{module.name}").register(
            predict_app, evaluate_app, train_app
        )


def main() -> None:
    """The console entry point and the one place where errors become messages and exit codes."""
    from newsaudit.errors import NewsauditError

    try:
        _register_tasks()
        app()
    except KeyboardInterrupt:
        typer.echo("newsaudit: interrupted", err=True)
        sys.exit(130)
    except NewsauditError as exc:
        if _debug:
            raise
        hint = f"; {exc.cli_hint}" if exc.cli_hint else ""
        typer.echo(f"newsaudit: error: {exc}{hint}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        if _debug:
            raise
        typer.echo(
            f"newsaudit: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for the traceback)",
            err=True,
        )
        sys.exit(INTERNAL_ERROR)


if __name__ == "__main__":
    main()
