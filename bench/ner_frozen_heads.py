"""Issue #19's frozen-trunk measurement for NER: light heads over the shared pass's states.

Could the entity analyzer read the piece states of the shared embedder pass
(``models/e5/embedder.onnx``, frozen) instead of running its own fine-tuned e5? The graph
already emits every piece's states of four layer groups (layers 2-4, 5-7, 8-10, 11-12; the
narratives late interaction reads groups 3-4), so a head over them costs no second pass.
Each head is trained on the NER card's data and labels (the train command's pool, GermEval
training part twice and four corpora, then GermEval's training part alone), its checkpoint
chosen by coarse F1 on GermEval dev, then scored once on the held-out part; tags go through
the same BIO repair and organisation rules as ``newsaudit predict ner``.

Each sentence is encoded alone ("passage: " and its tokens joined by spaces, so every token
is a word and is read at its first piece): the most favourable input for the head. The
"paragraphs" figures read the same head on 4 consecutive dev / held-out sentences encoded
as one text, closer to the analyzer's paragraph pass; a variant named KIND_paragraphs is
trained, chosen and scored on such texts (4 consecutive pool sentences per text).

Needs torch (``.[train]``) and ../shared/data; about 6 CPU-min for the states (cached in
``~/.cache/newsaudit/ner_frozen``, 1.9 GB), then 1 to 20 CPU-min per head:

    OMP_NUM_THREADS=1 PYTHONPATH=src python bench/ner_frozen_heads.py linear_last concat ...
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from common import RESULTS, SHARED_DATA, write_results  # noqa: E402

WORKDIR = Path.home() / ".cache" / "newsaudit" / "ner_frozen"
KINDS = ("linear_last", "mix", "concat", "mlp", "bilstm", "attn")
# A kind with this suffix is trained, chosen and scored on the 4-sentence texts.
PARAGRAPHS = "_paragraphs"
VARIANTS = (*KINDS, *(k + PARAGRAPHS for k in KINDS))
GROUPS, HIDDEN = 4, 384
EPOCHS, GERMEVAL_EPOCHS, LR, BATCH = 4.0, 2.0, 1e-3, 32

Part = tuple[np.ndarray, np.ndarray, list[tuple[list[str], list[str]]], np.ndarray]


def encode_part(embedder: Any, sentences: list, path: Path, per_text: int) -> None:
    """First-piece states of every word, `per_text` consecutive sentences per encoded text."""
    n_words = sum(len(s.tokens) for s in sentences)
    out = np.lib.format.open_memmap(path, "w+", np.float16, (n_words, GROUPS, HIDDEN))
    bounds = np.cumsum([0] + [len(s.tokens) for s in sentences])
    for g in range(0, len(sentences), per_text):
        words, starts, at = [], [], 0
        for s in sentences[g : g + per_text]:
            for token in s.tokens:
                starts.append(at)
                words.append(token)
                at += len(token) + 1
        encoded = embedder.encode(" ".join(words))
        first: dict[int, int] = {}
        for row, (a, _) in enumerate(encoded.spans.tolist()):
            first.setdefault(a, row)
        out[bounds[g] : bounds[min(g + per_text, len(sentences))]] = encoded.states[
            [first[a] for a in starts]
        ]
    out.flush()
    np.save(path.with_name(f"{path.stem}_offsets.npy"), bounds)


def states(corpora: Any) -> dict[str, Part]:
    """dev, held-out and pool states (the pool's sentences once each), made once."""
    from newsaudit.benchmarks.bio import BIO_LABELS
    from newsaudit.encoder.embedder import Embedder

    unique = list({id(s): s for s in corpora.train}.values())
    parts = {
        "dev": (corpora.dev, 1),
        "test": (corpora.test, 1),
        "pool": (unique, 1),
        "dev_para": (corpora.dev, 4),
        "test_para": (corpora.test, 4),
        "pool_para": (unique, 4),
    }
    WORKDIR.mkdir(parents=True, exist_ok=True)
    index = {label: i for i, label in enumerate(BIO_LABELS)}
    out = {}
    for name, (sentences, per_text) in parts.items():
        path = WORKDIR / f"{name}.npy"
        if not path.with_name(f"{name}_offsets.npy").is_file():
            encode_part(Embedder(threads=1), sentences, path, per_text)
        labels = np.array([index.get(t, 0) for s in sentences for t in s.outer], dtype=np.int64)
        out[name] = (
            np.load(path, mmap_mode="r"),
            np.load(path.with_name(f"{name}_offsets.npy")),
            [(s.tokens, s.outer) for s in sentences],
            labels,
        )
    return out


def build_head(kind: str, mean: Any, std: Any) -> Any:
    """The head `kind` over (batch, words, groups, hidden) states standardised with the
    pool's mean and deviation per group and dimension."""
    import torch
    from torch import nn

    from newsaudit.benchmarks.bio import BIO_LABELS

    n = len(BIO_LABELS)
    flat = GROUPS * HIDDEN

    class Head(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("mean", mean.clone())
            self.register_buffer("std", std.clone())
            if kind == "linear_last":
                self.out = nn.Linear(HIDDEN, n)
            elif kind == "mix":  # a learnt scalar mix of the groups, then linear
                self.w = nn.Parameter(torch.zeros(GROUPS))
                self.g = nn.Parameter(torch.ones(1))
                self.out = nn.Linear(HIDDEN, n)
            elif kind == "concat":
                self.out = nn.Linear(flat, n)
            elif kind == "mlp":
                self.out = nn.Sequential(
                    nn.Linear(flat, 512), nn.GELU(), nn.Dropout(0.1), nn.Linear(512, n)
                )
            elif kind == "bilstm":
                self.proj = nn.Sequential(nn.Linear(flat, 256), nn.GELU(), nn.Dropout(0.1))
                self.rnn = nn.LSTM(256, 128, batch_first=True, bidirectional=True)
                self.out = nn.Sequential(nn.Dropout(0.1), nn.Linear(512, n))
            else:  # attn: one small transformer layer over the sentence's words
                self.proj = nn.Sequential(nn.Linear(flat, 256), nn.Dropout(0.1))
                self.pos = nn.Embedding(512, 256)
                self.layer = nn.TransformerEncoderLayer(
                    256, 4, 512, 0.1, batch_first=True, norm_first=True
                )
                self.out = nn.Sequential(nn.LayerNorm(256), nn.Linear(256, n))
            self.drop = nn.Dropout(0.1)

        def forward(self, x, mask):  # noqa: ANN001, ANN202
            x = (x - self.mean) / self.std
            if kind == "linear_last":
                return self.out(self.drop(x[:, :, GROUPS - 1]))
            if kind == "mix":
                return self.out(self.drop(self.g * (x * self.w.softmax(0)[:, None]).sum(2)))
            x = x.flatten(2)
            if kind in ("concat", "mlp"):
                return self.out(self.drop(x))
            if kind == "bilstm":
                h = self.proj(x)
                packed = nn.utils.rnn.pack_padded_sequence(
                    h, mask.sum(1), batch_first=True, enforce_sorted=False
                )
                r, _ = self.rnn(packed)
                r, _ = nn.utils.rnn.pad_packed_sequence(
                    r, batch_first=True, total_length=h.shape[1]
                )
                return self.out(torch.cat([r, h], -1))
            h = self.proj(x) + self.pos(torch.arange(x.shape[1]))[None]
            return self.out(self.layer(h, src_key_padding_mask=~mask))

    return Head()


def batch(part: Part, rows: list[int]) -> tuple[Any, Any, Any]:
    import torch

    x, offsets, _, y = part
    width = max(offsets[i + 1] - offsets[i] for i in rows)
    xb = np.zeros((len(rows), width, GROUPS, HIDDEN), np.float32)
    yb = np.full((len(rows), width), -100)
    mb = np.zeros((len(rows), width), bool)
    for r, i in enumerate(rows):
        a, b = offsets[i], offsets[i + 1]
        xb[r, : b - a], yb[r, : b - a], mb[r, : b - a] = x[a:b], y[a:b], True
    return torch.from_numpy(xb), torch.from_numpy(mb), torch.from_numpy(yb)


def coarse_f1(model: Any, part: Part) -> tuple[float, float]:
    """(coarse, fine) strict micro F1, tags repaired and organisations corrected."""
    import torch

    from newsaudit.analyzers.org_names import correct_organisations
    from newsaudit.benchmarks.bio import BIO_LABELS, repair_bio
    from newsaudit.benchmarks.germeval import score_layers

    _, offsets, sentences, _ = part
    model.eval()
    order = sorted(range(len(sentences)), key=lambda i: offsets[i + 1] - offsets[i])
    tags: list[list[str]] = [[] for _ in sentences]
    with torch.no_grad():
        for j in range(0, len(order), 64):
            rows = order[j : j + 64]
            xb, mb, _ = batch(part, rows)
            best = model(xb, mb).argmax(-1).numpy()
            for r, i in enumerate(rows):
                words = sentences[i][0]
                bio = repair_bio([BIO_LABELS[k] for k in best[r, : len(words)]])
                tags[i] = correct_organisations(words, bio)
    scores = score_layers([s[1] for s in sentences], tags)
    return scores["coarse"]["micro"].f1, scores["fine"]["micro"].f1


def train_stage(
    model: Any, pool: Part, dev: Part, order: list[int], epochs: float, lr: float, every: int
) -> float:
    """AdamW with warm-up and linear decay over `order` (pool rows, repeats kept); keeps the
    state with the best dev coarse F1 and returns that F1."""
    import torch
    from torch import nn

    rng = random.Random(20141)
    params = [q for q in model.parameters() if q.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    offsets = pool[1]
    total = int(math.ceil(len(order) / BATCH) * epochs)
    warm = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / (total - warm)))
    )
    best, state, step = -1.0, None, 0
    while step < total:
        by_length = sorted(order, key=lambda i: (offsets[i + 1] - offsets[i], rng.random()))
        batches = [by_length[j : j + BATCH] for j in range(0, len(by_length), BATCH)]
        rng.shuffle(batches)
        for rows in batches:
            if step >= total:
                break
            model.train()
            xb, mb, yb = batch(pool, rows)
            logits = model(xb, mb)
            loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), yb.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % every == 0 or step == total:
                score = coarse_f1(model, dev)[0]
                if score > best:
                    best = score
                    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    model.load_state_dict(state)
    return best


