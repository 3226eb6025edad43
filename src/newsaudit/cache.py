"""The user cache: what a start would otherwise compute again from a packaged file, kept
under ``$NEWSAUDIT_CACHE`` (else ``~/.cache/newsaudit``) and found without reading the file.

Every entry is named by :func:`stamp` (the file's path, size, times and inode), written
to a temporary name and renamed, so workers racing to make it each see a whole file, and
read so that a damaged entry is detected and made again. Where the cache cannot be
written the work is done in memory, as without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# Bump when what an entry holds changes, so older entries are not read.
FORMAT = "1"


def cache_dir() -> Path:
    return Path(os.environ.get("NEWSAUDIT_CACHE", Path.home() / ".cache" / "newsaudit"))


def stamp(path: Path, *extra: str) -> str:
    """The name of this version of the file at `path`: its resolved path, size,
    modification and change times and inode, and `extra` (versions of what reads it).
    WHY not the content: hashing the packaged models took 0.067 CPU-s of every start for
    the ONNX graphs alone, and any rewrite of a file changes its times."""
    resolved = path.resolve()
    stat = resolved.stat()
    fields = (resolved, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, *extra)
    return hashlib.sha256("|".join(map(str, fields)).encode()).hexdigest()[:32]


def temporary(target: Path) -> Path:
    """A name beside `target` no other process or thread writes."""
    return target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def write_whole(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = temporary(target)
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def npz_arrays(path: Path, prefix: str = "") -> dict[str, np.ndarray]:
    """The arrays of the ``.npz`` file `path` whose names start with `prefix`, read from an
    uncompressed copy in the cache (made on first use). WHY: the packaged models store
    their arrays compressed to keep the repository small, and decompressing took 0.07-0.10
    CPU-s a model at every start; a stored member is one copy. The copy's CRCs are checked
    as its members are read, so a damaged copy is replaced by the packaged file's arrays
    and made again."""
    import numpy as np

    try:
        target = cache_dir() / "arrays" / f"{stamp(path, np.__version__, FORMAT)}.npz"
    except OSError:
        target = None
    if target is not None and target.is_file():
        try:
            return _members(target, prefix)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile):
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)
    arrays = _members(path, "")
    if target is not None:
        partial = temporary(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as handle:
                np.savez(handle, **arrays)
            os.replace(partial, target)
        except OSError:  # a read-only home, a full disk: the arrays are read all the same
            pass
        finally:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
    return {name: array for name, array in arrays.items() if name.startswith(prefix)}


def _members(path: Path, prefix: str) -> dict[str, np.ndarray]:
    import numpy as np

    with np.load(path, allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files if name.startswith(prefix)}
