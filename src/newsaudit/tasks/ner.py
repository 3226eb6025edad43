"""GermEval 2014 NER adapter: read and write its TSV, score strict spans, and the CLI commands.

The TSV has comment lines (``#``), then one token per line (index, token, outer tag, inner
tag) and a blank line between sentences. Only the outer layer is predicted and scored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from newsaudit.errors import InputError

COARSE = ("PER", "ORG", "LOC", "OTH")
DEFAULT_WORKDIR = Path.home() / ".cache" / "newsaudit" / "ner"
FINE = tuple(f"{c}{s}" for c in COARSE for s in ("", "deriv", "part"))


@dataclass
class TaggedSentence:
    """One GermEval sentence: its comment lines, tokens, outer and inner BIO tags."""

    tokens: list[str]
    outer: list[str]
    inner: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def parse_germeval(text: str, source: str = "<input>") -> list[TaggedSentence]:
    """Parse GermEval TSV text; raises InputError naming the line when it is malformed."""
    sentences: list[TaggedSentence] = []
    current = TaggedSentence(tokens=[], outer=[], inner=[], comments=[])

    def flush() -> None:
        nonlocal current
        if current.tokens:
            sentences.append(current)
        elif current.comments:
            raise InputError(f"{source}: comment without tokens before a blank line")
        current = TaggedSentence(tokens=[], outer=[], inner=[], comments=[])

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            flush()
            continue
        if line.startswith("#") and not current.tokens:
            current.comments.append(line)
            continue
        cols = line.split("\t")
        if len(cols) < 3 or not cols[1]:
            raise InputError(
                f"{source}:{number}: expected 'index<TAB>token<TAB>outer<TAB>inner', got {line!r}"
            )
        tag = cols[2].strip() or "O"
        if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
            raise InputError(f"{source}:{number}: tag {tag!r} is not BIO (O, B-X, I-X)")
        current.tokens.append(cols[1])
        current.outer.append(tag)
        current.inner.append(cols[3].strip() if len(cols) > 3 and cols[3].strip() else "O")
    flush()
    return sentences


def read_germeval(path: Path) -> list[TaggedSentence]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {path}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc
    return parse_germeval(text, source=str(path))


def format_germeval(sentences: Iterable[TaggedSentence]) -> str:
    """The TSV layout again; the outer tag column holds ``outer``."""
    out: list[str] = []
    for sentence in sentences:
        out.extend(sentence.comments)
        inner = sentence.inner or ["O"] * len(sentence.tokens)
        for i, (token, tag, inn) in enumerate(
            zip(sentence.tokens, sentence.outer, inner, strict=True), start=1
        ):
            out.append(f"{i}\t{token}\t{tag}\t{inn}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Spans (start token, end token exclusive, label) from BIO tags.

    An ``I-X`` that does not continue an ``X`` span starts a new span (the usual conlleval
    reading), so invalid sequences are scored, not dropped.
    """
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label and start >= 0
        if start >= 0 and not continues:
            spans.append((start, i, label))
            start, label = -1, ""
        if prefix in ("B", "I") and not continues:
            start, label = i, kind
    return spans


def coarse_label(label: str) -> str:
    """``LOCderiv`` -> ``LOC``: the four GermEval main classes."""
    return label.removesuffix("deriv").removesuffix("part")


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int
    correct: int


def _prf(correct: int, predicted: int, support: int) -> Scores:
    p = correct / predicted if predicted else 0.0
    r = correct / support if support else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(round(p, 4), round(r, 4), round(f, 4), support, predicted, correct)


def score_spans(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], coarse: bool
) -> dict[str, Scores]:
    """Strict span precision/recall/F1 (micro over all labels, and per label)."""
    if len(gold) != len(pred):
        raise InputError(f"gold has {len(gold)} sentences, prediction has {len(pred)}")
    gold_c: Counter[str] = Counter()
    pred_c: Counter[str] = Counter()
    correct_c: Counter[str] = Counter()
    for n, (g_tags, p_tags) in enumerate(zip(gold, pred, strict=True)):
        if len(g_tags) != len(p_tags):
            raise InputError(
                f"sentence {n + 1}: gold has {len(g_tags)} tokens, prediction has {len(p_tags)}"
            )
        g = {(s, e, coarse_label(lab) if coarse else lab) for s, e, lab in bio_spans(g_tags)}
        p = {(s, e, coarse_label(lab) if coarse else lab) for s, e, lab in bio_spans(p_tags)}
        gold_c.update(lab for _, _, lab in g)
        pred_c.update(lab for _, _, lab in p)
        correct_c.update(lab for _, _, lab in g & p)
    labels = COARSE if coarse else FINE
    result = {"micro": _prf(sum(correct_c.values()), sum(pred_c.values()), sum(gold_c.values()))}
    for label in labels:
        result[label] = _prf(correct_c[label], pred_c[label], gold_c[label])
    return result


