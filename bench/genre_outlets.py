"""Share of articles labelled opinion per outlet group of FANG-COVID (issue 15).

Runs the ``genre_frames`` analyzer on two seeded samples: 25 articles of each of the eight
training outlets (where genre choices may be tuned) and the 120-article sample of the five
test outlets (``fang_sample.py``; evaluation only). Per outlet and per group (reliable:
sueddeutsche.de, tagesspiegel.de, zeit.de; unreliable: the others) it reports the share
labelled opinion and the mean opinion probability, and the ROC-AUC of the opinion
probability as a signal of the unreliable group. Writes ``bench/results/genre_outlets.json``.

    python bench/genre_outlets.py [--per-outlet 25]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table, write_results  # noqa: E402
from fang_sample import CORPUS, draw  # noqa: E402
from newsaudit.benchmarks.fang import records  # noqa: E402

TRAINING_OUTLETS = {
    "tagesspiegel.de": "reliable",
    "zeit.de": "reliable",
    "journalistenwatch.com": "unreliable",
    "de.rt.com": "unreliable",
    "rubikon.news": "unreliable",
    "pravda-tv.com": "unreliable",
    "contra-magazin.com": "unreliable",
    "politikstube.com": "unreliable",
}
TRAINING_SEED = 21
MIN_CHARS = 200


def training_sample(per_outlet: int) -> list[dict]:
    pools: dict[str, list[dict]] = {name: [] for name in TRAINING_OUTLETS}
    for row in records(CORPUS):
        if row["source"] in pools and len(row.get("article") or "") >= MIN_CHARS:
            pools[row["source"]].append(row)
    rng = random.Random(TRAINING_SEED)
    return [
        r
        for name in sorted(pools)
        for r in rng.sample(sorted(pools[name], key=lambda r: int(r["id"])), per_outlet)
    ]


def group_of(source: str) -> str:
    if source in TRAINING_OUTLETS:
        return TRAINING_OUTLETS[source]
    return "reliable" if source == "sueddeutsche.de" else "unreliable"


def opinion_scores(records: list[dict]) -> list[tuple[str, float, str]]:
    """(outlet, opinion probability, label) per article."""
    from newsaudit.config import Limits
    from newsaudit.ingest.corpus import record_to_document
    from newsaudit.pipeline import Pipeline, default_analyzers

    pipeline = Pipeline(default_analyzers(["genre_frames"]))
    out = []
    for record in records:
        report = pipeline.run(record_to_document(record, record["id"], Limits()))
        genre = report.genre
        if genre is not None:
            out.append((record["source"], genre.scores.get("opinion", 0.0), genre.label))
    return out


def summary(scores: list[tuple[str, float, str]]) -> dict:
    from sklearn.metrics import roc_auc_score

    def stats(rows):
        return {
            "n": len(rows),
            "opinion_share": round(sum(label == "opinion" for _, _, label in rows) / len(rows), 3),
            "mean_opinion_probability": round(sum(p for _, p, _ in rows) / len(rows), 3),
        }

    groups = {g: [r for r in scores if group_of(r[0]) == g] for g in ("reliable", "unreliable")}
    outlets = sorted({r[0] for r in scores})
    y = [group_of(r[0]) == "unreliable" for r in scores]
    return {
        "groups": {g: stats(rows) for g, rows in groups.items() if rows},
        "outlets": {o: stats([r for r in scores if r[0] == o]) for o in outlets},
        "opinion_auc_unreliable": round(float(roc_auc_score(y, [r[1] for r in scores])), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-outlet", type=int, default=25)
    args = parser.parse_args()
    figures = {
        "training_outlets": summary(opinion_scores(training_sample(args.per_outlet))),
        "test_outlets": summary(opinion_scores(draw())),
    }
    rows = [
        (f"{split} {group}", f"{v['opinion_share']:.2f} opinion (n={v['n']})")
        for split, part in figures.items()
        for group, v in part["groups"].items()
    ]
    print_table(rows)
    path = write_results(
        "genre_outlets", figures, "FANG-COVID: 25 per training outlet, test sample"
    )
    print(path)


if __name__ == "__main__":
    main()
