"""One way to open the packaged ONNX graphs: CPU, a fixed number of threads."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def onnx_session(path: Path, threads: int = 1) -> Any:
    """An ONNX Runtime session on `threads` intra-op threads and one inter-op thread, so
    that a batch worker's per-core figures hold (and onnxruntime is imported only here)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
