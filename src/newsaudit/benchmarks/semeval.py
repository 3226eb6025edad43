"""SemEval-2023 Task 3: readers of its files, robust to their known defects, and the writer
of its label files.

Paragraph ids are 1-based line numbers of the article file, so paragraphs are rebuilt from
the articles (``paragraphs.tsv`` has glued records). Texts contain ``\\r``: files are read
with ``newline=''`` and split on ``\\n`` only, so span offsets stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsaudit.benchmarks.metrics import multilabel_micro_f1, single_label_macro_f1
from newsaudit.config import shared_data_dir

LANGUAGES = ("de", "en", "fr", "it", "pl", "ru")
_ARTICLE = re.compile(r"article(\w+)\.txt$")


def shared_semeval_root() -> Path:
    """``../shared/data/semeval2023-task3`` (or ``$NEWSAUDIT_SHARED/data/...``)."""
    return shared_data_dir() / "semeval2023-task3"


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def read_records(path: Path) -> list[tuple[str, ...]]:
    """Three-column TSV records (id, id, free text); the text may hold tabs and ``\\r``.

    Records are split on ``\\n`` only; a record with fewer columns is padded with empty
    strings so that every input line yields exactly one record.
    """
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    records = []
    for line in lines:
        parts = line.split("\t", 2)
        parts += [""] * (3 - len(parts))
        records.append(tuple(parts))
    return records


def read_labels(path: Path) -> dict[str, list[str]]:
    """``article_id<TAB>label,label`` files (genre, frames)."""
    labels: dict[str, list[str]] = {}
    for line in read_text(path).split("\n"):
        line = line.strip()
        if not line:
            continue
        article_id, _, values = line.partition("\t")
        labels[article_id.strip()] = [v.strip() for v in values.split(",") if v.strip()]
    return labels


def read_label_set(name: str, root: Path | None = None) -> list[str]:
    path = (root or shared_semeval_root()) / name
    return [line.strip() for line in read_text(path).split("\n") if line.strip()]


@dataclass
class Paragraph:
    number: int  # 1-based line number in the article file
    start: int
    end: int
    text: str
    labels: list[str] = field(default_factory=list)


@dataclass
class Article:
    id: str
    language: str
    text: str
    paragraphs: list[Paragraph]
    spans: list[tuple[str, int, int]] = field(default_factory=list)
    genre: str | None = None
    frames: list[str] = field(default_factory=list)


def article_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, ``\\r`` and surrounding white space trimmed."""
    out = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        out.append((offset + lead, offset + lead + len(stripped)))
        offset += len(line) + 1
    return out


def load_split(language: str, split: str = "train", root: Path | None = None) -> list[Article]:
    """Labelled articles of one language and split, paragraphs rebuilt by line number."""
    base = (root or shared_semeval_root()) / language / split
    rows = read_records(base / "techniques.tsv")
    by_article: dict[str, dict[int, list[str]]] = {}
    for article_id, paragraph_id, labels in rows:
        if not article_id.strip().isdigit() or not paragraph_id.strip().isdigit():
            continue
        by_article.setdefault(article_id.strip(), {})[int(paragraph_id)] = [
            x.strip() for x in labels.split(",") if x.strip()
        ]
    genre = read_labels(base / "genre.tsv") if (base / "genre.tsv").is_file() else {}
    frames = read_labels(base / "frames.tsv") if (base / "frames.tsv").is_file() else {}
    articles = []
    for article_id in sorted(by_article):
        path = base / "articles" / f"article{article_id}.txt"
        if not path.is_file():
            continue
        text = read_text(path)
        lines = article_lines(text)
        paragraphs = []
        for number, labels in sorted(by_article[article_id].items()):
            if number - 1 >= len(lines):
                continue
            start, end = lines[number - 1]
            paragraphs.append(Paragraph(number, start, end, text[start:end], labels))
        spans = []
        span_path = base / "spans" / f"article{article_id}-labels-subtask-3.txt"
        if span_path.is_file():
            for line in read_text(span_path).split("\n"):
                parts = line.strip().split("\t")
                if len(parts) == 4 and parts[2].isdigit() and parts[3].isdigit():
                    spans.append((parts[1], int(parts[2]), int(parts[3])))
        articles.append(
            Article(
                id=article_id,
                language=language,
                text=text,
                paragraphs=paragraphs,
                spans=spans,
                genre=(genre.get(article_id) or [None])[0],
                frames=frames.get(article_id, []),
            )
        )
    return articles


def load_article_labels(
    language: str, split: str = "train", root: Path | None = None
) -> list[Article]:
    """Articles listed in ``genre.tsv``/``frames.tsv`` (subtasks 1 and 2), every non-empty
    line a paragraph."""
    base = (root or shared_semeval_root()) / language / split
    genre = read_labels(base / "genre.tsv") if (base / "genre.tsv").is_file() else {}
    frames = read_labels(base / "frames.tsv") if (base / "frames.tsv").is_file() else {}
    articles = []
    for article_id in sorted(set(genre) | set(frames)):
        path = base / "articles" / f"article{article_id}.txt"
        if not path.is_file():
            continue
        text = read_text(path)
        paragraphs = [
            Paragraph(number, start, end, text[start:end])
            for number, (start, end) in enumerate(article_lines(text), start=1)
            if end > start
        ]
        articles.append(
            Article(
                id=article_id,
                language=language,
                text=text,
                paragraphs=paragraphs,
                genre=(genre.get(article_id) or [None])[0],
                frames=frames.get(article_id, []),
            )
        )
    return articles


def read_prediction_file(path: Path, columns: int) -> dict[tuple[str, ...], list[str]]:
    """Gold or predicted labels keyed by the id columns (2 for subtask 3, 1 for 1 and 2)."""
    out: dict[tuple[str, ...], list[str]] = {}
    for line in read_text(path).split("\n"):
        if not line.strip():
            continue
        parts = line.rstrip("\r").split("\t")
        key = tuple(p.strip() for p in parts[:columns])
        values = parts[columns] if len(parts) > columns else ""
        out[key] = [v.strip() for v in values.split(",") if v.strip()]
    return out


def evaluate_files(task: str, gold: Path, predicted: Path) -> dict[str, float]:
    """The official metric of ``task`` (techniques, genre or frames) on two label files:
    micro-F1 for subtasks 2 and 3, macro-F1 for subtask 1."""
    columns = 2 if task == "techniques" else 1
    gold_labels = read_prediction_file(gold, columns)
    predicted_labels = read_prediction_file(predicted, columns)
    if task == "genre":
        return single_label_macro_f1(gold_labels, predicted_labels)
    return multilabel_micro_f1(gold_labels, predicted_labels)


def article_files(directory: Path) -> list[tuple[str, Path]]:
    """(article id, path) of the ``article<ID>.txt`` files of a directory, sorted by path."""
    paths = sorted(p for p in directory.iterdir() if _ARTICLE.search(p.name))
    return [(_ARTICLE.search(p.name).group(1), p) for p in paths]


def label_line(ids: Sequence[str], labels: Sequence[str]) -> str:
    """One line of a label file: the id columns (article, and paragraph for subtask 3),
    then the labels joined by commas."""
    return "\t".join([*ids, ",".join(labels)]) + "\n"
