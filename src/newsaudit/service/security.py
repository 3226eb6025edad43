"""Write protection, request size limits, Host and Origin checks, and security headers."""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

from newsaudit.service.settings import TOKEN_ENV, Settings

Scope = dict[str, Any]


def check_write_token(request: Request, supplied: str | None = None) -> None:
    """Writes need the token whenever the server listens beyond loopback.

    The token comes as ``Authorization: Bearer``, an ``X-Newsaudit-Token`` header, or (for
    the HTML forms) a ``token`` form field passed in as ``supplied``.
    """
    settings: Settings = request.app.state.settings
    if not settings.token_required:
        return
    if not settings.token:
        raise HTTPException(
            403,
            f"writing is disabled: this server listens on {settings.host}, not loopback, and "
            f"{TOKEN_ENV} is not set",
        )
    header = request.headers.get("authorization", "")
    candidates = [
        header[7:].strip() if header.lower().startswith("bearer ") else "",
        request.headers.get("x-newsaudit-token", ""),
        supplied or "",
    ]
    if not any(c and hmac.compare_digest(c, settings.token) for c in candidates):
        raise HTTPException(
            401,
            "a valid token is required to write (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )


_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


async def _refuse(send: Any, status: int, detail: str, extra: tuple = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _host_name(value: str) -> str | None:
    """The host name of a ``Host`` header or an origin's network location, lower-cased."""
    try:
        return urlsplit(f"//{value}").hostname
    except ValueError:
        return None


def names_this_server(host: str, settings: Settings) -> bool:
    """Whether a ``Host`` header names this server: an IP address (a DNS-rebinding page
    always comes with a host name), ``localhost``, the address it listens on, or a name the
    operator allowed (``--allowed-host``; ``*`` allows any)."""
    name = _host_name(host)
    if name is None:
        return False
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    allowed = {h.lower() for h in settings.allowed_hosts}
    return "*" in allowed or name in allowed | {"localhost", settings.host.lower()}


class HostAndOriginGuard:
    """Answer only requests that name this server, and refuse cross-site writes.

    On loopback no token is needed to write, so any web page the user visits could post a
    form to the service (store articles, queue batches), and a page whose host name is
    re-bound to 127.0.0.1 could read the corpus. A browser names the page it comes from in
    ``Origin`` (or ``Referer``); a write without a token header must come from this server.
    """

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if host and not names_this_server(host, self.settings):
            await _refuse(
                send,
                400,
                f"this server does not answer to the host name {_host_name(host) or host!r} "
                "(its operator can allow it with --allowed-host)",
            )
            return
        tokened = "authorization" in headers or "x-newsaudit-token" in headers
        if scope["method"] not in _SAFE_METHODS and not tokened:
            came_from = headers.get("origin") or headers.get("referer")
            if came_from is not None and not self._same_site(came_from, host):
                await _refuse(
                    send,
                    403,
                    f"refusing a cross-site request from {came_from!r}: write from this "
                    "server's own pages, or send a token header",
                )
                return
        await self.app(scope, receive, send)

    def _same_site(self, came_from: str, host: str) -> bool:
        if came_from == "null":  # sandboxed or privacy-stripped: the page is unknown
            return False
        location = urlsplit(came_from).netloc.lower()
        allowed = {h.lower() for h in self.settings.allowed_hosts}
        return bool(location) and (location == host.lower() or _host_name(location) in allowed)


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuse request bodies above the route's limit with 413, declared or streamed."""

    def __init__(self, app: Any, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._reject(send, limit)
            return
        received = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracked_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._reject(send, limit)

    @staticmethod
    async def _reject(send: Any, limit: int) -> None:
        await _refuse(
            send,
            413,
            f"request body is larger than {limit} bytes",
            ((b"connection", b"close"),),
        )


class SecurityHeaders:
    """CSP and friends on every HTML response; inline scripts allowed only by their hash."""

    def __init__(self, app: Any, script_hashes: list[str]) -> None:
        self.app = app
        scripts = " ".join(f"'{h}'" for h in script_hashes) or "'none'"
        self.csp = (
            "default-src 'none'; "
            f"script-src 'self' {scripts}; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        ).encode()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = dict(headers).get(b"content-type", b"")
                headers.append((b"x-content-type-options", b"nosniff"))
                # Not "no-referrer": that makes browsers send "Origin: null" with the
                # service's own form posts, which HostAndOriginGuard must refuse.
                headers.append((b"referrer-policy", b"same-origin"))
                if content_type.startswith(b"text/html") and not scope["path"].startswith("/docs"):
                    headers.append((b"content-security-policy", self.csp))
                    headers.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
