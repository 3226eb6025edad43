"""The FastAPI application: ``create_app(settings)`` and ``serve(settings)``."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import re
import threading
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsaudit.errors import FetchError, NewsauditError
from newsaudit.pipeline import Pipeline, default_pipeline
from newsaudit.service.security import BodySizeLimit, HostAndOriginGuard, SecurityHeaders
from newsaudit.service.settings import TOKEN_ENV, Settings
from newsaudit.store import Store

STATIC = Path(__file__).resolve().parent / "static"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


@lru_cache(maxsize=1)
def trusted_script_hashes() -> tuple[str, ...]:
    """CSP hashes of the report renderer's own inline scripts, taken from a harmless report.

    Only these exact scripts may run, so markup smuggled into an article could not execute
    even if escaping ever failed.
    """
    from newsaudit.report.html import _environment, article_context
    from newsaudit.report.model import Report

    report = Report(id="csp", text="csp")
    html = (
        _environment()
        .get_template("_article.html.j2")
        .render(report=report, **article_context(report))
    )
    return tuple(
        "sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        for body in _INLINE_SCRIPT.findall(html)
    )


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        yield
        app.state.jobs.shutdown()
        app.state.store.close()

    app = FastAPI(
        title="newsaudit",
        summary="Shows, with evidence, how news articles persuade and where they may mislead.",
        version=_version(),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    from newsaudit.service.jobs import BatchJobs

    app.state.settings = settings
    app.state.store = Store(settings.db_url)
    app.state.pipeline = pipeline or default_pipeline()
    # The pipeline is CPU-bound and loads models lazily: one analysis at a time per process.
    app.state.lock = threading.Lock()
    app.state.jobs = BatchJobs(app.state.store, app.state.pipeline, app.state.lock)

    @app.exception_handler(NewsauditError)
    async def _user_error(_request: Request, exc: NewsauditError) -> JSONResponse:
        status = 502 if isinstance(exc, FetchError) else 422
        return JSONResponse({"detail": str(exc)}, status_code=status)

    from newsaudit.service import api, compare, docs, ui

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if ui.wants_html(request):
            return ui.error_page(request, exc.status_code, str(exc.detail))
        return await http_exception_handler(request, exc)

    app.include_router(api.router)
    app.include_router(compare.api_router)
    app.include_router(ui.router)
    app.include_router(compare.ui_router)
    app.include_router(docs.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders, script_hashes=list(trusted_script_hashes()))
    app.add_middleware(BodySizeLimit, limit_for=settings.request_limit)
    app.add_middleware(HostAndOriginGuard, settings=settings)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsaudit")
    except PackageNotFoundError:
        return "0+unknown"


_SETTINGS_ENV = "NEWSAUDIT_SERVICE_SETTINGS"


def app_from_env() -> FastAPI:
    """The app of one worker process when ``serve --workers N`` runs several."""
    values = json.loads(os.environ[_SETTINGS_ENV])
    values["allowed_hosts"] = tuple(values.get("allowed_hosts", ()))
    return create_app(Settings(token=os.environ.get(TOKEN_ENV) or None, **values))


def serve(settings: Settings, workers: int = 1) -> None:
    """Run uvicorn; with ``workers`` > 1, as many processes, each with its own pipeline."""
    import logging

    import uvicorn

    log = logging.getLogger("newsaudit.service")
    if settings.token_required and not settings.token:
        log.warning(
            "listening on %s without NEWSAUDIT_TOKEN: the UI and API are read-only",
            settings.host,
        )
    common = {"host": settings.host, "port": settings.port, "log_level": "info"}
    if workers <= 1:
        uvicorn.run(create_app(settings), **common)
        return
    values = {k: v for k, v in dataclasses.asdict(settings).items() if k != "token"}
    os.environ[_SETTINGS_ENV] = json.dumps(values)
    Store(settings.db_url).close()  # migrate once, before the workers race to do it
    uvicorn.run("newsaudit.service.app:app_from_env", factory=True, workers=workers, **common)
