"""Local worker processes: same results as one process, and a dead worker loses no article."""

from __future__ import annotations

import os
import signal

import pytest

from newsaudit.batch.pool import ProcessAnalyzer, default_workers
from newsaudit.config import Limits
from newsaudit.document import Failure
from newsaudit.ingest.corpus import record_to_document
from newsaudit.pipeline import Pipeline, analyze_many, default_analyzers

ANALYZERS = ["entities", "quotes", "keywords"]


def _comparable(result) -> dict:
    if isinstance(result, Failure):
        return result.to_dict()
    return result.model_dump(exclude={"timings"})


def test_default_is_every_core_this_process_may_use() -> None:
    assert default_workers() == len(os.sched_getaffinity(0))


@pytest.mark.slow
def test_two_workers_equal_one_process_and_keep_bad_rows_in_place(synthetic) -> None:
    rows = synthetic(24)
    items = [record_to_document(r, r["id"], Limits()) for r in rows]
    items.insert(5, Failure(id="bad-row", error="row is not valid JSON"))
    single = [_comparable(r) for r in analyze_many(items, Pipeline(default_analyzers(ANALYZERS)))]
    with ProcessAnalyzer(2, ANALYZERS) as pool:
        pooled = [_comparable(r) for r in pool(items)]
    assert len(pooled) == 25
    assert pooled == single


@pytest.mark.slow
def test_a_killed_worker_costs_no_article(synthetic) -> None:
    rows = synthetic(16)
    items = [record_to_document(r, r["id"], Limits()) for r in rows]
    with ProcessAnalyzer(2, ["keywords"], chunk_size=2) as pool:
        results = pool(items)
        first = next(results)
        victim = next(iter(pool._pool._processes))
        os.kill(victim, signal.SIGKILL)
        rest = list(results)
    ids = [r.id for r in [first, *rest]]
    assert ids == [r["id"] for r in rows]
    # The kill came from outside, so every article in flight succeeds when retried alone.
    assert not [r for r in rest if isinstance(r, Failure)]
