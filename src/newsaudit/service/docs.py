"""OpenAPI docs at /docs with Swagger UI served from the installed bundle, not a CDN."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)
_ASSETS = {"swagger-ui-bundle.js", "swagger-ui.css"}


def _bundle() -> Path:
    from swagger_ui_bundle import swagger_ui_path

    return Path(swagger_ui_path)


@router.get("/docs")
def swagger(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title="newsaudit API",
        swagger_js_url="/docs/assets/swagger-ui-bundle.js",
        swagger_css_url="/docs/assets/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )


@router.get("/docs/assets/{name}")
def swagger_asset(name: str) -> FileResponse:
    if name not in _ASSETS:
        raise HTTPException(404)
    return FileResponse(_bundle() / name)
