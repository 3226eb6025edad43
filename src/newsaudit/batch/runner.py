"""The local batch runner: stream articles through the pipeline into a JSON Lines file."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from newsaudit.config import Limits
from newsaudit.pipeline import Failure, Pipeline, analyze_many
from newsaudit.report.model import Report


@dataclass
class BatchSummary:
    ok: int = 0
    failed: int = 0


def write_results(results: Iterable[Report | Failure], out: IO[str], summary: BatchSummary) -> None:
    """One line per article; flushed per line so an interrupted run keeps what it wrote."""
    for result in results:
        if isinstance(result, Failure):
            summary.failed += 1
            line = _failure_json(result)
        else:
            summary.ok += 1
            line = result.model_dump_json()
        out.write(line + "\n")
        out.flush()


def _failure_json(failure: Failure) -> str:
    import json

    return json.dumps(failure.to_dict(), ensure_ascii=False)


def run_batch(
    inputs: list[str],
    output: Path,
    *,
    limits: Limits | None = None,
    progress: bool = True,
    pipeline: Pipeline | None = None,
) -> BatchSummary:
    from newsaudit.ingest.corpus import iter_documents

    summary = BatchSummary()
    results = analyze_many(iter_documents(inputs, limits), pipeline)
    show = progress and sys.stderr.isatty()
    with output.open("w", encoding="utf-8") as out:
        if not show:
            write_results(results, out, summary)
            return summary
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(
            SpinnerColumn(),
            TextColumn("{task.completed} articles"),
            TextColumn("[red]{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            transient=False,
        ) as bar:
            task = bar.add_task("batch", total=None, failed=0)

            def counted() -> Iterable[Report | Failure]:
                for result in results:
                    yield result
                    bar.update(task, advance=1, failed=summary.failed + isinstance(result, Failure))

            write_results(counted(), out, summary)
    return summary
