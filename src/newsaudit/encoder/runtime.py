"""One way to open the packaged ONNX graphs: CPU, a fixed number of threads, and the int8
weights of a graph stored as 4-bit blocks computed once per machine, not at every start."""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from pathlib import Path
from typing import Any

# The first block `train.quantise.store_4bit` writes: its name marks a 4-bit-stored graph.
STORED_4BIT = b"q4/0/packed"


def cache_dir() -> Path:
    """Where folded graphs are kept: ``$NEWSAUDIT_CACHE/onnx``, else
    ``~/.cache/newsaudit/onnx``."""
    return Path(os.environ.get("NEWSAUDIT_CACHE", Path.home() / ".cache" / "newsaudit")) / "onnx"


def onnx_session(path: Path, threads: int = 1) -> Any:
    """An ONNX Runtime session on `threads` intra-op threads and one inter-op thread, so
    that a batch worker's per-core figures hold (and onnxruntime is imported only here)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    source = folded(path)
    try:
        return ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
    except Exception:  # a damaged cached copy: drop it and fold in memory, as before
        if source == path:
            raise
        source.unlink(missing_ok=True)
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def folded(path: Path) -> Path:
    """`path`, or for a graph stored as 4-bit blocks its copy with the int8 weights already
    computed, made on first use under `cache_dir()` and named by the file's content and the
    ONNX Runtime version. The copy is ONNX Runtime's basic optimisation of the graph
    (constant folding: standard operators only, so it runs on any CPU). WHY: folding the
    blocks took 0.3-0.4 CPU-s per e5 graph at every start; the folded copy loads in 0.08.
    Where the cache cannot be written, `path` itself is returned and folded in memory."""
    import onnxruntime as ort

    data = path.read_bytes()
    if STORED_4BIT not in data:
        return path
    key = hashlib.sha256(data + ort.__version__.encode()).hexdigest()[:32]
    target = cache_dir() / f"{key}.onnx"
    if target.is_file():
        return target
    partial = target.with_name(f".{key}.{os.getpid()}.{threading.get_ident()}.tmp")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(partial)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        os.replace(partial, target)  # whole or not at all, also with workers racing
    except Exception:  # a read-only home, a full disk: load without the cache
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return path
    return target
