"""Batch jobs of the service: an uploaded JSONL corpus analysed in the background.

One job at a time on a single worker thread (the pipeline is CPU-bound and shares the
process with the API); progress is written to the ``batches`` table, so any process
reading the same database sees it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from newsaudit.batch.progress import Rate, describe
from newsaudit.batch.store_batch import StoreSummary, store_batch
from newsaudit.config import Limits
from newsaudit.document import Document, Failure
from newsaudit.pipeline import Pipeline, analyze_many
from newsaudit.report.model import Report
from newsaudit.store import Store

log = logging.getLogger(__name__)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def batch_progress(batch: dict[str, Any], now: dt.datetime | None = None) -> dict[str, Any]:
    """A stored batch's rate (articles per second) and seconds left, and a line saying both."""
    rate = left = None
    if batch.get("started_at") and batch["status"] in ("running", "done"):
        started = dt.datetime.fromisoformat(batch["started_at"])
        end = dt.datetime.fromisoformat(batch["updated_at"]) if batch["status"] == "done" else None
        clock = Rate(
            total=batch["total"],
            done=batch["done"],
            analysed=batch["stored"] + batch["failed"],
            started=0.0,
        )
        rate, left = clock.estimate(((end or now or utcnow()) - started).total_seconds())
    counts = (
        f"{batch['stored']:,} stored · {batch['skipped']:,} already stored · "
        f"{batch['failed']:,} failed"
    )
    return {
        "rate": rate,
        "seconds_left": left if batch["status"] == "running" else None,
        "progress": describe(batch["done"], batch["total"], rate, left, counts),
    }


class BatchJobs:
    def __init__(self, store: Store, pipeline: Pipeline, lock: threading.Lock) -> None:
        self.store = store
        self.pipeline = pipeline
        self.lock = lock
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsaudit-batch")

    def _analyze(self, items: Iterable[Document | Failure]) -> Iterator[Report | Failure]:
        for item in items:
            with self.lock:
                result = next(analyze_many([item], self.pipeline))
            yield result

    def submit(self, path: Path, limits: Limits, name: str = "upload") -> str:
        """Queue the JSONL file at ``path`` (deleted when done); returns the batch id.

        Rows without an id are called ``name:line``, so no error shows the server's path.
        """
        from newsaudit.ingest.corpus import count_records

        batch_id = self.store.create_batch(total=count_records([str(path)]) or 0)
        self._executor.submit(self._run, batch_id, path, limits, name)
        return batch_id

    def _run(self, batch_id: str, path: Path, limits: Limits, name: str) -> None:
        from newsaudit.ingest.corpus import jsonl_records

        def progress(summary: StoreSummary) -> None:
            self.store.update_batch(
                batch_id,
                done=summary.stored + summary.skipped + summary.failed,
                stored=summary.stored,
                skipped=summary.skipped,
                failed=summary.failed,
            )

        try:
            self.store.update_batch(batch_id, status="running", started_at=utcnow())
            with path.open("rb") as stream:
                summary = store_batch(
                    jsonl_records(stream, name, limits),
                    self.store,
                    analyze=self._analyze,
                    window=8,
                    on_progress=progress,
                )
            message = "; ".join(f"{f.id}: {f.error}" for f in summary.failures[:20]) or None
            self.store.update_batch(
                batch_id,
                status="done",
                done=summary.seen,
                total=summary.seen,
                stored=summary.stored,
                skipped=summary.skipped,
                failed=summary.failed,
                message=message,
            )
        except Exception as exc:  # the job must end in a visible state, whatever happened
            log.exception("batch %s failed", batch_id)
            self.store.update_batch(
                batch_id, status="failed", message=f"{type(exc).__name__}: {exc}"
            )
        finally:
            path.unlink(missing_ok=True)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
