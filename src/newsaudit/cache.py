"""The user cache: what a start would otherwise compute again from a packaged file, kept
under ``$NEWSAUDIT_CACHE`` (else ``~/.cache/newsaudit``) and found without reading the file.

Every entry is named by its file's content and found by :func:`stamp` (the file's path,
size, times and inode); it is written to a temporary name and renamed
(:func:`write_atomically`), so workers racing to make it each see a whole file, and read
so that a damaged entry is detected and made again. Where the cache cannot be written
the work is done in memory, as without a cache.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import numpy as np

# Bump when what an entry holds changes, so older entries are not read.
FORMAT = "1"
_KEY = re.compile("[0-9a-f]{32}")


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


def located(path: Path, folder: str, suffix: str, *extra: str) -> Path | None:
    """Where the entry made from the file `path` is kept: ``folder/KEY.suffix`` in the
    cache, KEY a hash of the file's content and `extra`, so checkouts of the same model
    share one entry; None where the cache cannot be used. A small file named by
    :func:`stamp` remembers KEY, so a start reads no model file to hash it; the entry itself
    may not exist yet (the caller makes it)."""
    try:
        pointer = cache_dir() / folder / "stamps" / stamp(path, *extra, FORMAT)
        with contextlib.suppress(OSError, UnicodeDecodeError):
            key = pointer.read_text(encoding="ascii")
            target = cache_dir() / folder / f"{key}{suffix}"
            if _KEY.fullmatch(key) and target.is_file():
                return target
        digest = hashlib.sha256(path.read_bytes())
        digest.update("|".join((*extra, FORMAT)).encode())
        key = digest.hexdigest()[:32]
        write_atomically(pointer, lambda handle: handle.write(key.encode("ascii")))
    except OSError:
        return None
    return cache_dir() / folder / f"{key}{suffix}"


def temporary(target: Path) -> Path:
    """A name beside `target` no other process or thread writes."""
    return target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")


def write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """``write(handle)`` into a temporary file beside `target`, then rename it over
    `target`: a reader, or a worker racing to write the same file, sees it whole or not at
    all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def npz_arrays(path: Path, prefix: str = "") -> dict[str, np.ndarray]:
    """The arrays of the ``.npz`` file `path` whose names start with `prefix`, read from an
    uncompressed copy in the cache (made on first use). WHY: the packaged models store
    their arrays compressed to keep the repository small, and decompressing took 0.07-0.10
    CPU-s a model at every start; a stored member is one copy. The copy's CRCs are checked
    as its members are read, so a damaged copy is replaced by the packaged file's arrays
    and made again."""
    import numpy as np

    target = located(path, "arrays", ".npz", np.__version__)
    if target is not None and target.is_file():
        try:
            return _members(target, prefix)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile):
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)
    arrays = _members(path, "")
    if target is not None:
        # A read-only home, a full disk: the arrays are read all the same.
        with contextlib.suppress(OSError):
            write_atomically(target, lambda handle: np.savez(handle, **arrays))
    return {name: array for name, array in arrays.items() if name.startswith(prefix)}


def string_lists(path: Path, names: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The lists of strings named `names` (all without) of the gzipped JSON object `path`
    ({name: [string, ...]}), read from a copy in the cache made on first use: a JSON
    header (each list's byte range and count, and the body's CRC) on one line, then the
    lists' strings, NUL-separated. WHY: parsing the techniques vocabulary (250,000
    n-grams, 2.9 MB of JSON) took 0.035 CPU-s of every start, though a German article reads
    a fifth of it; one list is one decode and one split."""
    target = located(path, "strings", ".txt")
    if target is not None:
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            return _read_strings(target, names)
    lists = json.loads(gzip.decompress(path.read_bytes()))
    if not isinstance(lists, dict):
        raise ValueError(f"{path} holds no JSON object of string lists")
    if target is not None:
        with contextlib.suppress(OSError, ValueError):
            data = _string_file(lists)
            write_atomically(target, lambda handle: handle.write(data))
    return {k: v for k, v in lists.items() if names is None or k in set(names)}


def _string_file(lists: dict[str, list[str]]) -> bytes:
    body, ranges, at = [], {}, 0
    for name, strings in lists.items():
        if not all(isinstance(s, str) and "\0" not in s for s in strings):
            raise ValueError(f"{name!r} holds a non-string or a NUL")
        data = "\0".join(strings).encode("utf-8")
        ranges[name] = [at, at + len(data), len(strings)]
        body.append(data)
        at += len(data)
    joined = b"".join(body)
    header = {"ranges": ranges, "crc": zlib.crc32(joined)}
    return json.dumps(header).encode("ascii") + b"\n" + joined


def _read_strings(target: Path, names: Iterable[str] | None) -> dict[str, list[str]]:
    data = target.read_bytes()
    cut = data.index(b"\n")
    header = json.loads(data[:cut])
    body = memoryview(data)[cut + 1 :]
    if zlib.crc32(body) != header["crc"]:
        raise ValueError("damaged")
    out = {}
    for name in header["ranges"] if names is None else names:
        start, end, count = header["ranges"][name]
        strings = bytes(body[start:end]).decode("utf-8").split("\0") if count else []
        if len(strings) != count:
            raise ValueError("damaged")
        out[name] = strings
    return out


def _members(path: Path, prefix: str) -> dict[str, np.ndarray]:
    import numpy as np

    with np.load(path, allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files if name.startswith(prefix)}
