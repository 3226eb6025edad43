"""What the entities analyzer costs per article, alone and within all analyzers.

On 20 seeded FANG-COVID articles of training outlets (5 each of tagesspiegel.de, zeit.de,
journalistenwatch.com and de.rt.com, of at least 1,500 characters), CPU seconds per
article, best of two passes in one process: ``entities`` alone and all default analyzers
(there is no "all but entities": the quotes analyzer needs it, and so claims, narratives
and credibility). CPU time still moves by a fifth between runs on the shared machine, so
compare two checkouts run at the same time (the code under test is the one on
PYTHONPATH):

    OMP_NUM_THREADS=1 PYTHONPATH=src python bench/entities_cost.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    print_table,
    seconds_per_article,
    training_outlet_documents,
    write_results,
)


def main() -> None:
    from newsaudit.pipeline import Pipeline, default_analyzers

    docs = training_outlet_documents()
    pipelines = {
        "entities": Pipeline(default_analyzers(["entities"])),
        "all analyzers": Pipeline(default_analyzers()),
    }
    for pipeline in pipelines.values():
        pipeline.run(docs[0])  # load models outside the timing
    figures: dict[str, object] = {
        f"{name} (CPU-s per article)": round(seconds_per_article(p, docs), 4)
        for name, p in pipelines.items()
    }
    figures["articles"] = len(docs)
    figures["mean_chars_per_article"] = round(sum(len(d.text) for d in docs) / len(docs))
    print_table([(k, str(v)) for k, v in figures.items()])
    write_results(
        "entities_cost",
        figures,
        f"{len(docs)} seeded FANG-COVID training-outlet articles, CPU seconds, best of 2 passes",
    )


if __name__ == "__main__":
    main()
