"""The REST API under /api: analyse, batches, articles, stats."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from newsaudit.service.common import Submission, analyze_and_store, article_filter
from newsaudit.service.security import check_write_token
from newsaudit.store import ArticleFilter

Filters = Annotated[ArticleFilter, Depends(article_filter)]

router = APIRouter(prefix="/api", tags=["api"])

_ANALYZE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "description": "The article text."},
                        "url": {"type": "string", "description": "An http(s) URL to fetch."},
                        "title": {
                            "type": "string",
                            "description": "The headline, when the text or page lacks one.",
                        },
                        "source": {"type": "string"},
                        "date": {"type": "string", "format": "date"},
                    },
                }
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "url": {"type": "string"},
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string"},
                        "source": {"type": "string"},
                        "date": {"type": "string", "format": "date"},
                    },
                }
            },
        },
    }
}


async def read_submission(request: Request) -> tuple[Submission, str | None]:
    """The article from a JSON body or a form (with an optional ``token`` form field)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise HTTPException(400, "the body is not valid JSON") from None
        except RecursionError:
            raise HTTPException(400, "the body's JSON nests too deeply") from None
        if not isinstance(body, dict):
            raise HTTPException(400, "the body must be a JSON object")
        fields = {k: body.get(k) for k in ("text", "url", "title", "source", "date")}
        if any(v is not None and not isinstance(v, str) for v in fields.values()):
            raise HTTPException(422, "text, url, title, source and date must be strings")
        return Submission(
            text=fields["text"],
            url=fields["url"],
            title=fields["title"],
            metadata={"source": fields["source"], "date": fields["date"]},
        ), None
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        limit = request.app.state.settings.max_bytes
        form = await request.form(max_files=1, max_fields=20, max_part_size=limit + 1)
        upload = form.get("file")
        data = filename = None
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read(limit + 1)
            filename = upload.filename
        text = form.get("text")
        url = form.get("url")
        token = form.get("token")
        title = form.get("title")
        meta = {k: form.get(k) for k in ("source", "date")}
        return Submission(
            text=text if isinstance(text, str) else None,
            title=title if isinstance(title, str) else None,
            url=url.strip() if isinstance(url, str) and url.strip() else None,
            data=data,
            filename=filename,
            metadata={k: v for k, v in meta.items() if isinstance(v, str)},
        ), token if isinstance(token, str) else None
    raise HTTPException(415, "send JSON (text or url) or a form (text, url or file)")


@router.post("/analyze", status_code=201, openapi_extra=_ANALYZE_BODY)
async def analyze(request: Request) -> JSONResponse:
    """Analyse one article (text, URL or file), store it, and return its Report."""
    check_write_token_early(request)
    submission, token = await read_submission(request)
    check_write_token(request, token)
    added, report = await analyze_and_store(request, submission)
    return JSONResponse(
        {
            "article_id": added.id,
            "created": added.created,
            "url": f"/articles/{added.id}",
            "warnings": report.warnings,
            "report": json.loads(report.model_dump_json()),
        },
        status_code=201 if added.created else 200,
        headers={"Location": f"/api/articles/{added.id}"},
    )


def check_write_token_early(request: Request) -> None:
    """Refuse header-less JSON writes before reading the body; forms may carry the token."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        check_write_token(request)


@router.post(
    "/batches",
    status_code=202,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            },
        }
    },
)
async def create_batch(request: Request) -> dict[str, Any]:
    """Queue a JSON Lines corpus (one article per line: text, id, title, url, source, date)."""
    path, name = await receive_jsonl(request)
    batch_id = request.app.state.jobs.submit(path, request.app.state.settings.limits, name)
    return {"id": batch_id, "status_url": f"/api/batches/{batch_id}"}


async def receive_jsonl(request: Request) -> tuple[Path, str]:
    """Spool the uploaded corpus to a temporary file (the size limit is enforced upstream).

    Returns the file and the name errors call the corpus by: the uploaded file's name or
    ``upload``, never the server's temporary path.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        check_write_token(request)
    fd, spool = tempfile.mkstemp(suffix=".jsonl", prefix="newsaudit-")
    path = Path(spool)
    name = "upload"
    try:
        with open(fd, "wb") as handle:
            if content_type == "multipart/form-data":
                form = await request.form(
                    max_files=1, max_part_size=request.app.state.settings.max_upload_bytes
                )
                check_write_token(request, _str(form.get("token")))
                upload = form.get("file")
                if not isinstance(upload, UploadFile):
                    raise HTTPException(422, "upload a JSON Lines file in the field 'file'")
                name = Path(upload.filename or name).name or name
                while chunk := await upload.read(1 << 20):
                    handle.write(chunk)
            else:
                async for chunk in request.stream():
                    handle.write(chunk)
        if path.stat().st_size == 0:
            raise HTTPException(422, "the uploaded corpus is empty")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, name


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


@router.get("/batches/{batch_id}")
def get_batch(batch_id: str, request: Request) -> dict[str, Any]:
    from newsaudit.service.jobs import batch_progress

    batch = request.app.state.store.get_batch(batch_id)
    if batch is None:
        raise HTTPException(404, f"no batch {batch_id!r}")
    return {**batch, **batch_progress(batch)}


@router.get("/articles")
def list_articles(
    request: Request,
    filters: Filters,
    page: int = 1,
    per_page: int = 20,
) -> dict[str, Any]:
    """Stored articles, newest first, filtered; paginated (``per_page`` at most 200)."""
    result = request.app.state.store.search(filters, page=page, per_page=per_page)
    return {
        "items": result.items,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
    }


@router.get("/articles/{article_id}")
def get_article(article_id: int, request: Request) -> dict[str, Any]:
    article = request.app.state.store.get(article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article


@router.get("/stats")
def stats(request: Request, filters: Filters) -> dict[str, Any]:
    """Aggregates: techniques by outlet and over time, top speakers and entities."""
    return request.app.state.store.stats(filters)


@router.get("/narratives")
def narratives(request: Request, top: int = 10) -> dict[str, Any]:
    """The most repeated known narratives in the store, overall and by outlet."""
    return request.app.state.store.narratives(max(1, min(top, 100)))


@router.get("/narratives/{case_id}")
def narrative(case_id: str, request: Request, page: int = 1, per_page: int = 25) -> dict[str, Any]:
    """One known narrative (a database case) and the stored articles that repeat it."""
    case, result = request.app.state.store.narrative_articles(
        case_id, page=page, per_page=max(1, min(per_page, 200))
    )
    if case is None:
        raise HTTPException(404, f"no stored article repeats the case {case_id!r}")
    return {**case, "items": result.items, "total": result.total, "page": result.page}
