"""Article and sources as the user gave them: ingest's decoding, checks and errors, plus
the decoded text itself, so that findings can point into it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsaudit.config import Limits
from newsaudit.document import Document
from newsaudit.errors import InputError


@dataclass
class Given:
    """One text: its name for messages, the analysed Document and the text as given."""

    name: str
    document: Document
    given: str

    def given_offset(self, offset: int) -> int:
        return self.document.offset_map.to_source(offset)

    def given_span(self, start: int, end: int) -> tuple[int, int, str]:
        a, b = self.given_offset(start), self.given_offset(end)
        return a, b, self.given[a:b]


def load_given(
    source: str | bytes | Path | Document, name: str, limits: Limits | None = None
) -> Given:
    """A text (``str``), a file (``Path``) or its bytes (an upload), an http(s) URL
    (``str``) or a Document.

    Offsets point into the decoded file; for HTML and URLs, into the extracted text.
    """
    from newsaudit import ingest
    from newsaudit.ingest.decode import decode_bytes
    from newsaudit.ingest.html import looks_like_html

    limits = limits or Limits()
    try:
        if isinstance(source, Document):
            return Given(name, source, source.text)  # offsets into its (normalised) text
        if isinstance(source, bytes):
            text = decode_bytes(source, limits.max_bytes).text
            if looks_like_html(source):
                document = ingest.document_from_html(text, limits=limits)
                return Given(name, document, document.text)
            return Given(name, ingest.document_from_text(text, limits=limits), text)
        if isinstance(source, Path):
            document = ingest.load_path(source, limits=limits)
            if not document.offset_map.breakpoints:
                return Given(name, document, document.text)
            data = source.read_bytes()
            if source.suffix.lower() in (".html", ".htm", ".xhtml") or looks_like_html(data):
                return Given(name, document, document.text)
            return Given(name, document, decode_bytes(data, limits.max_bytes).text)
        if ingest.is_url(source):
            document = ingest.load_url(source, limits=limits)
            return Given(name, document, document.text)
        return Given(name, ingest.document_from_text(source, limits=limits), source)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
