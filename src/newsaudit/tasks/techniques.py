"""SemEval-2023 Task 3 adapters: techniques (subtask 3), genre (1) and frames (2).

``predict techniques`` reads the subtask-3 template (article_id, paragraph_id, text; the
text may be empty or hold tabs and carriage returns) and writes one line per input line.
``predict genre|frames`` read a directory of ``article<ID>.txt`` files. ``evaluate`` uses
the official metrics: micro-F1 (subtasks 2 and 3) and macro-F1 (subtask 1).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

import typer

_ARTICLE = re.compile(r"article(\w+)\.txt$")
Language = Annotated[str, typer.Option("--language", "-l", help="Language of the input.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"newsaudit: error: {message}", err=True)
    return typer.Exit(2)


def _check_language(language: str) -> None:
    from newsaudit.analyzers.techniques import SUPPORTED
    from newsaudit.errors import InputError

    if language not in SUPPORTED:
        raise InputError(
            f"language {language!r} is not supported (choose one of {', '.join(sorted(SUPPORTED))})"
        )


def predict_paragraphs(input_path: Path, output_path: Path, language: str) -> int:
    """Write subtask-3 predictions for every record of ``input_path``; returns the count."""
    _check_language(language)
    from newsaudit.analyzers.embeddings import paragraph_encodings
    from newsaudit.analyzers.technique_model import load_model
    from newsaudit.train.semeval import read_records

    model = load_model()
    records = read_records(input_path)
    texts = [r[2].replace("\r", " ").strip() for r in records]
    articles = [r[0].strip() for r in records]
    labels: list[list[str]] = [[] for _ in records]
    for rows in _article_chunks(articles):
        chunk = [texts[i] for i in rows]
        predicted = model.predict_techniques(
            chunk, language, paragraph_encodings(chunk), [articles[i] for i in rows]
        )
        for i, row_labels in zip(rows, predicted, strict=True):
            labels[i] = row_labels
    with open(output_path, "w", encoding="utf-8", newline="") as out:
        for record, predicted in zip(records, labels, strict=True):
            out.write(f"{record[0].strip()}\t{record[1].strip()}\t{','.join(predicted)}\n")
    return len(records)


def _article_chunks(articles: list[str], size: int = 256) -> list[list[int]]:
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
    from newsaudit.analyzers.technique_model import load_model
    from newsaudit.train.semeval import article_lines, read_text

    _check_language(language)
    model = load_model()
    paths = sorted(p for p in input_dir.iterdir() if _ARTICLE.search(p.name))
    lines = []
    for path in paths:
        text = read_text(path)
        paragraphs = [text[s:e] for s, e in article_lines(text) if e > s]
        encodings = paragraph_encodings(paragraphs)
        article = "\n".join(paragraphs)
        article_id = _ARTICLE.search(path.name).group(1)
        if task == "genre":
            scores = model.genre_scores(article, language, encodings)
            lines.append(f"{article_id}\t{model.genres[int(scores.argmax())]}\n")
        else:
            scores = model.frame_scores(article, language, encodings)
            thresholds = model.group(language).frame_thresholds
            chosen = [f for f, s, t in zip(model.frames, scores, thresholds, strict=True) if s >= t]
            lines.append(f"{article_id}\t{','.join(chosen)}\n")
    with open(output_path, "w", encoding="utf-8", newline="") as out:
        out.writelines(lines)
    return len(paths)


def evaluate_files(task: str, gold: Path, pred: Path) -> dict[str, float]:
    """The official metric of the task on two label files."""
    from newsaudit.train.semeval import macro_f1, micro_f1, read_prediction_file

    columns = 2 if task == "techniques" else 1
    gold_labels = read_prediction_file(gold, columns)
    pred_labels = read_prediction_file(pred, columns)
    return (
        macro_f1(gold_labels, pred_labels)
        if task == "genre"
        else micro_f1(gold_labels, pred_labels)
    )


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("techniques")
    def predict_techniques(
        input: Annotated[Path, typer.Option("--input", "-i", help="Subtask-3 paragraphs TSV.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="Predictions TSV.")],
        language: Language = "de",
    ) -> None:
        """Persuasion techniques per paragraph (SemEval-2023 subtask 3 format)."""
        from newsaudit.errors import NewsauditError

        if not input.is_file():
            raise _fail(f"{input} is not a file")
        try:
            count = predict_paragraphs(input, output, language)
        except (NewsauditError, UnicodeDecodeError) as exc:
            raise _fail(str(exc)) from None
        typer.echo(f"wrote {count} paragraphs to {output}", err=True)

    for task in ("genre", "frames"):
        predict.command(task)(_predict_articles_command(task))
    for task in ("techniques", "genre", "frames"):
        evaluate.command(task)(_evaluate_command(task))
        train.command(task)(_train_command())


def _predict_articles_command(task: str):  # noqa: ANN202 - a typer command
    def command(
        input: Annotated[Path, typer.Option("--input", "-i", help="Directory of articles.")],
        output: Annotated[Path, typer.Option("--output", "-o", help="Predictions TSV.")],
        language: Language = "de",
    ) -> None:
        from newsaudit.errors import NewsauditError

        if not input.is_dir():
            raise _fail(f"{input} is not a directory of article<ID>.txt files")
        try:
            count = predict_articles(input, output, language, task)
        except (NewsauditError, UnicodeDecodeError) as exc:
            raise _fail(str(exc)) from None
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
                raise _fail(f"{path} is not a file")
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
            raise _fail(str(exc)) from None

    command.__doc__ = (
        "Train the persuasion model (techniques, evidence, genre and frames share one model "
        "file) and write its MODEL_CARD.md."
    )
    return command
