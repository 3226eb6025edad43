"""HTML pages to Documents through trafilatura, keeping the page's metadata."""

from __future__ import annotations

import re
from typing import Any

from newsaudit.errors import InputError

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<body)", re.I | re.S)


def looks_like_html(data: bytes | str) -> bool:
    head = data[:2048]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    return bool(_HTML_START.match(head))


def _split_list(value: str | list[str] | None) -> list[str]:
    items = value if isinstance(value, list) else [value or ""]
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def extract_html(html: str, url: str | None = None) -> tuple[str, dict[str, Any]]:
    """Main text (title line first, then paragraphs) and metadata of an HTML page."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    result = result.as_dict() if result is not None else None
    if not result or not (result.get("text") or "").strip():
        raise InputError("no article text found in the HTML page")
    metadata = {
        key: result.get(key)
        for key in ("title", "author", "date", "sitename", "url", "hostname", "description")
        if result.get(key)
    }
    tags = _split_list(result.get("tags"))
    categories = _split_list(result.get("categories"))
    if tags:
        metadata["tags"] = tags
    if categories:
        metadata["categories"] = categories
    text = result["text"]
    title = metadata.get("title")
    if title and not text.lstrip().startswith(title):
        text = f"{title}\n\n{text}"
    return text, metadata
