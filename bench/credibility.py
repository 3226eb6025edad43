"""Credibility score on the five FANG-COVID test outlets (never trained or tuned on), and the
credibility analyzer's share of the time of all analyzers.

Sample: the first ``--sz`` articles of sueddeutsche.de (reliable) and the first ``--other``
of each of freiewelt.net, compact-online.de, kopp-report.de and anonymousnews.ru
(unreliable) in the seeded order of ``newsaudit.benchmarks.fang`` (headline plus the first
3,000 characters of the body); the ids are written to the results. Each article runs through
the pipeline without the credibility analyzer once (Reports cached under ``--cache``); the
credibility layer is then computed from the stored Report exactly as the analyzer does
(``analyzers.credibility.assess``). Figures: ROC-AUC of ``credibility.score`` (label:
reliable outlet), and of each single signal feature in the direction it points on the
training outlets (from the model's metrics.json), strong-flag density among them.

Timing: ``--timing`` further test articles through the whole default pipeline; the
credibility analyzer's seconds against the sum of all analyzers' seconds, in the same run.

    OMP_NUM_THREADS=1 python bench/credibility.py --cache /tmp/credibility-cache
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO, RESULTS, print_table, write_results  # noqa: E402

sys.path.insert(0, str(REPO / "src"))

# A figure scored here under another name than in training's single-feature table.
_TRAINED_AS = {"persuasion_density": "technique_flags"}
OTHERS = ("anonymousnews.ru", "compact-online.de", "freiewelt.net", "kopp-report.de")
SZ = "sueddeutsche.de"


def _auc(y, p) -> float:  # noqa: ANN001
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(y, p)), 4)


def sample(sz: int, other: int, offset: int = 0) -> list[dict]:
    from newsaudit.benchmarks.fang import read_by_outlet, shuffled

    ordered = shuffled(read_by_outlet())
    picked = [r for k in range(offset, offset + sz) for r in ordered[SZ][k : k + 1]]
    picked += [
        r for k in range(offset, offset + other) for o in OTHERS for r in ordered[o][k : k + 1]
    ]
    return picked


def scores(records: list[dict], cache: Path) -> tuple[list[dict], list[float], list[dict]]:
    from newsaudit.analyzers.credibility import assess
    from newsaudit.analyzers.credibility_signals import ArticleView
    from newsaudit.models import credibility, subjectivity
    from newsaudit.nlp.credibility_score import WORD_USE, signal_features
    from newsaudit.report.model import Report
    from newsaudit.train.credibility import cached_articles

    scorer, word_use = credibility.load(), credibility.load_word_use()
    fast = subjectivity.load_fast()
    rows, out, feats = [], [], []
    for row in cached_articles(records, cache):
        report = Report.model_validate({**row.report, "credibility": None, "findings": []})
        view = ArticleView.of_report(
            report, subjective=fast.predict_proba, subjective_threshold=fast.threshold
        )
        result = assess(view, scorer, word_use)
        rows.append({"id": row.id, "outlet": row.outlet, "reliable": row.reliable})
        out.append(result.score)
        techniques = [flag.technique for flag in view.techniques]
        features = signal_features(
            result.signals, result.attribution_shares, view.words, techniques
        )
        strong = next(s for s in result.signals if s.name == "persuasion_density")
        features["persuasion_density"] = float(strong.value)
        features[WORD_USE] = word_use.logit(view.text)
        feats.append(features)
    return rows, out, feats


def timing(records: list[dict]) -> dict:
    from newsaudit.benchmarks.fang import article_text
    from newsaudit.ingest import document_from_text
    from newsaudit.pipeline import Pipeline

    pipeline = Pipeline()
    pipeline.run(document_from_text(article_text(records[0])))  # load every model first
    spent: dict[str, float] = {}
    for record in records[1:]:
        report = pipeline.run(document_from_text(article_text(record)))
        for analyzer in report.analyzers:
            spent[analyzer.name] = spent.get(analyzer.name, 0.0) + report.timings.get(
                analyzer.name, 0.0
            )
    total = sum(spent.values())
    others = total - spent.get("credibility", 0.0)
    return {
        "articles": len(records) - 1,
        "seconds_per_analyzer": {k: round(v, 3) for k, v in spent.items()},
        "credibility_seconds_per_article": round(
            spent.get("credibility", 0.0) / (len(records) - 1), 4
        ),
        "credibility_share_of_all_analyzers": round(spent.get("credibility", 0.0) / total, 4),
        "credibility_added_to_other_analyzers": round(spent.get("credibility", 0.0) / others, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--sz", type=int, default=200)
    parser.add_argument("--other", type=int, default=50)
    parser.add_argument("--timing", type=int, default=16)
    args = parser.parse_args()
    from newsaudit.models.credibility import MODEL_DIR

    began = time.perf_counter()
    records = sample(args.sz, args.other)
    rows, score, feats = scores(records, args.cache)
    y = [r["reliable"] for r in rows]
    trained = json.loads((MODEL_DIR / "metrics.json").read_text())["single_feature_auc"]
    singles = {}
    for name in feats[0]:
        values = [f[name] for f in feats]
        sign = (
            1.0 if trained.get(name, trained.get(_TRAINED_AS.get(name, ""), 0.5)) >= 0.5 else -1.0
        )
        singles[name] = _auc(y, [sign * v for v in values])
    best = max(singles, key=singles.get)
    figures = {
        "articles": len(rows),
        "per_outlet": {o: sum(r["outlet"] == o for r in rows) for o in (SZ, *OTHERS)},
        "score_auc": _auc(y, score),
        "strong_flag_density_auc": singles["persuasion_density"],
        "best_single_signal": best,
        "best_single_signal_auc": singles[best],
        "single_signal_auc": singles,
        "mean_score": {
            o: round(
                sum(s for s, r in zip(score, rows, strict=True) if r["outlet"] == o)
                / max(1, sum(r["outlet"] == o for r in rows)),
                3,
            )
            for o in (SZ, *OTHERS)
        },
    }
    figures["timing"] = timing(_timing_records(args.timing, args.sz, args.other))
    figures["seconds"] = round(time.perf_counter() - began, 1)
    ids = [r["id"] for r in rows]
    (RESULTS / "credibility_ids.txt").write_text("\n".join(ids) + "\n", encoding="utf-8")
    write_results(
        "credibility",
        {**figures, "ids_file": "bench/results/credibility_ids.txt"},
        f"FANG-COVID test outlets, seeded sample ({args.sz} {SZ}, {args.other} of each of "
        f"{', '.join(OTHERS)}); headline + first 3,000 characters",
    )
    print_table(
        [
            ("articles", str(len(rows))),
            ("ROC-AUC credibility.score", str(figures["score_auc"])),
            ("ROC-AUC strong-flag density", str(figures["strong_flag_density_auc"])),
            (f"best single signal ({best})", str(singles[best])),
            (
                "credibility share of all analyzers",
                str(figures["timing"]["credibility_share_of_all_analyzers"]),
            ),
        ]
    )


def _timing_records(n: int, sz: int, other: int) -> list[dict]:
    """Test-outlet articles after the scored sample (fresh text), alternating outlets; one
    more than ``n``, since the first only loads the models."""
    from newsaudit.benchmarks.fang import read_by_outlet, shuffled

    ordered = shuffled(read_by_outlet())
    outlets = (SZ, *OTHERS)
    start = {o: sz if o == SZ else other for o in outlets}
    return [
        ordered[o][start[o] + k // len(outlets)]
        for k, o in ((k, outlets[k % len(outlets)]) for k in range(n + 1))
    ]


if __name__ == "__main__":
    main()
