"""Every core busy: the pipeline in local worker processes, results in input order.

Each worker builds its pipeline once (models load once per worker) and analyses whole
articles, so an article's report does not depend on which worker or batch-mates it had: the
output equals a run in one process. A worker that dies (killed, out of memory) costs only the
articles it held, which become error records; a fresh pool takes the rest.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from newsaudit.document import Document, Failure
from newsaudit.pipeline import Pipeline, analyze_many
from newsaudit.report.model import Report

_worker_pipeline: Pipeline | None = None


def default_workers() -> int:
    """The cores this process may use (all of them unless an affinity mask says less)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity masks
        return max(1, os.cpu_count() or 1)


def _start_worker(analyzers: list[str] | None) -> None:
    global _worker_pipeline
    from newsaudit.pipeline import default_analyzers

    _exit_with_parent()

    _worker_pipeline = Pipeline(default_analyzers(analyzers)) if analyzers else Pipeline()


def _exit_with_parent() -> None:
    """A worker whose batch was killed (``kill -9``) must not linger holding its models."""
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="newsaudit-parent-watch", daemon=True).start()


def _analyze_chunk(documents: list[Document]) -> list[Report | Failure]:
    return list(analyze_many(documents, _worker_pipeline))


class ProcessAnalyzer:
    """Callable like :func:`newsaudit.pipeline.analyze_many`, spread over local processes."""

    def __init__(
        self,
        workers: int,
        analyzers: list[str] | None = None,
        chunk_size: int = 4,
        in_flight_per_worker: int = 2,
    ) -> None:
        # Each worker is one thread of compute; more ONNX threads would fight over the cores.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        self.workers = workers
        self.analyzers = analyzers
        self.chunk_size = chunk_size
        self.max_in_flight = workers * in_flight_per_worker
        self._generation = 0
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.analyzers,),
        )

    def __call__(self, items: Iterable[Document | Failure]) -> Iterator[Report | Failure]:
        pending: deque[tuple[list[Document | Failure], Future | None, int]] = deque()
        stream = iter(items)
        while chunk := list(islice(stream, self.chunk_size)):
            pending.append((chunk, self._submit(_documents(chunk)), self._generation))
            if len(pending) >= self.max_in_flight:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    def _submit(self, documents: list[Document]) -> Future | None:
        if not documents:
            return None
        try:
            return self._pool.submit(_analyze_chunk, documents)
        except BrokenProcessPool:
            self._restart(self._generation)
            return self._pool.submit(_analyze_chunk, documents)

    def _collect(
        self, chunk: list[Document | Failure], future: Future | None, generation: int
    ) -> Iterator[Report | Failure]:
        try:
            results = iter(future.result() if future is not None else [])
        except (BrokenProcessPool, CancelledError):
            # Any article in flight may have killed the pool: retry each alone, so only
            # the one that kills a worker again becomes an error record.
            self._restart(generation)
            results = iter([self._alone(document) for document in _documents(chunk)])
        for item in chunk:
            yield item if isinstance(item, Failure) else next(results)

    def _alone(self, document: Document) -> Report | Failure:
        generation = self._generation
        try:
            return self._pool.submit(_analyze_chunk, [document]).result()[0]
        except BrokenProcessPool:
            self._restart(generation)
            return Failure(
                id=document.id,
                error="the worker analysing this article died (out of memory or killed)",
                kind="WorkerDied",
            )

    def _restart(self, generation: int) -> None:
        """A new pool, unless one already replaced the pool of ``generation``."""
        if generation != self._generation:
            return
        self._pool.shutdown(wait=False)
        self._pool = self._new_pool()
        self._generation += 1

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ProcessAnalyzer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _documents(chunk: list[Document | Failure]) -> list[Document]:
    return [item for item in chunk if isinstance(item, Document)]
