"""Reading, writing and removing one user index, atomically."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsaudit.cache import write_atomically
from newsaudit.errors import InputError

log = logging.getLogger(__name__)


def write_index(directory: Path, name: str, claims: Sequence[dict], vectors: Any) -> None:
    """Store ``claims`` (dicts with text, url, date, rating, language) and their vectors as
    index ``name``; the vectors first, the JSON that makes the index visible last."""
    import numpy as np

    array = np.asarray(vectors, dtype=np.float16)
    write_atomically(directory / f"{name}.npz", lambda h: np.savez(h, vectors=array))
    payload = json.dumps({"name": name, "claims": list(claims)}, ensure_ascii=False, indent=1)
    write_atomically(directory / f"{name}.json", lambda h: h.write(payload.encode("utf-8")))


def remove_index(directory: Path, name: str) -> None:
    """Remove index ``name``: the JSON first, so a half-removed index is never listed."""
    json_path, npz_path = directory / f"{name}.json", directory / f"{name}.npz"
    if not json_path.is_file() and not npz_path.is_file():
        raise InputError(f"no index named {name!r} (see `newsaudit index list`)")
    json_path.unlink(missing_ok=True)
    npz_path.unlink(missing_ok=True)


def read_claims(directory: Path, name: str) -> list[dict]:
    data = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    return list(data["claims"])


def read_index(directory: Path, name: str) -> tuple[Any, list, list[str]] | None:
    """(vectors, CaseInfo per claim, language per claim) of index ``name``, or None (and a
    log line) when its files cannot be read."""
    import numpy as np

    from newsaudit.analyzers.narrative_matcher import CaseInfo

    try:
        claims = read_claims(directory, name)
        with np.load(directory / f"{name}.npz", allow_pickle=False) as arrays:
            vectors = arrays["vectors"].astype(np.float32)
        if len(vectors) != len(claims):
            raise ValueError(f"{len(claims)} claims but {len(vectors)} vectors")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("fact-check index %s in %s is skipped: %s", name, directory, exc)
        return None
    cases = [
        CaseInfo(
            case_id=f"{name}:{i}",
            title=c["text"],
            url=c.get("url"),
            date=c.get("date"),
            disproof=c.get("rating") or "",
            database=name,
        )
        for i, c in enumerate(claims)
    ]
    return vectors, cases, [c.get("language") or "en" for c in claims]
