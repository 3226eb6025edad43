"""Benchmark input: the first articles of FANG-COVID (German news, research use only).

Read from ../shared/data at run time and never copied into the repo.
"""

from __future__ import annotations

import gzip
import json
from itertools import islice
from pathlib import Path

from bench.common import SHARED_DATA

FANG = SHARED_DATA / "news-fang-covid" / "fang-covid-text-only.jsonl.gz"


def fang_rows(n: int, max_chars: int = 12_000) -> list[dict]:
    """``n`` articles (id, text, title, url, source, date), longer ones cut at ``max_chars``."""
    if not FANG.is_file():
        raise SystemExit(f"benchmark input missing: {FANG} (set NEWSAUDIT_SHARED)")
    rows = []
    with gzip.open(FANG, "rt", encoding="utf-8") as stream:
        for line in islice(stream, n * 2):
            record = json.loads(line)
            text = (record.get("article") or "").strip()
            if len(text) < 300:
                continue
            rows.append(
                {
                    "id": f"fang-{record['id']}",
                    "title": record.get("header"),
                    "text": text[:max_chars],
                    "url": record.get("url"),
                    "source": record.get("source"),
                    "date": record.get("date"),
                }
            )
            if len(rows) == n:
                break
    return rows


def write_jsonl(rows: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path
