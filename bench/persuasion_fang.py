"""Technique flags per 1,000 words on the seeded sample of FANG-COVID's five test outlets.

Evaluation only (issue 15): these outlets are never trained, tuned or thresholded on. Each
article of ``fang_sample.draw()`` (60 sueddeutsche.de, 15 each of freiewelt.net,
compact-online.de, kopp-report.de, anonymousnews.ru) runs through the real pipeline (the
techniques and persuasion analyzers); the figures are strong and all flags per 1,000 words
on Süddeutsche (pooled over its words, and the mean of its articles), per technique there,
and the ROC-AUC of each article's flag density between the two outlet groups.

    python bench/persuasion_fang.py      # writes bench/results/persuasion_fang.json
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table, write_results  # noqa: E402
from fang_sample import RELIABLE, draw, group  # noqa: E402


def main() -> None:
    from newsaudit.analyzers.persuasion import PersuasionAnalyzer
    from newsaudit.analyzers.techniques import TechniqueAnalyzer
    from newsaudit.benchmarks.metrics import roc_auc
    from newsaudit.config import Limits
    from newsaudit.ingest.corpus import record_to_document
    from newsaudit.pipeline import Pipeline, analyze_document

    pipeline = Pipeline([TechniqueAnalyzer(), PersuasionAnalyzer()])
    began = time.perf_counter()
    articles = []
    for record in draw():
        report = analyze_document(record_to_document(record, record["id"], Limits()), pipeline)
        p = report.persuasion
        if p is None:  # not German: the analyzers skipped it
            continue
        articles.append(
            {
                "id": record["id"],
                "source": record["source"],
                "group": group(record["source"]),
                "words": p.words,
                "strong": p.strong,
                "all": p.all,
                "strong_per_1000_words": p.strong_per_1000_words,
                "all_per_1000_words": p.all_per_1000_words,
                "percentile": p.percentile,
                "strong_techniques": [
                    f.technique for f in report.techniques if f.level == "strong"
                ],
                "all_techniques": [f.technique for f in report.techniques],
            }
        )
    reliable = [a for a in articles if a["source"] in RELIABLE]
    words = sum(a["words"] for a in reliable)
    figures: dict = {"articles": len(articles), "seconds": round(time.perf_counter() - began, 1)}
    positive = [a["group"] == "unreliable" for a in articles]
    for level in ("strong", "all"):
        rates = [a[f"{level}_per_1000_words"] for a in articles]
        per_technique = Counter(t for a in reliable for t in a[f"{level}_techniques"])
        figures[level] = {
            "sueddeutsche_per_1000_words_pooled": round(
                1000 * sum(a[level] for a in reliable) / words, 2
            ),
            "sueddeutsche_per_1000_words_mean": round(
                sum(a[f"{level}_per_1000_words"] for a in reliable) / len(reliable), 2
            ),
            "unreliable_per_1000_words_pooled": round(
                1000
                * sum(a[level] for a in articles if a["group"] == "unreliable")
                / sum(a["words"] for a in articles if a["group"] == "unreliable"),
                2,
            ),
            "roc_auc_density": round(roc_auc(rates, positive), 4),
            "sueddeutsche_per_technique_per_1000_words": {
                t: round(1000 * n / words, 2) for t, n in per_technique.most_common()
            },
        }
    figures["sueddeutsche_articles_unusual"] = sum(
        1 for a in reliable if (a["percentile"] or 0) > 90
    )
    figures["per_article"] = articles
    print_table(
        [
            (
                f"{level} flags / 1,000 words, sueddeutsche.de (pooled)",
                str(figures[level]["sueddeutsche_per_1000_words_pooled"]),
            )
            for level in ("strong", "all")
        ]
        + [
            (
                f"{level} flags: ROC-AUC of density, unreliable vs sueddeutsche.de",
                str(figures[level]["roc_auc_density"]),
            )
            for level in ("strong", "all")
        ]
    )
    path = write_results(
        "persuasion_fang",
        figures,
        "seeded FANG-COVID test-outlet sample (bench/fang_sample.py, ids in "
        "bench/results/fang_sample_ids.json); techniques + persuasion analyzers",
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
