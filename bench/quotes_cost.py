"""What the quotes analyzer costs per article, alone and within all analyzers.

On 20 seeded FANG-COVID articles of training outlets (5 each of tagesspiegel.de, zeit.de,
journalistenwatch.com and de.rt.com, whole articles as ``fang_speakers.py`` reads them),
CPU seconds per article, best of two passes in one
process: all default analyzers, all but ``quotes`` (and ``claims``, which reads quotes), and
``entities`` + ``quotes``. Run it on two checkouts to compare them.

    python bench/quotes_cost.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
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
    names = [a.name for a in default_analyzers()]
    pipelines = {
        "all analyzers": Pipeline(default_analyzers()),
        "all but quotes and claims": Pipeline(
            default_analyzers([n for n in names if n not in ("quotes", "claims")])
        ),
        "entities + quotes": Pipeline(default_analyzers(["entities", "quotes"])),
        "entities": Pipeline(default_analyzers(["entities"])),
    }
    for pipeline in pipelines.values():
        pipeline.run(docs[0])  # load models outside the timing
    figures = {
        f"{name} (CPU-s per article)": round(seconds_per_article(p, docs), 4)
        for name, p in pipelines.items()
    }
    full = pipelines["all analyzers"]
    figures["quotes' own timing within all analyzers (s)"] = round(
        sum(full.run(d).timings.get("quotes", 0.0) for d in docs) / len(docs), 4
    )
    figures["articles"] = len(docs)
    print_table([(k, str(v)) for k, v in figures.items()])
    write_results(
        "quotes_cost",
        figures,
        f"{len(docs)} seeded FANG-COVID training-outlet articles, CPU seconds, best of 2 passes",
    )


if __name__ == "__main__":
    main()
