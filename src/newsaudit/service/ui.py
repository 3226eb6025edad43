"""The server-rendered web UI: analyse, report, corpus dashboard, batch progress."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment

from newsaudit.errors import NewsauditError
from newsaudit.report.labels import technique_name
from newsaudit.report.model import TechniqueFlag
from newsaudit.service.api import read_submission, receive_jsonl
from newsaudit.service.charts import dashboard
from newsaudit.service.common import analyze_and_store, article_filter
from newsaudit.service.security import check_write_token
from newsaudit.store import ArticleFilter

# The numeric credibility signals a corpus can be filtered by (value above 0 = raised).
SIGNAL_NAMES = (
    "unattributed_claims",
    "vague_sources",
    "quotes_without_speaker",
    "speech_framing",
    "unsupported_conclusions",
    "outlet_opinion",
    "headline_emotive",
    "exclamations",
    "known_narratives",
)

Filters = Annotated[ArticleFilter, Depends(article_filter)]

router = APIRouter(include_in_schema=False)


def headline(article: dict[str, Any], limit: int = 90) -> str:
    """An article's title, else the start of its text: never a bare hash."""
    if article.get("title"):
        return article["title"]
    lead = " ".join((article.get("snippet") or "").split())
    if not lead:
        return article.get("doc_id") or f"article {article.get('id')}"
    return lead if len(lead) <= limit else lead[: limit - 1].rstrip() + "…"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Service pages plus the report renderer's templates, so the report page reuses its markup."""
    from jinja2 import ChoiceLoader, PackageLoader, select_autoescape

    from newsaudit.report.html import script_json

    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("newsaudit.service", "templates"),
                PackageLoader("newsaudit.report", "templates"),
            ]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    env.filters["label"] = lambda s: str(s).replace("_", " ")
    env.filters["headline"] = headline
    env.filters["technique"] = technique_name
    return env


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    html = (
        environment()
        .get_template(template)
        .render(token_required=settings.token_required, max_bytes=settings.max_bytes, **context)
    )
    return HTMLResponse(html, status_code=status)


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the API, not a script asking for JSON)."""
    accept = request.headers.get("accept", "")
    return not request.url.path.startswith("/api") and "text/html" in accept


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    """An error as a page of the site, for people; the API keeps answering JSON."""
    from http import HTTPStatus

    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    return page(request, "error.html.j2", status=status, code=status, reason=reason, detail=detail)


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    recent = request.app.state.store.search(ArticleFilter(), per_page=10)
    return page(request, "index.html.j2", recent=recent.items)


@router.post("/analyze", response_class=HTMLResponse, response_model=None)
async def analyze_form(request: Request) -> HTMLResponse | RedirectResponse:
    submission, token = await read_submission(request)
    check_write_token(request, token)
    try:
        added, _ = await analyze_and_store(request, submission)
    except NewsauditError as exc:
        recent = request.app.state.store.search(ArticleFilter(), per_page=10)
        return page(
            request,
            "index.html.j2",
            status=422,
            error=str(exc),
            recent=recent.items,
            text=submission.text or "",
            url=submission.url or "",
            title=submission.title or "",
        )
    return RedirectResponse(f"/articles/{added.id}", status_code=303)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(article_id: int, request: Request, possible: bool = False) -> HTMLResponse:
    """The annotated article; ``?possible=true`` shows the possible technique flags too."""
    from newsaudit.report.findings import with_findings
    from newsaudit.report.html import article_context

    report = request.app.state.store.get_report(article_id)
    if report is None:
        raise HTTPException(404, f"no article {article_id}")
    report = with_findings(report)
    return page(
        request,
        "article.html.j2",
        report=report,
        article_id=article_id,
        **article_context(report, possible),
    )


@router.get("/corpus", response_class=HTMLResponse)
def corpus(
    request: Request,
    filters: Filters,
    page_number: int = 1,
) -> HTMLResponse:
    store = request.app.state.store
    results = store.search(filters, page=page_number, per_page=25)
    stats = store.stats(filters)
    levels = "level" in TechniqueFlag.model_fields
    query = {k: v for k, v in request.query_params.items() if k != "page_number" and v}
    pages = max(1, -(-results.total // results.per_page))

    def link(number: int) -> str:
        return "/corpus?" + urlencode({**query, "page_number": number})

    return page(
        request,
        "corpus.html.j2",
        filters=filters,
        results=results,
        stats=stats,
        charts=dashboard(stats, levels=levels),
        pages=pages,
        prev_link=link(results.page - 1) if results.page > 1 else None,
        next_link=link(results.page + 1) if results.page < pages else None,
        techniques=sorted({c["technique"] for c in stats["techniques_by_source"]}),
        signals=SIGNAL_NAMES,
        levels=levels,
        narratives=store.narratives(),
    )


@router.get("/narratives/{case_id}", response_class=HTMLResponse)
def narrative_page(case_id: str, request: Request, page_number: int = 1) -> HTMLResponse:
    """One known narrative (a database case) and the stored articles that repeat it."""
    case, results = request.app.state.store.narrative_articles(case_id, page=page_number)
    if case is None:
        raise HTTPException(404, f"no stored article repeats the case {case_id!r}")
    pages = max(1, -(-results.total // results.per_page))

    def link(number: int) -> str:
        return f"/narratives/{quote(case_id)}?" + urlencode({"page_number": number})

    return page(
        request,
        "narrative.html.j2",
        case=case,
        results=results,
        pages=pages,
        prev_link=link(results.page - 1) if results.page > 1 else None,
        next_link=link(results.page + 1) if results.page < pages else None,
    )


@router.post("/batches")
async def batch_form(request: Request) -> RedirectResponse:
    path, name = await receive_jsonl(request)
    batch_id = request.app.state.jobs.submit(path, request.app.state.settings.limits, name)
    return RedirectResponse(f"/batches/{batch_id}", status_code=303)


@router.get("/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(batch_id: str, request: Request) -> HTMLResponse:
    from newsaudit.service.jobs import batch_progress

    batch = request.app.state.store.get_batch(batch_id)
    if batch is None:
        raise HTTPException(404, f"no batch {batch_id!r}")
    return page(request, "batch.html.j2", batch=batch, **batch_progress(batch))
