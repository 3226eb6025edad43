"""One way to open the packaged ONNX graphs: CPU, a fixed number of threads, and each graph
optimised once per machine into the user cache, not at every start."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Any

# The first block `train.quantise.store_4bit` writes: its name marks a 4-bit-stored graph.
STORED_4BIT = b"q4/0/packed"
# Bump when what `optimised` writes changes, so older cache entries are not read.
CACHE_FORMAT = "2"
_CONTENT_KEY = re.compile("[0-9a-f]{32}")


def cache_dir() -> Path:
    """Where optimised graphs are kept: ``$NEWSAUDIT_CACHE/onnx``, else
    ``~/.cache/newsaudit/onnx``."""
    return Path(os.environ.get("NEWSAUDIT_CACHE", Path.home() / ".cache" / "newsaudit")) / "onnx"


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


def _stamp(path: Path) -> str:
    """The name of this version of the file at `path`: its resolved path, size,
    modification and change times and inode, with the ONNX Runtime version (a new
    newsaudit install writes new files).
    WHY not the content: hashing the three graphs took 0.067 CPU-s at every start, and any
    rewrite of a file changes its times."""
    import onnxruntime as ort

    resolved = path.resolve()
    stat = resolved.stat()
    stamp = (
        f"{resolved}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ctime_ns}|{stat.st_ino}"
        f"|{ort.__version__}|{CACHE_FORMAT}"
    )
    return hashlib.sha256(stamp.encode()).hexdigest()[:32]


def optimised(path: Path) -> Path | None:
    """The cached copy of `path` that ONNX Runtime has already optimised (`_optimise`),
    made on first use under `cache_dir()`; None where the cache cannot be written. A graph
    stored as 4-bit blocks is first folded into its int8 weights (constant folding), then
    optimised. WHY: folding the blocks took 0.3-0.4 CPU-s per e5 graph at every start and
    optimising it another 0.04-0.06; the optimised copy loads with optimisations off in
    0.04 and computes the same outputs bit for bit (tested).
    The copy is named by the graph's content, so checkouts of the same model share it, and
    found through a small file named by `_stamp`, so a start reads no graph to hash it.
    Both are written to temporary names and renamed: workers racing to make them each see
    whole files, and a stamp file that names no copy is made again."""
    try:
        pointer = cache_dir() / "stamps" / _stamp(path)
    except OSError:
        return None
    with contextlib.suppress(OSError, UnicodeDecodeError):
        key = pointer.read_text(encoding="ascii")
        target = cache_dir() / f"{key}.onnx"
        if _CONTENT_KEY.fullmatch(key) and target.is_file():
            return target
    try:
        import onnxruntime as ort

        data = path.read_bytes()
        key = hashlib.sha256(data + f"|{ort.__version__}|{CACHE_FORMAT}".encode()).hexdigest()
        key = key[:32]
        target = cache_dir() / f"{key}.onnx"
        if not target.is_file():
            _build(path, STORED_4BIT in data, target)
        _write_whole(pointer, key.encode("ascii"))
    except Exception:  # a read-only home, a full disk: optimise in memory instead
        return None
    return target


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def _write_whole(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _temporary(target)
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _build(path: Path, stored_4bit: bool, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    done = _temporary(target)
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
