"""A standalone HTML report: no external assets, works offline, all article text escaped.

The page is built from small pieces, one per layer (findings, techniques, quotes, claims,
names); ``article_context`` gives every template what it needs, so the service UI renders the
same markup. Interface text comes in English and German; the page follows the article's
language and offers a switch.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from newsaudit.report.colours import technique_colour, technique_number, tint
from newsaudit.report.flags import confidence, is_strong
from newsaudit.report.labels import (
    SHARE_NAMES,
    TECHNIQUES,
    frame_name,
    genre_name,
    technique_name,
)
from newsaudit.report.marks import CUES, FINDINGS, LAYER_TITLES, LAYERS, collect_marks, segment
from newsaudit.report.model import Report

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
_SEGMENT_CLASSES = {
    "narratives": "nar",
    "quotes": "q",
    "claims": "clm",
    "keywords": "kw",
    "credibility": "cred",
    CUES: "cue",
    FINDINGS: "fnd",
}


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


def ui_language(report: Report) -> str:
    return "de" if report.language == "de" else "en"


def _bands(colours: list[str]) -> str:
    """A background of one horizontal band per technique, so stacked techniques all show."""
    if not colours:
        return "none"
    step = 100 / len(colours)
    stops = ", ".join(
        f"{tint(c)} {i * step:.0f}% {(i + 1) * step:.0f}%" for i, c in enumerate(colours)
    )
    return f"linear-gradient({stops})"


@lru_cache(maxsize=4096)
def _technique_style(techniques: frozenset[tuple[str, bool]]) -> str:
    """CSS variables of a segment: its strong techniques' colours, and all of them."""
    ordered = sorted(techniques, key=lambda t: (technique_number(t[0]), t))
    strong = list(dict.fromkeys(technique_colour(t) for t, s in ordered if s))
    every = list(dict.fromkeys(technique_colour(t) for t, _ in ordered))
    return (
        f"--ts:{_bands(strong)};--tb:{strong[0] if strong else 'transparent'};"
        f"--ta:{_bands(every)};--tba:{every[0]}"
    )


def _segment_classes(marks: list[Any]) -> list[str]:
    classes = {"hl"}
    for mark in marks:
        if mark.layer == "techniques":
            classes.add("tech")
        elif mark.layer == "entities":
            classes.update(("ent", f"ent-{mark.label}"))
        elif mark.layer == "quotes":
            classes.add("spk" if mark.label == "speaker" else "q")
        else:
            classes.add(_SEGMENT_CLASSES.get(mark.layer, mark.layer))
    cues = [m for m in marks if m.layer == CUES]
    if cues and not any(m.strong for m in cues):
        classes.add("cue-possible")
    return sorted(classes)


def _segments(report: Report, marks: list[Any]) -> list[dict[str, Any]]:
    numbers = {p.start: p.index + 1 for p in report.paragraphs}
    starting: dict[int, list[tuple[int, Any]]] = {}  # where each linkable passage begins
    for i, m in enumerate(marks):
        if m.layer not in (CUES, "keywords"):
            starting.setdefault(m.start, []).append((i, m))
    result = []
    for seg in segment(len(report.text), marks, numbers):
        own = [marks[i] for i in seg.marks]
        techniques = [(m.label, m.strong) for m in own if m.layer == "techniques"]
        anchors = [
            {
                "id": i,
                "number": technique_number(m.label) if m.layer == "techniques" else None,
                "colour": technique_colour(m.label),
                "strong": m.strong,
            }
            for i, m in starting.get(seg.start, ())
        ]
        result.append(
            {
                "text": report.text[seg.start : seg.end],
                "classes": " ".join(_segment_classes(own)) if own else "",
                "style": _technique_style(frozenset(techniques)) if techniques else "",
                "techniques": " ".join(sorted({t for t, _ in techniques})),
                "marks": list(seg.marks),
                "anchors": anchors,
                "paragraph": numbers.get(seg.start),
            }
        )
    return result


def _first_mark(marks: list[Any]) -> dict[tuple[str, int | None], int]:
    """(layer, item index) -> the first mark of that item, for links to its passage."""
    first: dict[tuple[str, int | None], int] = {}
    for i, mark in enumerate(marks):
        if mark.label != "speaker":
            first.setdefault((mark.layer, mark.ref), i)
    return first


def _technique_rows(report: Report, marks: list[Any]) -> list[dict[str, Any]]:
    """The side list: one row per flag, linking to its strongest evidence sentence."""
    by_span = {(m.layer, m.ref, m.start, m.end): i for i, m in enumerate(marks)}
    rows = []
    for i, flag in enumerate(report.techniques):
        best = max(flag.evidence, key=lambda e: e.score or 0.0) if flag.evidence else flag
        rows.append(
            {
                "technique": flag.technique,
                "number": technique_number(flag.technique),
                "colour": technique_colour(flag.technique),
                "name": technique_name(flag.technique, "en"),
                "name_de": technique_name(flag.technique, "de"),
                "paragraph": flag.paragraph + 1,
                "score": confidence(flag),
                "strong": is_strong(flag),
                "cues": list(dict.fromkeys(c for e in flag.evidence for c in e.cues)),
                "mark": by_span.get(("techniques", i, best.start, best.end)),
            }
        )
    rows.sort(key=lambda r: (r["paragraph"], -r["score"]))
    return rows


