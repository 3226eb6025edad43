"""Known narratives on everyday and unreliable news: matches per article and the cost.

On the seeded FANG-COVID test-outlet sample (``bench/fang_sample.py``: 60 sueddeutsche.de,
15 of each of freiewelt.net, compact-online.de, kopp-report.de, anonymousnews.ru; evaluation
only, nothing is tuned on them) runs the analyzers the narratives analyzer builds on (quotes,
claims, and techniques, whose paragraph encodings it reuses) and the narratives analyzer,
and reports per outlet the articles with a match, the matches per article and the most
matched cases; the CPU seconds per article of the narratives analyzer itself and, in the same
run, of the analyzers before it (the baseline); and the packaged index's size.

    python bench/narratives.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table, write_results  # noqa: E402
from fang_sample import RELIABLE, UNRELIABLE, draw  # noqa: E402


def main() -> None:
    from newsaudit.errors import NewsauditError
    from newsaudit.ingest import document_from_text
    from newsaudit.models import narratives
    from newsaudit.pipeline import Pipeline, default_analyzers

    sample = draw()
    documents = []
    for row in sample:
        text = f"{row.get('header') or ''}\n\n{row['article']}".strip()
        try:
            documents.append((row["source"], document_from_text(text, id=row["id"])))
        except NewsauditError:
            continue
    pipeline = Pipeline(default_analyzers(["claims", "techniques", "narratives"]))
    pipeline.run(documents[0][1])  # models loaded before timing
    narratives_analyzer = next(a for a in pipeline.analyzers if a.name == "narratives")
    spent = {"cpu": 0.0}
    analyze = narratives_analyzer.analyze

    def timed(context):
        started = time.process_time()
        try:
            return analyze(context)
        finally:
            spent["cpu"] += time.process_time() - started

    narratives_analyzer.analyze = timed
    reports = []
    total = 0.0
    for source, document in documents:
        started = time.process_time()
        reports.append((source, pipeline.run(document)))
        total += time.process_time() - started
    n = len(reports)
    added = spent["cpu"] / n
    figures: dict = {
        "articles": n,
        "cpu_s_per_article_baseline_quotes_claims_techniques": round((total - spent["cpu"]) / n, 4),
        "cpu_s_per_article_narratives": round(added, 4),
        "narratives_share_of_the_run": round(spent["cpu"] / total, 4),
        "narratives_wall_s_median": round(
            statistics.median(r.timings.get("narratives", 0.0) for _, r in reports), 4
        ),
        "passages_per_article": round(statistics.mean(len(r.claims) for _, r in reports), 2),
        "index_bytes": sum(
            (narratives.MODEL_DIR / name).stat().st_size for name in narratives.FILES
        ),
        "outlets": {},
    }
    rows = []
    for outlet in [*RELIABLE, *UNRELIABLE]:
        own = [r for s, r in reports if s == outlet]
        titles = Counter(m.title for r in own for m in r.narratives)
        figures["outlets"][outlet] = {
            "articles": len(own),
            "with_a_match": sum(bool(r.narratives) for r in own),
            "matches_per_article": round(statistics.mean(len(r.narratives) for r in own), 3),
            "most_matched": titles.most_common(5),
        }
        f = figures["outlets"][outlet]
        rows.append(
            (outlet, f"{f['with_a_match']}/{f['articles']} with a match, "
             f"{f['matches_per_article']} per article")
        )  # fmt: skip
    rows.append(("narratives, CPU s per article", f"{added:.3f}"))
    rows.append(
        ("quotes+claims+techniques, CPU s per article", f"{(total - spent['cpu']) / n:.3f}")
    )
    rows.append(("index size, MB", f"{figures['index_bytes'] / 2**20:.1f}"))
    print_table(rows)
    path = write_results(
        "narratives",
        figures,
        "seeded FANG-COVID test-outlet sample (bench/fang_sample.py, seed 15): header + "
        "article; one pipeline quotes+claims+techniques+narratives, CPU time of narratives "
        "measured around its analyze()",
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
