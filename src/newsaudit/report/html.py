"""A standalone HTML report: no external assets, works offline, all article text escaped."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from newsaudit.report.marks import LAYER_TITLES, LAYERS, collect_marks, segment
from newsaudit.report.model import Report

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_json(value: Any) -> str:
    """JSON safe to embed inside a <script> element (cannot close it or open a comment)."""
    return json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPES)


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("newsaudit.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    return env


def article_context(report: Report) -> dict[str, Any]:
    """What the article fragment template needs; shared by this page and the service UI."""
    marks = collect_marks(report)
    segments = [
        {
            "text": report.text[s.start : s.end],
            "layers": sorted({marks[i].layer for i in s.marks}),
            "labels": sorted({f"{marks[i].layer}-{marks[i].label}" for i in s.marks}),
            "marks": list(s.marks),
        }
        for s in segment(len(report.text), marks)
    ]
    present = [layer for layer in LAYERS if any(m.layer == layer for m in marks)]
    return {
        "segments": segments,
        "marks": [
            {"layer": m.layer, "label": m.label, "reason": m.reason, "start": m.start, "end": m.end}
            for m in marks
        ],
        "layers": [{"id": layer, "title": LAYER_TITLES[layer]} for layer in present],
    }


def render_html(report: Report) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(report=report, **article_context(report))
