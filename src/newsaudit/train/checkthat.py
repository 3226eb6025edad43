"""Reader for the CheckThat! 2024 Task 3 gold (same 23 techniques as SemEval-2023, 2023 news).

The articles come as JSONL with character spans; paragraphs are the article's non-empty
lines (as in SemEval) and a paragraph carries every technique whose span overlaps it.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Collection
from pathlib import Path

from newsaudit.train.semeval import Article, Paragraph, article_lines, shared_semeval_root

GOLD_FILE = "test-gold-ar-bg-en-pt-sl.jsonl.gz"


def checkthat_path() -> Path:
    return shared_semeval_root().parent / "checkthat2024-task3" / GOLD_FILE


def article_from_record(record: dict, techniques: Collection[str]) -> Article:
    text = record["text"]
    spans = [
        (a["tag"], int(a["start"]), int(a["end"]))
        for a in record.get("annotations", [])
        if a["tag"] in techniques
    ]
    paragraphs = [
        Paragraph(
            number,
            start,
            end,
            text[start:end],
            sorted({tag for tag, s, e in spans if s < end and e > start}),
        )
        for number, (start, end) in enumerate(article_lines(text), start=1)
        if end > start
    ]
    return Article(str(record["article_id"]), record["lang"], text, paragraphs, spans)


def load_checkthat(
    languages: Collection[str], techniques: Collection[str], path: Path | None = None
) -> list[Article]:
    """Articles of `languages`, labelled with the spans of known `techniques` only."""
    with gzip.open(path or checkthat_path(), "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [article_from_record(r, techniques) for r in records if r["lang"] in languages]
