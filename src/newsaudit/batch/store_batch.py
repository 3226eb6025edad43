"""A batch into the corpus store: resumable, because every article commits on its own.

Before analysing, each window of articles is checked against the store by content hash, so
a re-run skips what an earlier (possibly killed) run already committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from newsaudit.batch.progress import ProgressLine
from newsaudit.config import Limits
from newsaudit.document import Document, Failure
from newsaudit.pipeline import Pipeline, analyze_many
from newsaudit.report.model import Report
from newsaudit.store import Store, content_hash

Analyze = Callable[[Iterable[Document | Failure]], Iterator[Report | Failure]]


@dataclass
class StoreSummary:
    seen: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)


def local_analyzer(pipeline: Pipeline | None = None) -> Analyze:
    return lambda items: analyze_many(items, pipeline)


def store_batch(
    items: Iterable[Document | Failure],
    store: Store,
    *,
    analyze: Analyze | None = None,
    window: int = 32,
    on_result: Callable[[Report | Failure], None] | None = None,
    on_progress: Callable[[StoreSummary], None] | None = None,
) -> StoreSummary:
    """Analyse what the store lacks and store it; failures are counted, never fatal."""
    analyze = analyze or local_analyzer()
    summary = StoreSummary()
    stream = iter(items)
    while chunk := list(islice(stream, window)):
        summary.seen += len(chunk)
        documents = [item for item in chunk if isinstance(item, Document)]
        known = store.known_hashes(content_hash(d.text) for d in documents)
        todo: list[Document | Failure] = []
        for item in chunk:
            if isinstance(item, Document):
                digest = content_hash(item.text)
                if digest in known:
                    summary.skipped += 1
                    continue
                known.add(digest)
            todo.append(item)
        if on_progress and len(todo) < len(chunk):
            on_progress(summary)
        for result in analyze(todo):
            if isinstance(result, Failure):
                summary.failed += 1
                summary.failures.append(result)
            elif store.add(result).created:
                summary.stored += 1
            else:
                summary.skipped += 1
            if on_result:
                on_result(result)
            if on_progress:  # after every article, so progress moves from the first one on
                on_progress(summary)
    return summary


def run_into_store(
    inputs: list[str],
    db_url: str,
    *,
    output: Path | None = None,
    limits: Limits | None = None,
    analyze: Analyze | None = None,
    progress: bool = False,
) -> StoreSummary:
    """``newsaudit batch --db``: read corpora, store new articles, optionally log them as JSONL."""
    from newsaudit.batch.runner import BatchSummary, write_results
    from newsaudit.ingest.corpus import count_records, iter_documents

    store = Store(db_url)
    out = output.open("w", encoding="utf-8") if output else None

    def log(result: Report | Failure) -> None:
        if out is not None:
            write_results([result], out, BatchSummary())

    line = ProgressLine(count_records(inputs)) if progress else None

    def report(summary: StoreSummary) -> None:
        if line is not None:
            line.update(
                analysed=summary.stored + summary.failed,
                failed=summary.failed,
                skipped=summary.skipped,
            )

    try:
        summary = store_batch(
            iter_documents(inputs, limits),
            store,
            analyze=analyze,
            on_result=log,
            on_progress=report,
        )
    finally:
        if line is not None:
            line.close()
        if out is not None:
            out.close()
        store.close()
    return summary
