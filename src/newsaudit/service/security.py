"""Write protection, request size limits and security headers."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from typing import Any

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


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuse request bodies above the route's limit with 413, declared or streamed."""

    def __init__(self, app: Any, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
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
        body = json.dumps({"detail": f"request body is larger than {limit} bytes"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


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
                headers.append((b"referrer-policy", b"no-referrer"))
                if content_type.startswith(b"text/html") and not scope["path"].startswith("/docs"):
                    headers.append((b"content-security-policy", self.csp))
                    headers.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