def evaluate_files(gold_path: Path, pred_path: Path) -> dict[str, dict[str, Scores]]:
    gold = read_germeval(gold_path)
    pred = read_germeval(pred_path)
    for n, (g, p) in enumerate(zip(gold, pred, strict=False)):
        if g.tokens != p.tokens:
            raise InputError(f"sentence {n + 1}: tokens of {pred_path} differ from {gold_path}")
    g_tags = [s.outer for s in gold]
    p_tags = [s.outer for s in pred]
    return {
        "coarse": score_spans(g_tags, p_tags, coarse=True),
        "fine": score_spans(g_tags, p_tags, coarse=False),
    }


def format_scores(results: dict[str, dict[str, Scores]]) -> str:
    lines = [f"{'layer':<7}{'label':<10}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}"]
    for layer, table in results.items():
        for label, s in table.items():
            lines.append(
                f"{layer:<7}{label:<10}{s.precision:>8.4f}{s.recall:>8.4f}{s.f1:>8.4f}"
                f"{s.support:>7}{s.predicted:>7}"
            )
    return "\n".join(lines)


def register(predict: typer.Typer, evaluate: typer.Typer, train: typer.Typer) -> None:
    @predict.command("ner")
    def predict_ner(
        input: Annotated[Path, typer.Option("--input", help="GermEval 2014 TSV")],
        output: Annotated[Path, typer.Option("--output", help="Where to write the tagged TSV")],
    ) -> None:
        """Tag the outer NER layer of a GermEval TSV, keeping its tokens as given."""
        from newsaudit.analyzers.entities import tag_sentences
        from newsaudit.errors import NewsauditError

        try:
            sentences = read_germeval(input)
            for sentence, tags in zip(
                sentences, tag_sentences([s.tokens for s in sentences]), strict=True
            ):
                sentence.outer = tags
            output.write_text(format_germeval(sentences), encoding="utf-8")
        except NewsauditError as exc:
            typer.echo(f"newsaudit: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from exc
        typer.echo(f"tagged {len(sentences)} sentences -> {output}", err=True)

    @evaluate.command("ner")
    def evaluate_ner(
        gold: Annotated[Path, typer.Option("--gold", help="Gold GermEval TSV")],
        pred: Annotated[Path, typer.Option("--pred", help="Predicted GermEval TSV")],
    ) -> None:
        """Strict span P/R/F1 on the outer layer: 4 coarse labels and all 12."""
        try:
            results = evaluate_files(gold, pred)
        except InputError as exc:
            typer.echo(f"newsaudit: {exc}", err=True)
            raise typer.Exit(2) from exc
        typer.echo(format_scores(results))

    @train.command("ner")
    def train_ner(
        data: Annotated[
            Path, typer.Option("--data", help="The shared data folder (has ner/ inside)")
        ] = Path("../shared/data"),
        workdir: Annotated[
            Path, typer.Option("--workdir", help="Cache for the casing corpus")
        ] = DEFAULT_WORKDIR,
        layers: Annotated[int, typer.Option(help="Encoder layers to keep (of 12)")] = 12,
        epochs: Annotated[float, typer.Option(help="Passes over the training pool")] = 2.0,
        germeval_epochs: Annotated[
            float, typer.Option(help="Then passes over GermEval's training part alone")
        ] = 3.0,
    ) -> None:
        """Fine-tune the packaged German NER from ../shared/data (needs the [train] extra)."""
        from newsaudit.tasks import training_errors
        from newsaudit.train.ner import train

        with training_errors():
            report = train(
                data, workdir, layers=layers, epochs=epochs, germeval_epochs=germeval_epochs
            )
        typer.echo(report)
