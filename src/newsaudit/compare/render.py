"""The compare report as JSON, a terminal summary, or a side-by-side HTML view."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from newsaudit.compare.model import CompareReport

FORMATS = ("json", "text", "html")
KIND_TITLES = {
    "hedge_strengthened": "hedge dropped or modality strengthened",
    "condition_dropped": "condition dropped",
    "negation_flipped": "negation flipped",
    "number_changed": "number or date changed",
    "scope_widened": "scope widened",
    "speech_act_reframed": "speech act reframed",
    "content_added": "content added",
    "quote_cut": "quote cut",
    "misattribution": "attributed to someone else",
}


def render(report: CompareReport, fmt: str) -> str:
    if fmt == "json":
        return report.model_dump_json(indent=2)
    if fmt == "text":
        return render_text(report)
    if fmt == "html":
        return render_html(report)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render_text(report: CompareReport) -> str:
    lines = [
        f"{report.article.name}: {len(report.alignments)} statement(s) aligned with "
        f"{len(report.sources)} source(s), {len(report.findings)} change(s) found",
    ]
    for number, finding in enumerate(report.findings, 1):
        source = report.sources[finding.source_index].name
        lines += [
            "",
            f"{number}. {KIND_TITLES[finding.kind]} (score {finding.score:.2f})",
            f"   article [{finding.article_start}:{finding.article_end}]: "
            f"{_short(finding.article_text)}",
            f"   {source} [{finding.source_start}:{finding.source_end}]: "
            f"{_short(finding.source_text)}",
            f"   {finding.explanation}",
        ]
    if not report.findings and report.alignments:
        lines += ["", "The aligned statements render their sources faithfully."]
    if not report.alignments:
        lines += ["", "No quote or attributed claim of the article matches the source(s)."]
    return "\n".join(lines)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Piece:
    text: str
    findings: list[int] = field(default_factory=list)
    aligned: list[int] = field(default_factory=list)

    @property
    def numbers(self) -> str:
        return ",".join(str(n + 1) for n in self.findings)


def pieces(
    text: str, findings: list[tuple[int, int, int]], aligned: list[tuple[int, int, int]]
) -> list[Piece]:
    """Cut ``text`` at every span edge; each piece lists the findings and alignments over it."""
    cuts = sorted({0, len(text), *(x for s in findings + aligned for x in s[1:])})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        out.append(
            Piece(
                text[a:b],
                [n for n, s, e in findings if s <= a and b <= e],
                [n for n, s, e in aligned if s <= a and b <= e],
            )
        )
    return out


def compare_context(report: CompareReport) -> dict[str, Any]:
    """What the side-by-side fragment needs; shared by the HTML file and the service page."""
    article = pieces(
        report.article.text,
        [(n, f.article_start, f.article_end) for n, f in enumerate(report.findings)],
        [(n, a.article_start, a.article_end) for n, a in enumerate(report.alignments)],
    )
    sources = [
        {
            "name": source.name,
            "pieces": pieces(
                source.text,
                [
                    (n, f.source_start, f.source_end)
                    for n, f in enumerate(report.findings)
                    if f.source_index == index
                ],
                [
                    (n, a.source_start, a.source_end)
                    for n, a in enumerate(report.alignments)
                    if a.source_index == index
                ],
            ),
        }
        for index, source in enumerate(report.sources)
    ]
    return {"report": report, "article": article, "sources": sources, "titles": KIND_TITLES}


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("newsaudit.compare", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: CompareReport) -> str:
    return environment().get_template("compare.html.j2").render(**compare_context(report))
