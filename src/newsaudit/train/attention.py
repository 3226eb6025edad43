"""Train the per-technique attention head over frozen e5 piece states (torch, seeded).

Each example is one paragraph: its pieces' layer-group states, the paragraph's techniques,
and which pieces lie inside a gold span of each technique. The paragraph loss teaches the
attention where to read; the piece loss (weighted by ``PIECE_LOSS``) ties each piece's own
score to the spans, which gives word-level evidence. The trained weights are copied into
the numpy ``AttentionHead`` that inference runs.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from newsaudit.analyzers.technique_model import AttentionHead

ATTENTION_DIM = 128
PIECE_LOSS = 0.5
MAX_PIECES = 512


@dataclass
class Example:
    """One paragraph for the head: (pieces, groups, hidden) states, the (pieces, labels)
    span marks, the (labels,) paragraph targets and the example's loss weight."""

    states: np.ndarray
    pieces: np.ndarray
    labels: np.ndarray
    weight: float = 1.0


def piece_marks(
    spans: np.ndarray, paragraph_start: int, gold: Sequence[tuple[int, int, int]], n_labels: int
) -> np.ndarray:
    """(pieces, n_labels) 1 where a piece's word overlaps a gold span (label index, start,
    end in article offsets) of that label; ``spans`` are offsets into the paragraph."""
    marks = np.zeros((len(spans), n_labels), dtype=np.int8)
    for label, start, end in gold:
        lo, hi = start - paragraph_start, end - paragraph_start
        hit = (spans[:, 0] < hi) & (spans[:, 1] > lo)
        marks[hit, label] = 1
    return marks


