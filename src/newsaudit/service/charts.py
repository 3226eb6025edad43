"""Server-side SVG charts for the dashboard: no JavaScript, no external assets.

Every label is escaped; each mark carries a <title> so hovering shows the exact figure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from html import escape
from typing import Any

from markupsafe import Markup

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f")
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _label(name: str) -> str:
    return name.replace("_", " ")


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _empty(message: str) -> Markup:
    return Markup('<p class="muted empty-chart">{}</p>').format(message)


def bar_chart(rows: list[tuple[str, float, str]], *, aria: str, width: int = 460) -> Markup:
    """Horizontal bars: (label, value, hover text) per row, largest first."""
    if not rows:
        return _empty("No data yet.")
    bar_h, gap, label_w = 18, 6, 170
    top = max(v for _, v, _ in rows) or 1
    height = len(rows) * (bar_h + gap) + gap
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(aria)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {_FONT}>'
    ]
    for i, (label, value, hover) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = max(1.0, (width - label_w - 50) * value / top)
        parts.append(
            f"<g><title>{escape(hover)}</title>"
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
            f"{escape(_clip(label, 26))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}">{value:g}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def heatmap(
    cells: list[dict[str, Any]], sources: list[dict[str, Any]], *, aria: str, max_rows: int = 12
) -> Markup:
    """Outlets × techniques; shade = share of the outlet's articles flagged with the technique."""
    if not cells:
        return _empty("No techniques flagged yet.")
    totals = {s["source"]: s["articles"] for s in sources}
    by_technique: dict[str, int] = defaultdict(int)
    for cell in cells:
        by_technique[cell["technique"]] += cell["articles"]
    techniques = sorted(by_technique, key=lambda t: (-by_technique[t], t))[:10]
    outlets = [s["source"] for s in sources if any(c["source"] == s["source"] for c in cells)]
    outlets = outlets[:max_rows]
    value = {(c["source"], c["technique"]): c["articles"] for c in cells}
    cell_w, cell_h, label_w, head_h = 58, 24, 150, 110
    width = label_w + cell_w * len(techniques) + 10
    height = head_h + cell_h * len(outlets) + 10
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(aria)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {_FONT}>'
    ]
    for j, technique in enumerate(techniques):
        x = label_w + j * cell_w + cell_w / 2
        parts.append(
            f'<text transform="translate({x:.0f},{head_h - 6}) rotate(-40)">'
            f"{escape(_clip(_label(technique), 22))}</text>"
        )
    for i, outlet in enumerate(outlets):
        y = head_h + i * cell_h
        name = outlet or "unknown"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">'
            f"{escape(_clip(name, 22))}</text>"
        )
        for j, technique in enumerate(techniques):
            n = value.get((outlet, technique), 0)
            share = n / totals[outlet] if totals.get(outlet) else 0.0
            hover = f"{name}: {n} of {totals.get(outlet, 0)} articles flagged {_label(technique)}"
            x = label_w + j * cell_w
            parts.append(
                f'<g><title>{escape(hover)}</title><rect x="{x}" y="{y}" width="{cell_w - 2}" '
                f'height="{cell_h - 2}" fill="{PALETTE[2]}" '
                f'fill-opacity="{0.08 + 0.92 * share:.2f}"/>'
                f'<text x="{x + cell_w / 2 - 1:.0f}" y="{y + 16}" text-anchor="middle">'
                f"{share:.0%}</text></g>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (YYYY-MM), so gaps in time show as gaps."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last and len(months) < 600:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def line_chart(
    points: list[dict[str, Any]], per_month: list[dict[str, Any]], *, aria: str, series: int = 6
) -> Markup:
    """Share of each month's articles flagged with each of the most frequent techniques."""
    if not points:
        return _empty("No dated articles with techniques yet.")
    months = _month_range(per_month[0]["month"], per_month[-1]["month"])
    totals = {m["month"]: m["articles"] for m in per_month}
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    overall: dict[str, int] = defaultdict(int)
    for p in points:
        counts[p["technique"]][p["month"]] = p["articles"]
        overall[p["technique"]] += p["articles"]
    shown = sorted(overall, key=lambda t: (-overall[t], t))[:series]
    width, height, left, right, top, bottom = 640, 260, 44, 170, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(months) - 1)

    def xy(i: int, share: float) -> tuple[float, float]:
        return left + (i * step if len(months) > 1 else plot_w / 2), top + plot_h * (1 - share)

    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(aria)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {_FONT}>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#999"/>',
    ]
    for tick in (0, 0.5, 1):
        y = top + plot_h * (1 - tick)
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end">{tick:.0%}</text>'
            f'<line x1="{left}" y1="{y:.0f}" x2="{left + plot_w}" y2="{y:.0f}" stroke="#eee"/>'
        )
    label_every = max(1, math.ceil(len(months) * 56 / plot_w))
    for i, month in enumerate(months):
        if i % label_every == 0:
            x, _ = xy(i, 0)
            parts.append(
                f'<text x="{x:.0f}" y="{height - bottom + 18}" text-anchor="middle">'
                f"{escape(month)}</text>"
            )
    for k, technique in enumerate(shown):
        color = PALETTE[k % len(PALETTE)]
        coords = []
        dots = []
        for i, month in enumerate(months):
            n = counts[technique].get(month, 0)
            share = n / totals[month] if totals.get(month) else 0.0
            x, y = xy(i, share)
            coords.append(f"{x:.1f},{y:.1f}")
            hover = f"{month}: {n} of {totals.get(month, 0)} articles flagged {_label(technique)}"
            dots.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}">'
                f"<title>{escape(hover)}</title></circle>"
            )
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(coords)}"/>'
        )
        parts.extend(dots)
        ly = top + 14 + k * 18
        parts.append(
            f'<rect x="{width - right + 12}" y="{ly - 9}" width="12" height="10" fill="{color}"/>'
            f'<text x="{width - right + 28}" y="{ly}">{escape(_clip(_label(technique), 22))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def dashboard(stats: dict[str, Any]) -> dict[str, Markup]:
    """The four dashboard charts from :meth:`newsaudit.store.Store.stats`."""
    return {
        "by_outlet": heatmap(
            stats["techniques_by_source"], stats["sources"], aria="Techniques by outlet"
        ),
        "over_time": line_chart(
            stats["techniques_over_time"], stats["articles_over_time"], aria="Techniques over time"
        ),
        "speakers": bar_chart(
            [
                (
                    s["name"],
                    s["quotes"],
                    f"{s['name']}: {s['quotes']} quotes in {s['articles']} articles",
                )
                for s in stats["top_speakers"]
            ],
            aria="Most quoted speakers",
        ),
        "entities": bar_chart(
            [
                (
                    e["name"],
                    e["mentions"],
                    f"{e['name']} ({e['label']}): {e['mentions']} mentions "
                    f"in {e['articles']} articles",
                )
                for e in stats["top_entities"]
            ],
            aria="Most named entities",
        ),
    }
