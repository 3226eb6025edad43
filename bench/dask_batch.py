"""Batch throughput: one process vs a 2-worker local Dask cluster, on the same articles.

Both sides analyse the same pre-ingested Documents after their models are loaded, in
alternating rounds (best round counts); cluster start-up (spawning workers, loading models
there) is reported separately. The machine's load average is recorded because the 2 cores
may be shared; CPU time per article (Dask: workers plus the process hosting scheduler and
client) shows the distribution overhead whatever the load.

    python -m bench.dask_batch [--articles 200] [--rounds 2] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.common import print_table, write_results
from bench.corpus import fang_rows


def _warm_worker() -> bool:
    from newsaudit.ingest import document_from_text
    from newsaudit.pipeline import default_pipeline

    default_pipeline().run(document_from_text("Die Stadt plant eine neue Brücke in Kassel."))
    return True


def _cpu_seconds() -> float:
    """CPU time of the calling process (user + system), for Client.run on each worker."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=8)
    args = parser.parse_args()

    from newsaudit.batch.dask_runner import DaskAnalyzer
    from newsaudit.config import Limits
    from newsaudit.document import Failure
    from newsaudit.ingest.corpus import record_to_document
    from newsaudit.pipeline import Pipeline, analyze_many

    rows = fang_rows(args.articles)
    documents = [record_to_document(r, r["id"], Limits()) for r in rows]
    load_before = os.getloadavg()[0]

    pipeline = Pipeline()
    list(analyze_many(documents[:5], pipeline))
    began = time.perf_counter()
    dask = DaskAnalyzer(workers=args.workers, chunk_size=args.chunk_size)
    dask.client.run(_warm_worker)
    startup_s = time.perf_counter() - began

    # Alternate the two so that a change in the machine's load hits both alike.
    single_runs, dask_runs, single_cpu, dask_cpu = [], [], [], []
    try:
        for _ in range(args.rounds):
            began, cpu = time.perf_counter(), time.process_time()
            single = list(analyze_many(documents, pipeline))
            single_runs.append(time.perf_counter() - began)
            single_cpu.append(time.process_time() - cpu)
            workers_cpu = sum(dask.client.run(_cpu_seconds).values())
            began, cpu = time.perf_counter(), time.process_time()
            distributed = list(dask(documents))
            dask_runs.append(time.perf_counter() - began)
            # Workers plus this process, which hosts the scheduler and the client.
            dask_cpu.append(
                sum(dask.client.run(_cpu_seconds).values())
                - workers_cpu
                + time.process_time()
                - cpu
            )
    finally:
        dask.close()

    def same(a, b) -> bool:
        if isinstance(a, Failure) or isinstance(b, Failure):
            return a == b
        return a.model_dump(exclude={"timings"}) == b.model_dump(exclude={"timings"})

    identical = len(single) == len(distributed) and all(map(same, single, distributed))
    single_s, dask_s = min(single_runs), min(dask_runs)
    figures = {
        "articles": len(documents),
        "rounds": args.rounds,
        "single_process_seconds_per_round": [round(x, 2) for x in single_runs],
        "dask_seconds_per_round": [round(x, 2) for x in dask_runs],
        "single_process_articles_per_second": round(len(documents) / single_s, 2),
        "single_process_cpu_ms_per_article": round(1000 * min(single_cpu) / len(documents), 1),
        "dask_cpu_ms_per_article": round(1000 * min(dask_cpu) / len(documents), 1),
        "dask_workers": args.workers,
        "dask_chunk_size": args.chunk_size,
        "dask_startup_seconds": round(startup_s, 2),
        "dask_articles_per_second": round(len(documents) / dask_s, 2),
        "speedup_vs_single_process": round(single_s / dask_s, 2),
        "results_identical": identical,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    print_table([(k, str(v)) for k, v in figures.items()])
    mean_chars = round(statistics.mean(len(d.text) for d in documents))
    path = write_results(
        "dask_batch",
        figures,
        f"{len(documents)} FANG-COVID articles (first rows, >= 300 chars, cut at 12000; mean "
        f"{mean_chars} chars), pre-ingested; default pipeline",
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
