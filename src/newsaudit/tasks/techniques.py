"""``newsaudit predict|evaluate|train techniques|genre|frames``: SemEval-2023 Task 3
subtasks 3, 1 and 2 (see ``benchmarks.semeval``).

``predict techniques`` reads the subtask-3 template (article_id, paragraph_id, text; the
text may be empty or hold tabs and carriage returns) and writes one line per input line.
``predict genre|frames`` read a directory of ``article<ID>.txt`` files. ``evaluate`` uses
the official metrics: micro-F1 (subtasks 2 and 3) and macro-F1 (subtask 1).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from newsaudit.tasks import fail

Language = Annotated[str, typer.Option("--language", "-l", help="Language of the input.")]


class Level(StrEnum):
    all = "all"
    strong = "strong"


def _check_language(language: str) -> None:
    from newsaudit.analyzers.techniques import SUPPORTED
    from newsaudit.errors import InputError

    if language not in SUPPORTED:
        raise InputError(
            f"language {language!r} is not supported (choose one of {', '.join(sorted(SUPPORTED))})"
        )


def predict_paragraphs(
    input_path: Path, output_path: Path, language: str, level: str = "all"
) -> int:
    """Write subtask-3 predictions for every record of ``input_path``; returns the count.
    ``level`` "strong" keeps only the strong flags (calibrated, ``technique_calibration``)."""
    _check_language(language)
    from newsaudit.analyzers.embeddings import paragraph_encodings
    from newsaudit.benchmarks.semeval import label_line, read_records
    from newsaudit.models import techniques

    model = techniques.load()
    records = read_records(input_path)
    texts = [r[2].replace("\r", " ").strip() for r in records]
    articles = [r[0].strip() for r in records]
    labels: list[list[str]] = [[] for _ in records]
    for rows in article_chunks(articles):
        chunk = [texts[i] for i in rows]
        predicted = model.predict_techniques(
            chunk,
            language,
            paragraph_encodings(chunk),
            [articles[i] for i in rows],
            strong_only=level == "strong",
        )
        for i, row_labels in zip(rows, predicted, strict=True):
            labels[i] = row_labels
    with open(output_path, "w", encoding="utf-8", newline="") as out:
        for record, predicted in zip(records, labels, strict=True):
            out.write(label_line((record[0].strip(), record[1].strip()), predicted))
    return len(records)


def article_chunks(articles: list[str], size: int = 256) -> list[list[int]]:
    """Record indices in chunks of whole articles (about ``size`` paragraphs each), so the
    e5 piece states of a large input are never all in memory while the article context
    stage still sees every paragraph of an article together."""
    rows_of: dict[str, list[int]] = {}
    for i, article in enumerate(articles):
        rows_of.setdefault(article, []).append(i)
    chunks: list[list[int]] = [[]]
    for rows in rows_of.values():
        if len(chunks[-1]) >= size:
            chunks.append([])
        chunks[-1].extend(rows)
    return [c for c in chunks if c]


def predict_articles(input_dir: Path, output_path: Path, language: str, task: str) -> int:
    from newsaudit.analyzers.embeddings import paragraph_encodings
    from newsaudit.benchmarks.semeval import article_files, article_lines, label_line, read_text
    from newsaudit.models import techniques

    _check_language(language)
    model = techniques.load()
    files = article_files(input_dir)
    lines = []
    for article_id, path in files:
        text = read_text(path)
        paragraphs = [text[s:e] for s, e in article_lines(text) if e > s]
        encodings = paragraph_encodings(paragraphs)
        article = "\n".join(paragraphs)
        if task == "genre":
            scores = model.genre_scores(article, language, encodings)
            lines.append(label_line((article_id,), [model.genres[int(scores.argmax())]]))
        else:
            scores = model.frame_scores(article, language, encodings)
            thresholds = model.group(language).frame_thresholds
            chosen = [f for f, s, t in zip(model.frames, scores, thresholds, strict=True) if s >= t]
            lines.append(label_line((article_id,), chosen))
    with open(output_path, "w", encoding="utf-8", newline="") as out:
        out.writelines(lines)
    return len(files)


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("techniques")
    def predict_techniques(
        input: Annotated[Path, typer.Option("--input", "-i", help="Subtask-3 paragraphs TSV.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="Predictions TSV.")],
        language: Language = "de",
        level: Annotated[
            Level,
            typer.Option(
                "--level",
                help="all: every flag; strong: only flags whose calibrated probability says "
                "they were right at least 60% of the time on held-out German paragraphs.",
            ),
        ] = Level.all,
    ) -> None:
        """Persuasion techniques per paragraph (SemEval-2023 subtask 3 format)."""
        from newsaudit.errors import NewsauditError

        if not input.is_file():
            raise fail(f"{input} is not a file")
        try:
            count = predict_paragraphs(input, output, language, level.value)
        except (NewsauditError, UnicodeDecodeError) as exc:
            raise fail(str(exc)) from None
        typer.echo(f"wrote {count} paragraphs to {output}", err=True)

    for task in ("genre", "frames"):
        predict.command(task)(_predict_articles_command(task))
    for task in ("techniques", "genre", "frames"):
        evaluate.command(task)(_evaluate_command(task))
        train.command(task)(_train_command())

    @train.command("technique-calibration")
    def train_technique_calibration(
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Model directory.")
        ] = None,
    ) -> None:
        """Fit the technique flags' calibrator (probability and level) on out-of-fold German
        scores, and the persuasion reference of everyday news; updates MODEL_CARD.md."""
        from newsaudit.errors import NewsauditError
        from newsaudit.train.technique_calibration import train_calibration

        try:
            metrics = train_calibration(output)
        except NewsauditError as exc:
            raise fail(str(exc)) from None
        typer.echo(f"chosen calibrator: {metrics['chosen']}", err=True)


def _predict_articles_command(task: str):  # noqa: ANN202 - a typer command
    def command(
        input: Annotated[Path, typer.Option("--input", "-i", help="Directory of articles.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="Predictions TSV.")],
        language: Language = "de",
    ) -> None:
        from newsaudit.errors import NewsauditError

        if not input.is_dir():
            raise fail(f"{input} is not a directory of article<ID>.txt files")
        try:
            count = predict_articles(input, output, language, task)
        except (NewsauditError, UnicodeDecodeError) as exc:
            raise fail(str(exc)) from None
        typer.echo(f"wrote {count} articles to {output}", err=True)

    subtask = 1 if task == "genre" else 2
    command.__doc__ = f"Article {task} (SemEval-2023 subtask {subtask} format)."
    return command


def _evaluate_command(task: str):  # noqa: ANN202 - a typer command
    def command(
        gold: Annotated[Path, typer.Option("--gold", "-g", help="Gold labels TSV.")],
        pred: Annotated[Path, typer.Option("--pred", "-p", help="Predicted labels TSV.")],
    ) -> None:
        for path in (gold, pred):
            if not path.is_file():
                raise fail(f"{path} is not a file")
        from newsaudit.benchmarks.semeval import evaluate_files

        typer.echo(json.dumps(evaluate_files(task, gold, pred), indent=2))

    command.__doc__ = f"Score {task} predictions with the official SemEval metric."
    return command


def _train_command():  # noqa: ANN202 - a typer command
    def command(
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Model directory.")
        ] = None,
    ) -> None:
        from newsaudit.errors import NewsauditError
        from newsaudit.train.techniques import train_all

        try:
            train_all(output)
        except NewsauditError as exc:
            raise fail(str(exc)) from None

    command.__doc__ = (
        "Train the persuasion model (techniques, evidence, genre and frames share one model "
        "file) and write its MODEL_CARD.md."
    )
    return command
