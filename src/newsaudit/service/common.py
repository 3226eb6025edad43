"""What the API and the UI share: filter parsing and the analyse-and-store step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from newsaudit.document import Document
from newsaudit.errors import InputError
from newsaudit.report.model import Report
from newsaudit.store import Added, ArticleFilter, content_hash
from newsaudit.store.filters import SORTS

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise HTTPException(422, f"{name} must be a date like 2024-01-31, not {value!r}") from None


def _blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _number(
    value: str | None, name: str, low: float | None = None, high: float | None = None
) -> float | None:
    """A number from a query parameter; an empty field of the corpus form means no bound."""
    if value is None or not value.strip():
        return None
    try:
        number = float(value.strip())
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        raise HTTPException(422, f"{name} must be a number, not {value!r}")
    if (low is not None and number < low) or (high is not None and number > high):
        raise HTTPException(422, f"{name} must be between {low:g} and {high:g}, not {value!r}")
    return number


def article_filter(
    source: str | None = Query(None, description="Outlet, e.g. taz.de"),
    date_from: str | None = Query(None, description="First publication date, YYYY-MM-DD"),
    date_to: str | None = Query(None, description="Last publication date, YYYY-MM-DD"),
    language: str | None = Query(None, description="ISO 639-1 code, e.g. de"),
    technique: str | None = Query(None, description="Persuasion technique, e.g. Loaded_Language"),
    entity: str | None = Query(None, description="A named entity or quoted speaker"),
    q: str | None = Query(None, max_length=500, description="Full-text query (all words)"),
    min_score: str | None = Query(
        None, description="Lowest credibility score (a style estimate), 0-1"
    ),
    max_score: str | None = Query(None, description="Highest credibility score, 0-1"),
    signal: str | None = Query(
        None, max_length=64, description="Credibility signal raised, e.g. speech_framing"
    ),
    signal_min: str | None = Query(
        None, description="The signal's lowest value (default: any value above 0)"
    ),
    sort: str = Query("newest", description="newest, score (lowest first) or -score"),
) -> ArticleFilter:
    if sort not in SORTS:
        raise HTTPException(422, f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    return ArticleFilter(
        source=_blank(source),
        date_from=_date(date_from, "date_from"),
        date_to=_date(date_to, "date_to"),
        language=_blank(language),
        technique=_blank(technique),
        entity=_blank(entity),
        q=_blank(q),
        min_score=_number(min_score, "min_score", 0.0, 1.0),
        max_score=_number(max_score, "max_score", 0.0, 1.0),
        signal=_blank(signal),
        signal_min=_number(signal_min, "signal_min"),
        sort=sort,
    )


@dataclass
class Submission:
    """One article as a user gave it: pasted text, a URL or an uploaded file."""

    text: str | None = None
    url: str | None = None
    title: str | None = None
    data: bytes | None = None
    filename: str | None = None
    metadata: dict[str, Any] | None = None

    def load(self, request: Request) -> Document:
        from newsaudit import ingest

        limits = request.app.state.settings.limits
        title = " ".join((self.title or "").split())[:500] or None
        given = [x for x in (self.text and self.text.strip(), self.url, self.data) if x]
        if len(given) != 1:
            raise InputError("give exactly one of: text, url, file")
        if self.url:
            if not ingest.is_url(self.url.strip()):
                raise InputError(f"not an http(s) URL: {self.url!r}")
            document = ingest.load_url(self.url.strip(), limits=limits)
        elif self.data is not None:
            name = Path(self.filename or "upload")
            html = True if name.suffix.lower() in _HTML_SUFFIXES else None
            document = ingest.document_from_bytes(
                self.data, id=name.stem or None, html=html, limits=limits
            )
        else:
            document = ingest.document_from_text(self.text or "", title=title, limits=limits)
        if title:
            document.title = title
        for key, value in (self.metadata or {}).items():
            if value:
                document.metadata[key] = value
        return document


async def analyze_and_store(request: Request, submission: Submission) -> tuple[Added, Report]:
    state = request.app.state

    def work() -> tuple[Added, Report]:
        document = submission.load(request)
        digest = content_hash(document.text)
        known = state.store.find(digest)
        if known is not None:  # the same text was analysed before: serve the stored report
            stored = state.store.get_report(known)
            if stored is not None:
                return Added(id=known, created=False, content_hash=digest), stored
        with state.lock:
            report = state.pipeline.run(document)
        return state.store.add(report), report

    return await run_in_threadpool(work)
