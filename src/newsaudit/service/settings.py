"""Service settings, and the rule that decides when writes need a token."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field

from newsaudit.config import DEFAULT_FETCH_TOTAL_TIMEOUT, DEFAULT_MAX_BYTES, Limits
from newsaudit.store import default_db_url

TOKEN_ENV = "NEWSAUDIT_TOKEN"
ALLOWED_HOSTS_ENV = "NEWSAUDIT_ALLOWED_HOSTS"


def is_loopback(host: str) -> bool:
    """True only for addresses no other machine can reach (``0.0.0.0`` is not one)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name may resolve anywhere: treat it as public


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    db_url: str = field(default_factory=default_db_url)
    token: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_upload_bytes: int = 100 * 1024 * 1024
    allow_private: bool = False
    fetch_timeout: float = DEFAULT_FETCH_TOTAL_TIMEOUT
    allowed_hosts: tuple[str, ...] = ()
    """Host names the server answers to besides IP addresses, ``localhost`` and its own."""

    @classmethod
    def from_env(
        cls, *, db_url: str | None = None, allowed_hosts: tuple[str, ...] = (), **values: object
    ) -> Settings:
        token = os.environ.get(TOKEN_ENV) or None
        from_env = [h.strip() for h in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",")]
        hosts = tuple(dict.fromkeys([*allowed_hosts, *(h for h in from_env if h)]))
        return cls(db_url=db_url or default_db_url(), token=token, allowed_hosts=hosts, **values)  # type: ignore[arg-type]

    @property
    def token_required(self) -> bool:
        return not is_loopback(self.host)

    @property
    def limits(self) -> Limits:
        return Limits(
            max_bytes=self.max_bytes,
            allow_private=self.allow_private,
            fetch_total_timeout=self.fetch_timeout,
        )

    def request_limit(self, path: str) -> int:
        """Largest request body for ``path``: batch uploads may be big, the rest are one article."""
        if path.rstrip("/") in ("/api/batches", "/batches"):
            return self.max_upload_bytes
        # Multipart framing and form encoding add overhead around one article.
        return 2 * self.max_bytes + 64 * 1024
