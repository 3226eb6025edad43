"""The seeded evaluation sample of FANG-COVID's five test outlets (issue 15).

60 articles of sueddeutsche.de and 15 of each of freiewelt.net, compact-online.de,
kopp-report.de and anonymousnews.ru, drawn with a fixed seed from the articles of at least
200 characters. These outlets are reserved for evaluation: nothing may be trained, tuned
or thresholded on them. ``bench/results/fang_sample_ids.json`` lists the ids drawn.

    python bench/fang_sample.py          # (re)writes the id list
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, SHARED_DATA  # noqa: E402
from newsaudit.benchmarks.fang import quota_sample  # noqa: E402

CORPUS = SHARED_DATA / "news-fang-covid" / "fang-covid-text-only.jsonl.gz"
RELIABLE = {"sueddeutsche.de": 60}
UNRELIABLE = {
    "freiewelt.net": 15,
    "compact-online.de": 15,
    "kopp-report.de": 15,
    "anonymousnews.ru": 15,
}
SEED = 15
MIN_CHARS = 200
IDS_FILE = RESULTS / "fang_sample_ids.json"


def draw(seed: int = SEED) -> list[dict]:
    """The sample's records (id, source, label, header, article), outlet by outlet."""
    return quota_sample(RELIABLE | UNRELIABLE, seed, MIN_CHARS, CORPUS)


def group(source: str) -> str:
    return "reliable" if source in RELIABLE else "unreliable"


def main() -> None:
    sample = draw()
    RESULTS.mkdir(parents=True, exist_ok=True)
    ids = {name: [r["id"] for r in sample if r["source"] == name] for name in RELIABLE | UNRELIABLE}
    IDS_FILE.write_text(json.dumps({"seed": SEED, "ids": ids}, indent=1) + "\n", encoding="utf-8")
    print(f"{len(sample)} articles, ids in {IDS_FILE}")


if __name__ == "__main__":
    main()