def measure(variant: str, parts: dict[str, Part], corpora: Any) -> dict[str, Any]:
    """Train `variant` and score it: on sentences encoded alone (and the same head read over
    4-sentence texts), or, with the PARAGRAPHS suffix, trained and chosen on 4-sentence
    texts (4 consecutive pool sentences per text) and scored on them."""
    import torch

    from newsaudit.train.ner_corpora import SEED

    torch.set_num_threads(1)
    began, cpu = time.time(), time.process_time()
    kind = variant.removesuffix(PARAGRAPHS)
    suffix = "_para" if variant.endswith(PARAGRAPHS) else ""
    pool, dev_part, test_part = (parts[p + suffix] for p in ("pool", "dev", "test"))
    row = {}
    for s in corpora.train:
        row.setdefault(id(s), len(row))
    sample = pool[0][:: max(1, len(pool[0]) // 100000)].astype(np.float32)
    mean, std = torch.from_numpy(sample.mean(0)), torch.from_numpy(sample.std(0) + 1e-3)
    torch.manual_seed(SEED)
    model = build_head(kind, mean, std)
    stage1 = train_stage(
        model, pool, dev_part, [row[id(s)] for s in corpora.train], EPOCHS, LR, 400
    )
    germeval = [row[id(s)] for s in corpora.germeval_train]
    train_stage(model, pool, dev_part, germeval, GERMEVAL_EPOCHS, LR / 3, 40)
    dev, dev_fine = coarse_f1(model, dev_part)
    heldout, heldout_fine = coarse_f1(model, test_part)
    figures = {
        "parameters": sum(q.numel() for q in model.parameters()),
        "stage1_dev_coarse": round(stage1, 4),
        "dev_coarse": round(dev, 4),
        "dev_fine": round(dev_fine, 4),
        "heldout_coarse": round(heldout, 4),
        "heldout_fine": round(heldout_fine, 4),
        "train_cpu_minutes": round((time.process_time() - cpu) / 60, 1),
        "train_wall_minutes": round((time.time() - began) / 60, 1),
    }
    if not suffix:
        figures["dev_coarse_paragraphs"] = round(coarse_f1(model, parts["dev_para"])[0], 4)
        figures["heldout_coarse_paragraphs"] = round(coarse_f1(model, parts["test_para"])[0], 4)
    return figures


def main() -> None:
    from newsaudit.train.ner_corpora import DEFAULT_WORKDIR, build_corpora

    kinds = sys.argv[1:] or list(VARIANTS)
    if unknown := set(kinds) - set(VARIANTS):
        sys.exit(f"unknown variants {sorted(unknown)}; choose from {VARIANTS}")
    if not (SHARED_DATA / "ner").is_dir():
        sys.exit(f"needs {SHARED_DATA / 'ner'}")
    corpora = build_corpora(SHARED_DATA, DEFAULT_WORKDIR)
    parts = states(corpora)
    previous = RESULTS / "ner_frozen_heads.json"
    figures = json.loads(previous.read_text())["figures"] if previous.is_file() else {}
    for kind in kinds:
        figures[kind] = measure(kind, parts, corpora)
        print(kind, json.dumps(figures[kind]), flush=True)
        write_results(
            "ner_frozen_heads",
            figures,
            "GermEval 2014 dev (509) and held-out (1028) sentences, NER card's split and pool; "
            "heads over the frozen shared embedder's first-piece layer-group states",
        )


if __name__ == "__main__":
    main()
