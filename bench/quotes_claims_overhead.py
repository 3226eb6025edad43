"""What quotes + claims add to the per-article time of the default pipeline.

On the first N German SemEval-2023 articles (default 40) plus the sample, measures CPU
seconds per article of the default pipeline without the ``quotes`` and ``claims`` analyzers
and the analyzers that read them (baseline; listed in the results) and with all of them, in
the same process and run, and reports the added share. Also reports each of the two
analyzers' own time per article from ``Report.timings``.

    python bench/quotes_claims_overhead.py [--articles 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SHARED_DATA, print_table, seconds_per_article, write_results  # noqa: E402

ARTICLES = SHARED_DATA / "semeval2023-task3" / "de" / "train" / "articles"
SAMPLE = SHARED_DATA.parent / "samples" / "seed-article-de.txt"
OURS = ("quotes", "claims")


def documents(n: int):
    from newsaudit.ingest import load_path

    paths = sorted(ARTICLES.glob("*.txt"))[:n] + ([SAMPLE] if SAMPLE.is_file() else [])
    return [load_path(p) for p in paths]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    from newsaudit.pipeline import Pipeline, analyzers_without, default_analyzers

    docs = documents(args.articles)
    if not docs:
        raise SystemExit(f"no articles under {ARTICLES}")
    full = Pipeline(default_analyzers())
    baseline = Pipeline(analyzers_without(OURS))
    for pipeline in (full, baseline):
        pipeline.run(docs[0])  # load models outside the timing
    base = seconds_per_article(baseline, docs, args.repeats)
    with_ours = seconds_per_article(full, docs, args.repeats)
    own = {name: statistics.mean(full.run(d).timings.get(name, 0.0) for d in docs) for name in OURS}
    chars = statistics.mean(len(d.text) for d in docs)
    figures = {
        "articles": len(docs),
        "mean_chars_per_article": round(chars),
        "baseline_analyzers": [a.name for a in baseline.analyzers],
        "left_out": sorted({a.name for a in full.analyzers} - {a.name for a in baseline.analyzers}),
        "baseline_seconds_per_article": round(base, 4),
        "with_quotes_claims_seconds_per_article": round(with_ours, 4),
        "added_share": round(with_ours / base - 1, 3),
        "quotes_seconds_per_article": round(own["quotes"], 4),
        "claims_seconds_per_article": round(own["claims"], 4),
        "target_added_share": 0.2,
    }
    print_table([(k, str(v)) for k, v in figures.items()])
    write_results(
        "quotes_claims_overhead",
        figures,
        f"first {len(docs)} German SemEval-2023 train articles (+ the sample), CPU seconds, "
        f"best of {args.repeats} passes, one process",
    )


if __name__ == "__main__":
    main()
