"""The local batch runner: stream articles through the pipeline into a JSON Lines file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from newsaudit.batch.progress import ProgressLine
from newsaudit.config import Limits
from newsaudit.document import Document, Failure
from newsaudit.pipeline import Pipeline, analyze_many
from newsaudit.report.model import Report


@dataclass
class BatchSummary:
    ok: int = 0
    failed: int = 0


def write_results(
    results: Iterable[Report | Failure],
    out: IO[str],
    summary: BatchSummary,
    on_write: ProgressLine | None = None,
) -> None:
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
        if on_write is not None:
            on_write.update(analysed=summary.ok + summary.failed, failed=summary.failed)


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
    analyze: Callable[[Iterable[Document | Failure]], Iterable[Report | Failure]] | None = None,
) -> BatchSummary:
    """Analyse ``inputs`` into JSON Lines at ``output``, locally or through ``analyze`` (Dask)."""
    from newsaudit.ingest.corpus import count_records, iter_documents

    summary = BatchSummary()
    documents = iter_documents(inputs, limits)
    results = analyze(documents) if analyze else analyze_many(documents, pipeline)
    with output.open("w", encoding="utf-8") as out:
        if not progress:
            write_results(results, out, summary)
            return summary
        line = ProgressLine(count_records(inputs))
        try:
            write_results(results, out, summary, on_write=line)
        finally:
            line.close()
    return summary
