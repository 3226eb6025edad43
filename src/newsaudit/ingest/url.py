"""Fetch a URL safely: timeouts, size cap, content-type check and an SSRF guard.

The guard resolves the host name, refuses loopback, private, link-local and other
non-public addresses, and then connects to exactly the address it checked (so a second DNS
answer cannot smuggle in another one). Every redirect is checked the same way. Besides the
timeout of each socket operation, a deadline bounds the whole fetch: a server that trickles
one byte at a time could otherwise hold it for as long as it likes.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from newsaudit.config import Limits
from newsaudit.errors import FetchError

_ALLOWED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_USER_AGENT = "newsaudit/0.1 (+https://github.com/newsaudit/newsaudit)"


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    charset: str | None
    body: bytes


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def resolve(host: str, port: int, allow_private: bool) -> str:
    """One checked IP address for ``host``; raises FetchError for forbidden targets."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror}") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise FetchError(f"host {host!r} has no address")
    if not allow_private:
        blocked = [a for a in addresses if not _is_public(a)]
        if blocked:
            raise FetchError(
                f"refusing to fetch {host!r}: it resolves to the non-public address {blocked[0]} "
                "(loopback, private or link-local)",
                cli_hint="pass --allow-private to allow it",
            )
    return str(addresses[0])


@dataclass
class _Deadline:
    """The end of a whole fetch: at that moment every socket of the fetch is shut down."""

    seconds: float
    end: float = 0.0
    _timers: list[threading.Timer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.end = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def connect(self, address: tuple[str, int], timeout: float) -> socket.socket:
        if self.remaining() <= 0:
            raise TimeoutError("deadline passed")
        sock = socket.create_connection(address, min(timeout, self.remaining()))
        timer = threading.Timer(max(0.0, self.remaining()), _shut_down, args=(sock,))
        timer.daemon = True
        timer.start()
        self._timers.append(timer)
        return sock

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()


def _shut_down(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed: the fetch ended in time
        sock.shutdown(socket.SHUT_RDWR)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, ip: str, port: int, timeout: float, deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=timeout)
        self._ip = ip
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = self._deadline.connect((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, ip: str, port: int, timeout: float, deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip
        self._deadline = deadline

    def connect(self) -> None:
        sock = self._deadline.connect((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _request(
    url: str, limits: Limits, accept: tuple[str, ...], deadline: _Deadline
) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https URLs can be fetched, not {parts.scheme!r}")
    if not parts.hostname:
        raise FetchError(f"URL has no host: {url!r}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    ip = resolve(parts.hostname, port, limits.allow_private)
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    conn = cls(parts.hostname, ip, port, limits.fetch_timeout, deadline)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request(
            "GET",
            path,
            headers={"User-Agent": _USER_AGENT, "Accept": ", ".join(accept)},
        )
        return conn.getresponse()
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        raise FetchError(f"cannot fetch {url}: {exc}") from None


def fetch(
    url: str, limits: Limits | None = None, accept: tuple[str, ...] = _ALLOWED_TYPES
) -> Fetched:
    """GET ``url`` following at most ``limits.max_redirects`` checked redirects, all within
    ``limits.fetch_total_timeout`` seconds.

    ``accept`` are the media types taken (pages by default; a feed reader passes feed types).
    """
    limits = limits or Limits()
    deadline = _Deadline(limits.fetch_total_timeout)
    try:
        fetched = _fetch(url, limits, accept, deadline)
    except FetchError:
        if deadline.remaining() <= 0:
            raise FetchError(
                f"fetching {url} took longer than {limits.fetch_total_timeout:g} s"
            ) from None
        raise
    finally:
        deadline.cancel()
    if deadline.remaining() <= 0:  # a body cut short by the deadline reads like a whole one
        raise FetchError(f"fetching {url} took longer than {limits.fetch_total_timeout:g} s")
    return fetched


def _fetch(url: str, limits: Limits, accept: tuple[str, ...], deadline: _Deadline) -> Fetched:
    for _ in range(limits.max_redirects + 1):
        response = _request(url, limits, accept, deadline)
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"{url} redirects without a Location header")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchError(f"{url} answered HTTP {response.status} {response.reason}")
            content_type = response.getheader("Content-Type", "text/html")
            mime = content_type.split(";")[0].strip().lower()
            if mime not in accept:
                what = "an HTML or text page" if accept == _ALLOWED_TYPES else "a feed"
                raise FetchError(f"{url} is {mime!r}, not {what}")
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > limits.fetch_max_bytes:
                raise FetchError(f"{url} is larger than {limits.fetch_max_bytes} bytes")
            try:
                body = response.read(limits.fetch_max_bytes + 1)
            except (OSError, http.client.HTTPException) as exc:
                raise FetchError(f"cannot read {url}: {exc}") from None
            if len(body) > limits.fetch_max_bytes:
                raise FetchError(f"{url} is larger than {limits.fetch_max_bytes} bytes")
            charset = None
            if "charset=" in content_type:
                charset = content_type.split("charset=")[-1].split(";")[0].strip(" \"'")
            return Fetched(url=url, content_type=mime, charset=charset, body=body)
        finally:
            response.close()
    raise FetchError(f"too many redirects (more than {limits.max_redirects})")
