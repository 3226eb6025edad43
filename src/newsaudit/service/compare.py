"""Compare an article with its sources: ``POST /api/compare`` and the ``/compare`` page.

Like analysing, comparing is CPU-bound work, so it needs the write token off loopback and
runs one at a time per process (the app's lock). Nothing is stored.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from newsaudit.compare.comparison import MAX_SOURCES
from newsaudit.errors import InputError, NewsauditError
from newsaudit.service.security import check_write_token

api_router = APIRouter(prefix="/api", tags=["api"])
ui_router = APIRouter(include_in_schema=False)

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["article", "sources"],
                    "properties": {
                        "article": {"type": "string", "description": "The article text."},
                        "sources": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "Source texts (transcripts, statements).",
                        },
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "article": {"type": "string"},
                        "article_file": {"type": "string", "format": "binary"},
                        "source": {"type": "array", "items": {"type": "string"}},
                        "source_file": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        },
                    },
                }
            },
        },
    }
}


async def read_texts(request: Request) -> tuple[str | bytes, list[str | bytes], str | None]:
    """(article, sources, form token) from a JSON body or a form with texts or files."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise HTTPException(400, "the body is not valid JSON") from None
        if not isinstance(body, dict):
            raise HTTPException(400, "the body must be a JSON object")
        article, sources = body.get("article"), body.get("sources")
        if isinstance(sources, str):
            sources = [sources]
        if not isinstance(article, str) or not isinstance(sources, list):
            raise HTTPException(422, "give article (a string) and sources (a list of strings)")
        if not all(isinstance(s, str) for s in sources):
            raise HTTPException(422, "sources must be strings")
        return article, list(sources), None
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        limit = request.app.state.settings.max_bytes
        form = await request.form(
            max_files=MAX_SOURCES + 1, max_fields=MAX_SOURCES + 10, max_part_size=limit + 1
        )
        article: str | bytes | None = await _upload(form.get("article_file"), limit)
        text = form.get("article")
        if article is None and isinstance(text, str) and text.strip():
            article = text
        sources: list[str | bytes] = [
            s for s in form.getlist("source") if isinstance(s, str) and s.strip()
        ]
        for upload in form.getlist("source_file"):
            data = await _upload(upload, limit)
            if data is not None:
                sources.append(data)
        token = form.get("token")
        if article is None:
            raise InputError("give the article: paste its text or upload its file")
        return article, sources, token if isinstance(token, str) else None
    raise HTTPException(415, "send application/json or a form (multipart/form-data)")


async def _upload(value: Any, limit: int) -> bytes | None:
    if isinstance(value, UploadFile) and value.filename:
        data = await value.read(limit + 1)
        return data or b""
    return None


async def run_compare(request: Request, article: str | bytes, sources: list[str | bytes]):
    from newsaudit.compare.comparison import compare

    state = request.app.state

    def work():
        with state.lock:
            return compare(article, sources, limits=state.settings.limits)

    return await run_in_threadpool(work)


@api_router.post("/compare", openapi_extra=_BODY)
async def compare_api(request: Request) -> JSONResponse:
    """Align the article's quotes with the sources and report every change found."""
    article, sources, token = await read_texts(request)
    check_write_token(request, token)
    report = await run_compare(request, article, sources)
    return JSONResponse(report.model_dump(mode="json"))


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The service's layout around the compare package's side-by-side fragment."""
    from jinja2 import ChoiceLoader, PackageLoader, select_autoescape

    return Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("newsaudit.service", "templates"),
                PackageLoader("newsaudit.compare", "templates"),
            ]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    html = (
        environment()
        .get_template("compare_page.html.j2")
        .render(token_required=settings.token_required, max_bytes=settings.max_bytes, **context)
    )
    return HTMLResponse(html, status_code=status)


@ui_router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request) -> HTMLResponse:
    return _page(request)


@ui_router.post("/compare", response_class=HTMLResponse)
async def compare_page(request: Request) -> HTMLResponse:
    from newsaudit.compare.render import compare_context

    form_text: dict[str, str] = {}
    try:
        article, sources, token = await read_texts(request)
        form_text = {
            "article_text": article if isinstance(article, str) else "",
            "source_text": next((s for s in sources if isinstance(s, str)), ""),
        }
        check_write_token(request, token)
        report = await run_compare(request, article, sources)
    except NewsauditError as exc:
        return _page(request, status=422, error=str(exc), **form_text)
    return _page(request, **form_text, **compare_context(report))
