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


def _valid_name(name: str) -> str:
    import re

    from newsaudit.errors import InputError

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name) or name.endswith("."):
        raise InputError(f"index name {name!r}: use letters, digits, '.', '_' or '-' (at most 64)")
    return name


def add_index(path: Path, name: str | None = None, *, replace: bool = False) -> tuple[str, int]:
    """Read ``path``, embed its claims and store them as index ``name`` (default: the file's
    stem); returns (name, number of claims). Nothing is written unless the whole file reads;
    an existing index is only replaced when asked."""
    from newsaudit.analyzers.embeddings import sentence_vectors
    from newsaudit.errors import InputError
    from newsaudit.indexes.claimreview import read_fact_checks
    from newsaudit.indexes.store import write_index
    from newsaudit.nlp.language import detect_language

    name = _valid_name(name or path.stem)
    directory = index_dir()
    if name in index_names(directory) and not replace:
        raise InputError(f"an index named {name!r} exists; pass --replace or another --name")
    claims = read_fact_checks(path)
    for claim in claims:
        if not claim["language"]:
            claim["language"] = detect_language(claim["text"])[0] or "en"
    vectors = sentence_vectors([c["text"] for c in claims])
    write_index(directory, name, claims, vectors)
    return name, len(claims)


def list_indexes() -> list[tuple[str, int, Path]]:
    """(name, number of claims, JSON path) of each complete index."""
    from newsaudit.indexes.store import read_claims

    directory = index_dir()
    out = []
    for name in index_names(directory):
        try:
            count = len(read_claims(directory, name))
        except (OSError, ValueError, KeyError):
            count = -1
        out.append((name, count, directory / f"{name}.json"))
    return out


def remove(name: str) -> None:
    from newsaudit.indexes.store import remove_index

    remove_index(index_dir(), _valid_name(name))