def torch_head(d: int, n_labels: int):  # noqa: ANN202
    import torch
    from torch import nn

    class Head(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.norm = nn.LayerNorm(d)
            self.drop = nn.Dropout(0.1)
            self.key = nn.Linear(d, ATTENTION_DIM)
            self.queries = nn.Parameter(torch.randn(n_labels, ATTENTION_DIM) * 0.02)
            self.values = nn.Parameter(torch.zeros(n_labels, d))
            self.bias = nn.Parameter(torch.zeros(n_labels))
            self.mean = nn.Linear(d, n_labels)
            self.token = nn.Linear(d, n_labels)

        def forward(self, x, mask):  # noqa: ANN001, ANN202
            x = self.drop(self.norm(x))
            scores = torch.tanh(self.key(x)) @ self.queries.T
            attention = scores.masked_fill(~mask[..., None], float("-inf")).softmax(1)
            pooled = torch.einsum("btn,btd->bnd", attention, x)
            weights = mask[..., None].to(x.dtype)
            mean = (x * weights).sum(1) / weights.sum(1).clamp(min=1)
            logits = (pooled * self.values).sum(-1) + self.bias + self.mean(mean)
            return logits, self.token(x)

    return Head()


def padded_batch(examples: Sequence[Example]):  # noqa: ANN202
    import torch

    width = max(1, min(MAX_PIECES, max(len(e.states) for e in examples)))
    d = int(np.prod(examples[0].states.shape[1:]))
    n_labels = len(examples[0].labels)
    x = np.zeros((len(examples), width, d), dtype=np.float32)
    mask = np.zeros((len(examples), width), dtype=bool)
    marks = np.zeros((len(examples), width, n_labels), dtype=np.float32)
    for i, e in enumerate(examples):
        n = min(len(e.states), width)
        x[i, :n] = e.states[:n].reshape(n, d)
        mask[i, :n] = True
        marks[i, :n] = e.pieces[:n]
    mask[:, 0] |= ~mask.any(axis=1)
    labels = np.stack([e.labels for e in examples]).astype(np.float32)
    weights = np.array([e.weight for e in examples], dtype=np.float32)
    return tuple(torch.from_numpy(a) for a in (x, mask, labels, marks, weights))


def fit_attention(
    examples: Sequence[Example],
    seed: int,
    epochs: int = 6,
    lr: float = 1e-3,
    batch_size: int = 32,
    log: Callable[[str], None] = print,
) -> AttentionHead:
    """AdamW with a one-cycle schedule over length-bucketed batches in a seeded order."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    rng = random.Random(seed)
    d = int(np.prod(examples[0].states.shape[1:]))
    model = torch_head(d, len(examples[0].labels))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i].states), rng.random()))
    batches = [order[j : j + batch_size] for j in range(0, len(order), batch_size)]
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=lr, total_steps=epochs * len(batches), pct_start=0.1
    )
    bce = nn.BCEWithLogitsLoss(reduction="none")
    began = time.time()
    for epoch in range(epochs):
        rng.shuffle(batches)
        model.train()
        total = 0.0
        for b in batches:
            x, mask, labels, marks, weights = padded_batch([examples[i] for i in b])
            logits, piece_logits = model(x, mask)
            loss = (bce(logits, labels).mean(1) * weights).sum() / weights.sum()
            m = mask[..., None].to(x.dtype)
            piece = (bce(piece_logits, marks) * m).sum((1, 2)) / m.sum((1, 2)).clamp(min=1)
            loss = loss + PIECE_LOSS * (piece * weights).sum() / weights.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
        log(
            f"attention head: epoch {epoch + 1}/{epochs} loss {total / len(batches):.4f} "
            f"({time.time() - began:.0f}s)"
        )
    return numpy_head(model)


def numpy_head(model) -> AttentionHead:  # noqa: ANN001
    def arr(t) -> np.ndarray:  # noqa: ANN001
        return t.detach().numpy().astype(np.float32).copy()

    return AttentionHead(
        norm_weight=arr(model.norm.weight),
        norm_bias=arr(model.norm.bias),
        key=arr(model.key.weight.T),
        key_bias=arr(model.key.bias),
        queries=arr(model.queries),
        values=arr(model.values),
        mean=arr(model.mean.weight.T),
        bias=arr(model.bias + model.mean.bias),
        token=arr(model.token.weight.T),
        token_bias=arr(model.token.bias),
    )


@dataclass(frozen=True)
class HeadJob:
    """One head to fit: which German articles it learns from (the other languages'
    training paragraphs always take part) and what a German paragraph weighs."""

    german: frozenset[str]
    german_weight: float


_PLAN: tuple[list[HeadJob], Mapping[str, Sequence[Example]], Sequence[Example], int] | None = None


def _examples(job: HeadJob, german: Mapping[str, Sequence[Example]], others: Sequence[Example]):  # noqa: ANN202
    chosen = [replace(e, weight=job.german_weight) for a in sorted(job.german) for e in german[a]]
    return chosen + list(others)


def _fit_planned(i: int) -> AttentionHead:
    import torch

    assert _PLAN is not None
    jobs, german, others, seed = _PLAN
    torch.set_num_threads(1)
    return fit_attention(
        _examples(jobs[i], german, others),
        seed,
        log=lambda m: print(f"head {i + 1}: {m}", flush=True),
    )


def fit_heads(
    jobs: Sequence[HeadJob],
    german: Mapping[str, Sequence[Example]],
    others: Sequence[Example],
    seed: int,
    workers: int,
    log: Callable[[str], None] = print,
) -> dict[HeadJob, AttentionHead]:
    """Every job's head, each fitted on one thread, ``workers`` at a time in forked
    processes (which share the memory-mapped piece states). Each head depends only on its
    job and the seed, not on the number of workers."""
    import multiprocessing

    global _PLAN
    unique = list(dict.fromkeys(jobs))
    _PLAN = (unique, german, others, seed)
    began = time.time()
    try:
        if workers <= 1:
            heads = [_fit_planned(i) for i in range(len(unique))]
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                heads = pool.map(_fit_planned, range(len(unique)), chunksize=1)
    finally:
        _PLAN = None
    log(f"fitted {len(unique)} attention heads in {time.time() - began:.0f}s")
    return dict(zip(unique, heads, strict=True))
