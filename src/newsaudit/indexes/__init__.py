"""The user's own fact-check indexes (``newsaudit index add|list|remove``), searched by the
narratives analyzer beside the packaged EUvsDisinfo index.

Each index is two files in ``<data dir>/indexes/`` (the directory of the default store,
``NEWSAUDIT_DATA_DIR`` overrides): ``NAME.npz`` (the e5 vectors of its claims) and
``NAME.json`` (the claims: text, url, date, rating, language). Files are written to a
temporary name and renamed, the JSON last, so a crash or a bad file never leaves a half
index, and an index is listed only when both files are complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsaudit.config import data_dir

SUFFIXES = (".npz", ".json")


def index_dir() -> Path:
    return data_dir() / "indexes"


def index_names(directory: Path | None = None) -> list[str]:
    """Names of the complete indexes, sorted."""
    directory = directory or index_dir()
    if not directory.is_dir():
        return []
    return sorted(
        p.stem for p in directory.glob("*.json") if (directory / f"{p.stem}.npz").is_file()
    )


def with_user_indexes(model: Any, directory: Path | None = None) -> Any:
    """``model`` searching every user index too (an unreadable index is skipped with a log
    line: the packaged index must keep working)."""
    from newsaudit.indexes.store import read_index

    directory = directory or index_dir()
    for name in index_names(directory):
        loaded = read_index(directory, name)
        if loaded is not None:
            vectors, cases, languages = loaded
            model = model.with_cases(vectors, cases, languages)
    return model
