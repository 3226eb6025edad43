"""One entry point for every output format of a Report."""

from __future__ import annotations

from newsaudit.report.model import Report

FORMATS = ("json", "text", "html")


def render(report: Report, fmt: str, possible: bool = False) -> str:
    """``possible``: show the possible technique flags too (JSON always has every flag)."""
    if fmt == "json":
        return report.model_dump_json(indent=2)
    if fmt == "text":
        from newsaudit.report.terminal import render_text

        return render_text(report, possible=possible)
    if fmt == "html":
        from newsaudit.report.html import render_html

        return render_html(report, possible)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
