"""GermEval 2014 NER: read and write its TSV, score the outer layer by strict spans.

The TSV has comment lines (``#``), then one token per line (index, token, outer tag, inner
tag) and a blank line between sentences. Only the outer layer is predicted and scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsaudit.benchmarks.bio import COARSE, FINE
from newsaudit.benchmarks.metrics import Scores, span_scores
from newsaudit.errors import InputError


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


def score_spans(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], coarse: bool
) -> dict[str, Scores]:
    """Strict span precision/recall/F1 (micro over all labels, and per label), on the 4
    coarse classes or all 12 labels; raises InputError when the sentences do not align."""
    if len(gold) != len(pred):
        raise InputError(f"gold has {len(gold)} sentences, prediction has {len(pred)}")
    for n, (g_tags, p_tags) in enumerate(zip(gold, pred, strict=True)):
        if len(g_tags) != len(p_tags):
            raise InputError(
                f"sentence {n + 1}: gold has {len(g_tags)} tokens, prediction has {len(p_tags)}"
            )
    return span_scores(gold, pred, COARSE if coarse else FINE, coarse)


def score_layers(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]
) -> dict[str, dict[str, Scores]]:
    """The two readings GermEval results are reported in: ``coarse`` (-deriv/-part folded
    into their class, the 4-class reading) and ``fine`` (all 12 labels)."""
    return {
        "coarse": score_spans(gold, pred, coarse=True),
        "fine": score_spans(gold, pred, coarse=False),
    }


def evaluate_files(gold_path: Path, pred_path: Path) -> dict[str, dict[str, Scores]]:
    gold = read_germeval(gold_path)
    pred = read_germeval(pred_path)
    for n, (g, p) in enumerate(zip(gold, pred, strict=False)):
        if g.tokens != p.tokens:
            raise InputError(f"sentence {n + 1}: tokens of {pred_path} differ from {gold_path}")
    return score_layers([s.outer for s in gold], [s.outer for s in pred])


def format_scores(results: dict[str, dict[str, Scores]]) -> str:
    """The scores as the table the model card and ``evaluate ner`` print."""
    lines = [f"{'layer':<7}{'label':<10}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}"]
    for layer, table in results.items():
        for label, s in table.items():
            lines.append(
                f"{layer:<7}{label:<10}{s.precision:>8.4f}{s.recall:>8.4f}{s.f1:>8.4f}"
                f"{s.support:>7}{s.predicted:>7}"
            )
    return "\n".join(lines)
