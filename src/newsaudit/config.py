"""Limits and defaults shared by every front end."""

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_FETCH_TOTAL_TIMEOUT = 30.0


@dataclass(frozen=True)
class Limits:
    """Defensive limits on every input; front ends let the user raise them."""

    max_bytes: int = DEFAULT_MAX_BYTES
    fetch_timeout: float = 10.0
    """Seconds one socket operation may wait."""
    fetch_total_timeout: float = DEFAULT_FETCH_TOTAL_TIMEOUT
    """Seconds a whole fetch may take, redirects included (a server trickling bytes)."""
    fetch_max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False


def data_dir() -> Path:
    """The per-user data directory (XDG on Linux, ``NEWSAUDIT_DATA_DIR`` overrides): the
    default store and the user's fact-check indexes live here."""
    if os.environ.get("NEWSAUDIT_DATA_DIR"):
        return Path(os.environ["NEWSAUDIT_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newsaudit"


def shared_data_dir() -> Path:
    """``../shared/data`` beside the checkout (or ``$NEWSAUDIT_SHARED/data``).

    Training commands default to it; it is searched upwards from the package so that git
    worktrees nested below the checkout find it too.
    """
    env = os.environ.get("NEWSAUDIT_SHARED")
    if env:
        return Path(env) / "data"
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return here.parents[2] / "shared" / "data"
