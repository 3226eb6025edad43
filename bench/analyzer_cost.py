"""CPU per article of all analyzers, each analyzer's share, and the reports they write.

On 20 seeded FANG-COVID articles of training outlets (5 each of tagesspiegel.de, zeit.de,
journalistenwatch.com and de.rt.com, whole articles), CPU seconds per article, best of
two passes in one process, and each analyzer's mean own timing. A speed change must not
change what a report says: ``--save`` writes the reports (JSON, timings dropped) and
``--against`` compares this checkout's reports with saved ones, article by article, and
lists the fields that differ.

    python bench/analyzer_cost.py --save /tmp/before.jsonl     # on the old checkout
    python bench/analyzer_cost.py --against /tmp/before.jsonl  # on the new one
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    print_table,
    seconds_per_article,
    training_outlet_documents,
    write_results,
)


def report_json(report: Any) -> dict[str, Any]:
    """A report as JSON without its timings (the one field that differs between runs)."""
    data = json.loads(report.model_dump_json())
    data.pop("timings", None)
    return data


def differences(before: Any, after: Any, path: str = "") -> list[str]:
    """Dotted paths where two JSON values differ (the first few of each list)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(set(before) | set(after)):
            out += differences(before.get(key), after.get(key), f"{path}.{key}")
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        out = []
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            out += differences(b, a, f"{path}[{i}]")
        return out
    return [] if before == after else [path or "."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the reports (JSON lines) here")
    parser.add_argument("--against", type=Path, help="compare the reports with saved ones")
    args = parser.parse_args()
    from newsaudit.pipeline import Pipeline

    docs = training_outlet_documents()
    pipeline = Pipeline()
    load_before = [round(load, 2) for load in os.getloadavg()]
    pipeline.run(docs[0])  # loads the models outside the timing
    reports = [pipeline.run(d) for d in docs]
    figures: dict[str, Any] = {
        "all analyzers (CPU-s per article)": round(seconds_per_article(pipeline, docs), 4)
    }
    for analyzer in pipeline.analyzers:
        own = sum(r.timings.get(analyzer.name, 0.0) for r in reports) / len(reports)
        figures[f"{analyzer.name} (s per article, own wall timing)"] = round(own, 4)
    figures["articles"] = len(docs)
    # CPU time is what other work on a shared machine inflates least, but it still does.
    figures["load average before, after (1, 5, 15 min)"] = [
        load_before,
        [round(load, 2) for load in os.getloadavg()],
    ]
    rows = [report_json(r) for r in reports]
    if args.save:
        args.save.write_text(
            "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows),
            encoding="utf-8",
        )
    if args.against:
        saved = [json.loads(line) for line in args.against.read_text("utf-8").splitlines()]
        changed = {
            r["id"]: diff for r, s in zip(rows, saved, strict=True) if (diff := differences(s, r))
        }
        figures["reports identical to --against"] = not changed
        for article, diff in changed.items():
            print(f"{article}: {len(diff)} differences, first {diff[:5]}")
    print_table([(k, str(v)) for k, v in figures.items()])
    write_results(
        "analyzer_cost",
        figures,
        f"{len(docs)} seeded FANG-COVID training-outlet articles, CPU seconds, best of 2 passes",
    )


if __name__ == "__main__":
    main()
