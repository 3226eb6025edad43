"""OpenAPI docs at /docs with Swagger UI 5 served from an installed package, not a CDN.

fastapi-offline ships the Swagger UI 5 bundle (which reads OpenAPI 3.1, the version FastAPI
writes); the older swagger-ui-bundle package carried Swagger UI 4, which cannot.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

router = APIRouter(include_in_schema=False)
_ASSETS = {"swagger-ui-bundle.js", "swagger-ui.css"}


def _bundle() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


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
