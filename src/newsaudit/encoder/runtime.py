"""One way to open the packaged ONNX graphs: CPU, a fixed number of threads, and each graph
optimised once per machine into the user cache, not at every start."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from newsaudit import cache

# The first block `train.quantise.store_4bit` writes: its name marks a 4-bit-stored graph.
STORED_4BIT = b"q4/0/packed"
# Bump when what `optimised` writes changes, so older cache entries are not read.
CACHE_FORMAT = "2"


def _options(threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return options


def onnx_session(path: Path, threads: int = 1) -> Any:
    """An ONNX Runtime session on `threads` intra-op threads and one inter-op thread, so
    that a batch worker's per-core figures hold (and onnxruntime is imported only here).
    It loads `optimised(path)` with graph optimisations off; a cached copy that does not
    load is dropped and made again once, and without a usable cache the packaged graph is
    optimised in memory, as ONNX Runtime does by default."""
    import onnxruntime as ort

    for _ in range(2):
        source = optimised(path)
        if source is None:
            break
        options = _options(threads)
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            return ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        except Exception:  # a damaged cached copy
            with contextlib.suppress(OSError):
                source.unlink(missing_ok=True)
    return ort.InferenceSession(str(path), _options(threads), providers=["CPUExecutionProvider"])


def optimised(path: Path) -> Path | None:
    """The cached copy of `path` that ONNX Runtime has already optimised (`_optimise`),
    made on first use in the user cache; None where the cache cannot be written. A graph
    stored as 4-bit blocks is first folded into its int8 weights (constant folding), then
    optimised. WHY: folding the blocks took 0.3-0.4 CPU-s per e5 graph at every start and
    optimising it another 0.04-0.06; the optimised copy loads with optimisations off in
    0.04 and computes the same outputs bit for bit (tested).
    The copy is named by the graph's content and found by its stamp (`cache.located`); it
    is written to a temporary name and renamed, so workers racing to make it each see a
    whole file."""
    import onnxruntime as ort

    target = cache.located(path, "onnx", ".onnx", ort.__version__, CACHE_FORMAT)
    if target is None or target.is_file():
        return target
    try:
        _build(path, STORED_4BIT in path.read_bytes(), target)
    except Exception:  # a read-only home, a full disk: optimise in memory instead
        return None
    return target


def _build(path: Path, stored_4bit: bool, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    done = cache.temporary(target)
    folded = done.with_suffix(".folded")
    try:
        source = path
        if stored_4bit:
            _optimise(path, folded, basic=True)
            source = folded
        _optimise(source, done, basic=False)
        os.replace(done, target)  # whole or not at all, also with workers racing
    finally:
        for leftover in (folded, done):
            leftover.unlink(missing_ok=True)


def _optimise(source: Path, destination: Path, basic: bool) -> None:
    """Write ONNX Runtime's optimisation of `source` to `destination`: basic (constant
    folding, standard operators) or extended (fused operators). WHY extended, not all: the
    only optimisations all adds are layout changes for convolutions, which these graphs do
    not have (the extended copy computes what the default session does, tested), and a copy
    with them would fit only this machine's hardware."""
    import onnxruntime as ort

    options = _options(1)
    options.graph_optimization_level = (
        ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
        if basic
        else ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    )
    options.optimized_model_filepath = str(destination)
    ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
