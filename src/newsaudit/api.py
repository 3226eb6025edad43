"""The Python API: ``analyze`` one article, ``analyze_many`` a stream of them, ``compare``
an article with its sources."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsaudit.config import Limits
from newsaudit.document import Document, Failure
from newsaudit.pipeline import Pipeline, analyze_document
from newsaudit.pipeline import analyze_many as _analyze_many
from newsaudit.report.model import Report

if TYPE_CHECKING:
    from newsaudit.compare.model import CompareReport


def load(source: str | Path | Document, *, limits: Limits | None = None) -> Document:
    """A Document from text, a file path (``Path``), an http(s) URL or a Document."""
    from newsaudit import ingest

    if isinstance(source, Document):
        return source
    if isinstance(source, Path):
        return ingest.load_path(source, limits=limits)
    if isinstance(source, str) and ingest.is_url(source):
        return ingest.load_url(source, limits=limits)
    return ingest.document_from_text(source, limits=limits)


def analyze(
    source: str | Path | Document,
    *,
    limits: Limits | None = None,
    pipeline: Pipeline | None = None,
    sources: Sequence[str | Path | Document] = (),
) -> Report:
    """Analyse one article. A ``str`` is the article text (or an http(s) URL).

    With ``sources`` (what the article quotes: transcripts, statements), the quotes it
    distorts or reframes against them are ``Report.quote_changes`` and among its findings.
    """
    document = load(source, limits=limits)
    report = analyze_document(document, pipeline)
    if not sources:
        return report
    from newsaudit.compare.report_layer import with_sources

    return with_sources(report, document, sources, limits=limits)


def analyze_many(
    sources: Iterable[str | Path | Document],
    *,
    limits: Limits | None = None,
    pipeline: Pipeline | None = None,
) -> Iterator[Report | Failure]:
    """Analyse many articles; a bad one yields a :class:`Failure` and the rest go on."""
    from newsaudit.errors import NewsauditError

    def documents() -> Iterator[Document | Failure]:
        for index, source in enumerate(sources):
            try:
                yield load(source, limits=limits)
            except NewsauditError as exc:
                yield Failure(id=str(index), error=str(exc), kind=type(exc).__name__)
            except Exception as exc:  # one source's bug must not end the stream
                yield Failure.internal(str(index), exc)

    return _analyze_many(documents(), pipeline)


def compare(
    article: str | Path | Document,
    sources: Sequence[str | Path | Document],
    *,
    limits: Limits | None = None,
) -> CompareReport:
    """Compare what the article says its sources said with the sources (texts, files, URLs).

    A ``str`` is a text (or an http(s) URL), a ``Path`` a file. Finding offsets point into
    the texts as given (decoded files; for HTML, the extracted text).
    """
    from newsaudit.compare.comparison import compare as run

    return run(article, sources, limits=limits)
