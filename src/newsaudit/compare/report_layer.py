"""Compare as a layer of the article Report: ``newsaudit analyze ARTICLE --source SOURCE``
puts the quotes distorted or reframed against the sources among the Report's findings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from newsaudit.compare.comparison import TextInput, compare
from newsaudit.config import Limits
from newsaudit.document import Document
from newsaudit.report.findings import derive_findings
from newsaudit.report.model import QuoteChange, Report


def with_sources(
    report: Report,
    document: Document,
    sources: Sequence[TextInput | Path],
    *,
    limits: Limits | None = None,
) -> Report:
    """``report`` (of ``document``) with ``quote_changes`` against ``sources`` and its
    findings derived again. Offsets are the Report's: the comparison reads the Document."""
    compared = compare(document, sources, limits=limits, article_report=report)
    changes = [
        QuoteChange(
            start=f.article_start,
            end=f.article_end,
            text=f.article_text,
            kind=f.kind,
            source_index=f.source_index,
            source_start=f.source_start,
            source_end=f.source_end,
            source_text=f.source_text,
            explanation=f.explanation,
            score=f.score,
        )
        for f in compared.findings
    ]
    updated = report.model_copy(update={"quote_changes": changes})
    updated.findings = derive_findings(updated)
    return updated
