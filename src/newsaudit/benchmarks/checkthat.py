"""CheckThat! lab formats: 2025 Task 1 (subjectivity), 2024 Task 1 (check-worthiness) and
the 2024 Task 3 gold (persuasion techniques, the 23 of SemEval-2023).

- Subjectivity TSV: ``sentence_id``, ``sentence`` and optionally ``label`` (OBJ/SUBJ) in,
  ``sentence_id``, ``label`` out; scored by macro-F1 (``metrics.macro_f1``).
- Check-worthiness TSV: ``Sentence_id``, ``Text``, ``class_label`` (Yes/No); texts hold
  CSV-quoted quotation marks, so it is read with a CSV reader; scored by the F1 of Yes
  (``metrics.worthiness_f1``).
- Task 3 gold: JSONL with character spans; paragraphs are the article's non-empty lines
  (as in SemEval) and a paragraph carries every technique whose span overlaps it.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsaudit.benchmarks.semeval import Article, Paragraph, article_lines, shared_semeval_root
from newsaudit.config import shared_data_dir
from newsaudit.errors import InputError

SUBJECTIVITY_LABELS = ("OBJ", "SUBJ")
WORTHINESS_LABELS = ("No", "Yes")
TECHNIQUES_GOLD_FILE = "test-gold-ar-bg-en-pt-sl.jsonl.gz"


@dataclass
class Row:
    """One sentence of a CheckThat! TSV; ``label`` is None in an unlabelled file."""

    sentence_id: str
    sentence: str
    label: str | None = None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def _rows(
    reader: csv.DictReader, name: str, columns: tuple[str, str, str], labels: Sequence[str]
) -> list[Row]:
    """Rows of the (id, text, label) ``columns``; raise InputError on a missing id or an
    unknown label."""
    id_column, text_column, label_column = columns
    fields = reader.fieldnames or []
    if id_column not in fields or (text_column not in fields and label_column not in fields):
        raise InputError(f"{name}: needs a header with {id_column} and {text_column} (or label)")
    rows = []
    for n, record in enumerate(reader, start=2):
        sid = (record.get(id_column) or "").strip()
        if not sid:
            raise InputError(f"{name}: line {n} has no {id_column}")
        label = (record.get(label_column) or "").strip() or None
        if label is not None and label not in labels:
            raise InputError(
                f"{name}: line {n} has label {label!r}, expected {' or '.join(labels)}"
            )
        rows.append(Row(sid, record.get(text_column) or "", label))
    return rows


def _format(header: Sequence[str], ids: Sequence[str], labels: Sequence[str]) -> str:
    lines = ["\t".join(header)] + [f"{i}\t{label}" for i, label in zip(ids, labels, strict=True)]
    return "\n".join(lines) + "\n"


def parse_subjectivity(text: str, name: str = "input") -> list[Row]:
    """Parse a CheckThat! subjectivity TSV; raise InputError on a missing column or label."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    return _rows(reader, name, ("sentence_id", "sentence", "label"), SUBJECTIVITY_LABELS)


def read_subjectivity(path: Path) -> list[Row]:
    return parse_subjectivity(_read(path), path.name)


def format_subjectivity(ids: Sequence[str], labels: Sequence[str]) -> str:
    return _format(("sentence_id", "label"), ids, labels)


def parse_worthiness(text: str, name: str = "input") -> list[Row]:
    """Parse a CheckThat! 2024 Task 1 TSV (``Sentence_id``, ``Text``, ``class_label``);
    prediction files may leave out ``Text``."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return _rows(reader, name, ("Sentence_id", "Text", "class_label"), WORTHINESS_LABELS)


def read_worthiness(path: Path) -> list[Row]:
    return parse_worthiness(_read(path), path.name)


def format_worthiness(ids: Sequence[str], labels: Sequence[str]) -> str:
    """Predictions as ``Sentence_id``, ``class_label`` (what ``parse_worthiness`` reads)."""
    return _format(("Sentence_id", "class_label"), ids, labels)


def worthiness_path(split: str) -> Path:
    """The shared CheckThat! 2024 Task 1 English file of ``split`` (train or dev)."""
    root = shared_data_dir() / "claims-checkworthiness-ct24-en"
    return root / f"CT24_checkworthy_english_{split}.tsv"


def techniques_gold_path() -> Path:
    return shared_semeval_root().parent / "checkthat2024-task3" / TECHNIQUES_GOLD_FILE


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


def load_techniques_gold(
    languages: Collection[str], techniques: Collection[str], path: Path | None = None
) -> list[Article]:
    """Articles of `languages`, labelled with the spans of known `techniques` only."""
    with gzip.open(path or techniques_gold_path(), "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [article_from_record(r, techniques) for r in records if r["lang"] in languages]
