"""FANG-COVID (German COVID-19 news, labels by outlet): reading, the reserved test outlets,
and the seeded per-outlet order that training and the benchmark draw their samples from.

Labels describe the outlet (``real``: reliable, ``fake``: unreliable), not the article; the
five test outlets of the paper are reserved for evaluation (never trained or tuned on).
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterator, Mapping
from pathlib import Path

from newsaudit.config import shared_data_dir

TEST_OUTLETS = frozenset(
    {"sueddeutsche.de", "freiewelt.net", "compact-online.de", "kopp-report.de", "anonymousnews.ru"}
)
SEED = 16
MAX_BODY_CHARS = 3000


def fang_path() -> Path:
    return shared_data_dir() / "news-fang-covid" / "fang-covid-text-only.jsonl.gz"


def records(path: Path | None = None) -> Iterator[dict]:
    """Every record of the corpus, in file order."""
    with gzip.open(path or fang_path(), "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def read_by_outlet(path: Path | None = None) -> dict[str, list[dict]]:
    """Records with a non-empty article, by outlet, in file order."""
    by_outlet: dict[str, list[dict]] = {}
    for record in records(path):
        if (record.get("article") or "").strip():
            by_outlet.setdefault(record["source"], []).append(record)
    return by_outlet


def quota_sample(
    quota: Mapping[str, int], seed: int, min_chars: int, path: Path | None = None
) -> list[dict]:
    """``quota[outlet]`` seeded records of each outlet among those with at least
    ``min_chars`` characters of article, outlet by outlet in sorted order."""
    pools: dict[str, list[dict]] = {name: [] for name in quota}
    for record in records(path):
        if record["source"] in pools and len(record.get("article") or "") >= min_chars:
            pools[record["source"]].append(record)
    rng = random.Random(seed)
    sample: list[dict] = []
    for name in sorted(quota):
        pool = sorted(pools[name], key=lambda r: int(r["id"]))
        sample += rng.sample(pool, quota[name])
    return sample


def shuffled(by_outlet: dict[str, list[dict]], seed: int = SEED) -> dict[str, list[dict]]:
    """Each outlet's records in one seeded order (outlets in sorted order, one generator), so
    that the first n of an outlet are the same sample wherever they are drawn."""
    rng = random.Random(seed)
    return {s: rng.sample(v, len(v)) for s, v in sorted(by_outlet.items())}


def article_text(record: dict, max_body: int = MAX_BODY_CHARS) -> str:
    """Headline, a blank line and the body, cut at the last line break before ``max_body``
    characters (the benchmark and training read the same first part of long articles)."""
    body = record["article"]
    if len(body) > max_body:
        cut = body.rfind("\n", 0, max_body)
        body = body[: cut if cut > max_body // 2 else max_body]
    return (record.get("header") or "").strip() + "\n\n" + body


def is_reliable(record: dict) -> bool:
    return record["label"] == "real"
