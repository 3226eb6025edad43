"""Distribute the pipeline over dask.distributed: a scheduler address or a local cluster.

Articles travel in small chunks; each worker process builds the default pipeline once (a
module global there), so models load once per worker, not once per task. Results come back
in input order, with a bounded number of chunks in flight so memory stays flat.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from newsaudit.document import Document, Failure
from newsaudit.errors import NewsauditError
from newsaudit.pipeline import analyze_many
from newsaudit.report.model import Report


def _analyze_chunk(documents: list[Document]) -> list[Report | Failure]:
    """Runs on a worker: the worker's process-wide pipeline loads its models once."""
    return list(analyze_many(documents))


class DaskAnalyzer:
    """Callable like :func:`newsaudit.pipeline.analyze_many`, but spread over a cluster."""

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int | None = None,
        chunk_size: int = 8,
        in_flight_per_worker: int = 3,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - dask is a declared dependency
            raise NewsauditError(
                "--dask needs dask.distributed: pip install 'dask[distributed]'"
            ) from None
        self.chunk_size = chunk_size
        self._cluster: Any = None
        if scheduler:
            try:
                self.client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise NewsauditError(
                    f"cannot reach the Dask scheduler at {scheduler}: {exc}"
                ) from None
        else:
            # One thread per worker: our models are not thread-parallel and the GIL would
            # serialise them anyway. Workers inherit OMP_NUM_THREADS=1 to avoid oversubscription.
            os.environ.setdefault("OMP_NUM_THREADS", "1")
            self._cluster = LocalCluster(
                n_workers=workers or 2,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            self.client = Client(self._cluster)
        n_workers = max(1, len(self.client.scheduler_info().get("workers", {})) or (workers or 1))
        self.max_in_flight = n_workers * in_flight_per_worker

    def __call__(self, items: Iterable[Document | Failure]) -> Iterator[Report | Failure]:
        pending: deque[Any] = deque()
        stream = iter(items)
        while chunk := list(islice(stream, self.chunk_size)):
            documents = [item for item in chunk if isinstance(item, Document)]
            future = (
                self.client.submit(_analyze_chunk, documents, pure=False) if documents else None
            )
            pending.append((chunk, future))
            if len(pending) >= self.max_in_flight:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    @staticmethod
    def _collect(chunk: list[Document | Failure], future: Any) -> Iterator[Report | Failure]:
        results = iter(future.result() if future is not None else [])
        for item in chunk:
            yield item if isinstance(item, Failure) else next(results)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskAnalyzer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