def _technique_key(report: Report) -> list[dict[str, Any]]:
    """Legend and glossary: each technique present, once, with its colour and definition."""
    present: dict[str, dict[str, Any]] = {}
    for flag in report.techniques:
        entry = present.setdefault(
            flag.technique,
            {
                "technique": flag.technique,
                "number": technique_number(flag.technique),
                "colour": technique_colour(flag.technique),
                "tint": tint(technique_colour(flag.technique)),
                "name": technique_name(flag.technique, "en"),
                "name_de": technique_name(flag.technique, "de"),
                "definition": flag.definition,
                "definition_de": flag.definition_de,
                "strong": 0,
                "possible": 0,
            },
        )
        entry["strong" if is_strong(flag) else "possible"] += 1
    return sorted(present.values(), key=lambda e: (e["number"] or 99, e["technique"]))


def article_context(report: Report, show_possible: bool = False) -> dict[str, Any]:
    """What the report templates need; shared by this page and the service UI.
    ``show_possible`` opens the page with the possible techniques shown too."""
    marks = collect_marks(report)
    present = [layer for layer in LAYERS if any(m.layer == layer for m in marks)]
    default = "techniques" if "techniques" in present else (present[0] if present else None)
    first = _first_mark(marks)
    return {
        "ui": ui_language(report),
        "segments": _segments(report, marks),
        "marks": [
            {
                "layer": m.layer,
                "reason": m.reason,
                "reason_de": m.reason_de or m.reason,
                "strong": m.strong,
            }
            for m in marks
        ],
        "layers": [
            {"id": layer, "title": LAYER_TITLES[layer][0], "title_de": LAYER_TITLES[layer][1]}
            for layer in present
        ],
        "default_layer": default,
        "has_possible": any(not is_strong(f) for f in report.techniques),
        "show_possible": show_possible,
        "persuasion": report.persuasion,
        "persuasion_dominant": [
            {
                "name": technique_name(d.technique, "en"),
                "name_de": technique_name(d.technique, "de"),
                "strong": d.strong,
            }
            for d in (report.persuasion.dominant if report.persuasion else [])
            if d.strong
        ],
        "technique_rows": _technique_rows(report, marks),
        "technique_key": _technique_key(report),
        "palette": [
            {
                "number": technique_number(t),
                "colour": technique_colour(t),
                "tint": tint(technique_colour(t)),
                "name": technique_name(t, "en"),
                "name_de": technique_name(t, "de"),
            }
            for t in TECHNIQUES
        ],
        "finding_marks": [first.get((FINDINGS, i)) for i in range(len(report.findings))],
        "quote_marks": [first.get(("quotes", i)) for i in range(len(report.quotes))],
        "claim_marks": [first.get(("claims", i)) for i in range(len(report.claims))],
        "narrative_marks": [first.get(("narratives", i)) for i in range(len(report.narratives))],
        "signal_marks": _signal_marks(report, marks),
        "cluster_marks": _cluster_marks(report, marks),
        "genre": _genre(report),
        "share_names": SHARE_NAMES,
        "frames": [
            {
                "name": frame_name(f.label, "en"),
                "name_de": frame_name(f.label, "de"),
                **f.model_dump(),
            }
            for f in report.frames
        ],
    }


def _signal_marks(report: Report, marks: list[Any]) -> list[list[int]]:
    """For each credibility signal, the marks of its evidence in order (links to each)."""
    signals = report.credibility.signals if report.credibility else []
    out: list[list[int]] = [[] for _ in signals]
    for i, mark in enumerate(marks):
        if mark.layer == "credibility" and mark.ref is not None:
            out[mark.ref].append(i)
    return out


def _cluster_marks(report: Report, marks: list[Any]) -> list[int | None]:
    by_start = {(m.start, m.end): i for i, m in enumerate(marks) if m.layer == "entities"}
    return [
        next((by_start[(s.start, s.end)] for s in c.mentions if (s.start, s.end) in by_start), None)
        for c in report.entity_clusters
    ]


def _genre(report: Report) -> dict[str, Any] | None:
    if report.genre is None:
        return None
    label = report.genre.label
    return {
        "name": genre_name(label, "en"),
        "name_de": genre_name(label, "de"),
        "score": report.genre.scores.get(label),
        "others": [
            {"name": genre_name(k, "en"), "name_de": genre_name(k, "de"), "score": v}
            for k, v in sorted(report.genre.scores.items(), key=lambda kv: -kv[1])
            if k != label
        ],
    }


def render_html(report: Report, possible: bool = False) -> str:
    """The standalone page; strong flags are shown, possible ones too with ``possible``."""
    from newsaudit.report.findings import with_findings

    report = with_findings(report)
    template = _environment().get_template("report.html.j2")
    return template.render(report=report, **article_context(report, possible))
