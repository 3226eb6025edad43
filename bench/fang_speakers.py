"""Every quote speaker on the seeded FANG-COVID sample, for counting stray speakers by hand.

Runs the ``entities`` and ``quotes`` analyzers on the 120 articles of ``fang_sample.py`` and
writes one row per quote to ``bench/results/fang_speakers.tsv`` (article, outlet, speaker
offsets and text, the entity cluster it links to, the message's start). The share of quotes
whose speaker links to an entity cluster (directly, or a pronoun through the person
before it) goes to ``bench/results/fang_speakers.json``, with the hand counts of
``fang_speakers_classified.tsv`` when that file covers the current list.

    python bench/fang_speakers.py
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, write_results  # noqa: E402
from fang_sample import draw  # noqa: E402

LIST_FILE = RESULTS / "fang_speakers.tsv"
CLASSIFIED = RESULTS / "fang_speakers_classified.tsv"
COLUMNS = ("id", "outlet", "start", "end", "speaker", "speaker_name", "linked", "message_start")
CLASSES = ("name", "pronoun", "role", "stray")


def speaker_rows() -> tuple[list[dict], int]:
    from newsaudit.config import Limits
    from newsaudit.ingest.corpus import record_to_document
    from newsaudit.pipeline import Pipeline, default_analyzers

    pipeline = Pipeline(default_analyzers(["entities", "quotes"]))
    rows, quotes = [], 0
    for record in draw():
        report = pipeline.run(record_to_document(record, record["id"], Limits()))
        for quote in report.quotes:
            quotes += 1
            if quote.speaker is None:
                continue
            rows.append(
                {
                    "id": record["id"],
                    "outlet": record["source"],
                    "start": quote.speaker.start,
                    "end": quote.speaker.end,
                    "speaker": quote.speaker.text.replace("\n", " "),
                    "speaker_name": quote.speaker_name or "",
                    "linked": int(quote.speaker_cluster is not None),
                    "message_start": quote.message.start,
                }
            )
    return rows, quotes


def hand_counts(rows: list[dict]) -> dict | None:
    """Counts per class from the hand classification, if it covers exactly these rows."""
    if not CLASSIFIED.is_file():
        return None
    with CLASSIFIED.open(encoding="utf-8", newline="") as stream:
        marked = {
            (r["id"], r["start"], r["end"]): r["class"]
            for r in csv.DictReader(stream, delimiter="\t")
        }
    keys = [(str(r["id"]), str(r["start"]), str(r["end"])) for r in rows]
    if set(keys) != set(marked):
        return None
    counts = Counter(marked[k] for k in keys)
    return {c: counts.get(c, 0) for c in CLASSES} | {
        "stray_share": round(counts.get("stray", 0) / max(len(keys), 1), 4)
    }


def main() -> None:
    rows, quotes = speaker_rows()
    with LIST_FILE.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    linked = sum(r["linked"] for r in rows)
    figures = {
        "quotes": quotes,
        "with_speaker": len(rows),
        "linked_to_entity": linked,
        "linked_share_of_quotes": round(linked / max(quotes, 1), 4),
        "linked_share_of_speakers": round(linked / max(len(rows), 1), 4),
        "hand_classification": hand_counts(rows),
    }
    path = write_results("fang_speakers", figures, "seeded FANG-COVID test-outlet sample (120)")
    print(figures, path)


if __name__ == "__main__":
    main()
