"""Limits and defaults shared by every front end."""

from dataclasses import dataclass

DEFAULT_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Defensive limits on every input; front ends let the user raise them."""

    max_bytes: int = DEFAULT_MAX_BYTES
    fetch_timeout: float = 10.0
    fetch_max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
