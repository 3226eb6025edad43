"""Everything a user can give us becomes one :class:`~newsaudit.document.Document`."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Any

from newsaudit.config import Limits
from newsaudit.document import Document
from newsaudit.errors import InputError
from newsaudit.ingest.decode import (
    check_size,
    check_text,
    control_characters,
    decode_bytes,
    normalise,
)
from newsaudit.ingest.html import extract_html, looks_like_html
from newsaudit.ingest.layout import parse_layout

__all__ = [
    "document_from_bytes",
    "document_from_html",
    "document_from_text",
    "is_url",
    "load_path",
    "load_source",
    "load_url",
]


def _content_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# A URL of another scheme ("file://", "ftp://"); one letter before ":/" is a Windows drive.
_OTHER_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]+):/")


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://")) and not any(c.isspace() for c in source)


def document_from_text(
    text: str,
    *,
    id: str | None = None,
    title: str | None = None,
    metadata: dict[str, Any] | None = None,
    limits: Limits | None = None,
) -> Document:
    """Validate, normalise and lay out plain text; detects its language."""
    from newsaudit.nlp.language import detect_language

    limits = limits or Limits()
    if not isinstance(text, str):
        raise InputError(f"expected text, got {type(text).__name__}")
    check_size(len(text.encode("utf-8", "surrogatepass")), limits.max_bytes)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            "input holds invalid Unicode (lone surrogates); re-encode it as UTF-8"
        ) from None
    check_text(text)
    clean, offset_map = normalise(text)
    check_text(clean)
    layout = parse_layout(clean, title=title)
    language, confidence = detect_language(clean)
    warnings = []
    controls = control_characters(text)
    if controls:
        warnings.append(
            f"{controls} control character(s) such as NUL were removed from the text "
            "(offset_map maps back to the input)"
        )
    return Document(
        id=id or _content_id(clean),
        text=clean,
        language=language,
        language_confidence=confidence,
        title=layout.title,
        lead=layout.lead,
        tags=layout.tags,
        metadata=dict(metadata or {}),
        blocks=layout.blocks,
        offset_map=offset_map,
        warnings=warnings,
    )


def document_from_html(
    html: str, *, id: str | None = None, url: str | None = None, limits: Limits | None = None
) -> Document:
    text, metadata = extract_html(html, url=url)
    document = document_from_text(
        text, id=id, title=metadata.get("title"), metadata=metadata, limits=limits
    )
    if not document.tags and metadata.get("tags"):
        document.tags = list(metadata["tags"])
    return document


def document_from_bytes(
    data: bytes,
    *,
    id: str | None = None,
    html: bool | None = None,
    url: str | None = None,
    charset: str | None = None,
    metadata: dict[str, Any] | None = None,
    limits: Limits | None = None,
) -> Document:
    limits = limits or Limits()
    check_size(len(data), limits.max_bytes)
    text = None
    warnings: tuple[str, ...] = ()
    if charset:
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        decoded = decode_bytes(data, limits.max_bytes)
        text, warnings = decoded.text, decoded.warnings
    if html if html is not None else looks_like_html(data):
        document = document_from_html(text, id=id, url=url, limits=limits)
    else:
        document = document_from_text(text, id=id, metadata=metadata, limits=limits)
    document.warnings[:0] = warnings
    if url:
        document.metadata.setdefault("url", url)
    if metadata:
        for key, value in metadata.items():
            document.metadata.setdefault(key, value)
    return document


def load_path(path: str | Path, *, limits: Limits | None = None) -> Document:
    limits = limits or Limits()
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(f"{path} is not a file")
        check_size(size, limits.max_bytes)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file") from None
    html = True if path.suffix.lower() in (".html", ".htm", ".xhtml") else None
    return document_from_bytes(
        data, id=path.stem, html=html, metadata={"path": str(path)}, limits=limits
    )


def load_url(url: str, *, limits: Limits | None = None) -> Document:
    from newsaudit.ingest.url import fetch

    limits = limits or Limits()
    fetched = fetch(url, limits)
    return document_from_bytes(
        fetched.body,
        html=fetched.content_type != "text/plain",
        url=fetched.url,
        charset=fetched.charset,
        limits=limits,
    )


def load_source(source: str, *, limits: Limits | None = None) -> Document:
    """A CLI argument: ``-`` (stdin), an http(s) URL, or a file path."""
    limits = limits or Limits()
    if source == "-":
        data = sys.stdin.buffer.read(limits.max_bytes + 1)
        return document_from_bytes(data, id="stdin", limits=limits)
    if is_url(source):
        return load_url(source, limits=limits)
    other = _OTHER_SCHEME.match(source)
    if other:
        raise InputError(
            f"URL scheme {other.group(1)!r} is not supported: give an http(s) URL, a file path, "
            "or - for standard input"
        )
    return load_path(source, limits=limits)
