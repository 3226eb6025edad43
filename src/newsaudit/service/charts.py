"""Dashboard charts, drawn on the server: HTML bars and tables, one SVG; no JavaScript.

Rates are strong technique flags per 1,000 words, so a long article or a prolific outlet does
not saturate a chart the way "share of articles with a flag" did. Every outlet is listed (or
"+N more"), each rate says its n, and months without articles are gaps, never zeros. Every
label is escaped; each mark carries a <title> or text with its exact figure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from html import escape
from typing import Any

from markupsafe import Markup

from newsaudit.report.colours import technique_colour
from newsaudit.report.labels import technique_name

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f")
_FONT = 'font-family="system-ui, sans-serif" font-size="15"'
MAX_OUTLETS = 15


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _empty(message: str) -> Markup:
    return Markup('<p class="muted empty-chart">{}</p>').format(message)


def _rate(flags: int, words: int) -> float | None:
    return 1000 * flags / words if words else None


def _more(hidden: int) -> str:
    return (
        f'<p class="more muted">+{hidden} more outlet{"s" if hidden != 1 else ""}</p>'
        if hidden
        else ""
    )


def outlet_rates(
    stats: dict[str, Any], *, limit: int = MAX_OUTLETS, noun: str = "strong flags"
) -> Markup:
    """Strong flags per 1,000 words for each outlet, with its n and the corpus baseline."""
    sources = [s for s in stats["sources"] if s["articles"]]
    if not sources:
        return _empty("No articles yet.")
    strong: dict[str | None, int] = defaultdict(int)
    for cell in stats["techniques_by_source"]:
        strong[cell["source"]] += cell["strong"]
    words = sum(s["words"] for s in sources)
    baseline = _rate(sum(strong.values()), words) or 0.0
    rows = sorted(
        sources, key=lambda s: (-(_rate(strong[s["source"]], s["words"]) or 0), s["source"] or "")
    )
    top = max([baseline] + [_rate(strong[s["source"]], s["words"]) or 0 for s in rows]) or 1.0
    parts = [
        '<div class="rates" role="table" aria-label="Strong flags per 1,000 words by outlet">',
        f'<p class="baseline-note">Corpus baseline: <strong>{baseline:.1f}</strong> per 1,000 '
        f"words ({sum(strong.values())} {noun} in {words:,} words)</p>",
    ]
    for s in rows[:limit]:
        name = s["source"] or "unknown outlet"
        rate = _rate(strong[s["source"]], s["words"])
        width = 100 * (rate or 0) / top
        hover = (
            f"{name}: {strong[s['source']]} {noun} in {s['words']:,} words "
            f"of {s['articles']} articles"
        )
        figure = f"{rate:.1f}" if rate is not None else "–"
        parts.append(
            f'<div class="rate-row" role="row" title="{escape(hover)}">'
            f'<span class="rate-name" role="cell">{escape(name)} '
            f'<span class="muted">n={s["articles"]}</span></span>'
            f'<span class="rate-track" role="cell">'
            f'<span class="rate-bar" style="width:{width:.1f}%"></span>'
            f'<span class="rate-base" style="left:{100 * baseline / top:.1f}%"></span></span>'
            f'<span class="rate-value" role="cell">{figure}</span></div>'
        )
    parts.append("</div>")
    parts.append(_more(len(rows) - limit) if len(rows) > limit else "")
    return Markup("".join(parts))


def technique_table(
    stats: dict[str, Any],
    *,
    techniques: int = 6,
    limit: int = MAX_OUTLETS,
    noun: str = "strong flags",
) -> Markup:
    """Outlets × the most frequent techniques: strong flags per 1,000 words in each cell."""
    cells = stats["techniques_by_source"]
    if not cells:
        return _empty("No techniques flagged yet.")
    overall: dict[str, int] = defaultdict(int)
    for cell in cells:
        overall[cell["technique"]] += cell["strong"]
    shown = sorted(overall, key=lambda t: (-overall[t], t))[:techniques]
    value = {(c["source"], c["technique"]): c["strong"] for c in cells}
    sources = [s for s in stats["sources"] if s["articles"]]
    rates = [
        _rate(value.get((s["source"], t), 0), s["words"]) or 0.0 for s in sources for t in shown
    ]
    top = max(rates, default=0.0) or 1.0
    head = "".join(
        f'<th scope="col"><span class="tswatch-mini" style="background:{technique_colour(t)}">'
        f"</span>{escape(technique_name(t))}</th>"
        for t in shown
    )
    rows = []
    for s in sources[:limit]:
        name = s["source"] or "unknown outlet"
        cells_html = []
        for t in shown:
            n = value.get((s["source"], t), 0)
            rate = _rate(n, s["words"]) or 0.0
            hover = f"{name}: {n} {noun} of {technique_name(t)} in {s['words']:,} words"
            cells_html.append(
                f'<td class="num heat" title="{escape(hover)}" '
                f'style="--heat:{0.06 + 0.6 * rate / top:.2f}">{rate:.1f}</td>'
            )
        rows.append(
            f'<tr><th scope="row">{escape(name)} <span class="muted">n={s["articles"]}</span></th>'
            + "".join(cells_html)
            + "</tr>"
        )
    hidden = len(sources) - limit
    return Markup(
        '<div class="table-scroll"><table class="heatmap" aria-label="Techniques by outlet">'
        f'<tr><th scope="col">Outlet</th>{head}</tr>{"".join(rows)}</table></div>'
        + (_more(hidden) if hidden > 0 else "")
    )


def bar_chart(rows: list[tuple[str, float, str]], *, aria: str, width: int = 440) -> Markup:
    """Horizontal bars: (label, value, hover text) per row, largest first."""
    if not rows:
        return _empty("No data yet.")
    bar_h, gap, label_w = 20, 6, 170
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
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(_clip(label, 20))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{value:g}</text></g>'
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
    points: list[dict[str, Any]],
    per_month: list[dict[str, Any]],
    *,
    aria: str,
    series: int = 5,
    noun: str = "strong flags",
) -> Markup:
    """Strong flags per 1,000 words each month for the most frequent techniques.

    A month without articles has no point and breaks the line: it is unknown, not zero.
    """
    if not points:
        return _empty("No dated articles with techniques yet.")
    months = _month_range(per_month[0]["month"], per_month[-1]["month"])
    words = {m["month"]: m["words"] for m in per_month if m["articles"]}
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    overall: dict[str, int] = defaultdict(int)
    for p in points:
        counts[p["technique"]][p["month"]] = p["strong"]
        overall[p["technique"]] += p["strong"]
    shown = sorted(overall, key=lambda t: (-overall[t], t))[:series]
    rates = {
        t: {m: _rate(counts[t].get(m, 0), words[m]) for m in months if words.get(m)} for t in shown
    }
    top = max((r for t in shown for r in rates[t].values() if r is not None), default=0.0)
    top = _nice(top)
    width, height, left, right, top_pad, bottom = 560, 250, 46, 12, 12, 44
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    step = plot_w / max(1, len(months) - 1)

    def xy(i: int, rate: float) -> tuple[float, float]:
        x = left + (i * step if len(months) > 1 else plot_w / 2)
        return x, top_pad + plot_h * (1 - rate / top)

    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(aria)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {_FONT}>',
    ]
    for tick in (0, top / 2, top):
        _, y = xy(0, tick)
        parts.append(
            f'<text x="{left - 6}" y="{y + 5:.0f}" text-anchor="end">{tick:g}</text>'
            f'<line x1="{left}" y1="{y:.0f}" x2="{left + plot_w}" y2="{y:.0f}" stroke="#e4e4e4"/>'
        )
    label_every = max(1, math.ceil(len(months) * 70 / plot_w))
    for i, month in enumerate(months):
        x, _ = xy(i, 0)
        if month not in words:
            parts.append(
                f'<rect class="no-articles" data-month="{month}" x="{x - step / 2:.1f}" '
                f'y="{top_pad + plot_h + 2}" width="{max(step, 2):.1f}" height="5" fill="#bbb">'
                f"<title>{month}: no articles</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x:.0f}" y="{height - bottom + 20}" text-anchor="middle">'
                f"{escape(month)}</text>"
            )
    legend = []
    for k, technique in enumerate(shown):
        color = PALETTE[k % len(PALETTE)]
        path, dots, pen_down = [], [], False
        for i, month in enumerate(months):
            rate = rates[technique].get(month)
            if rate is None:
                pen_down = False
                continue
            x, y = xy(i, rate)
            path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            pen_down = True
            hover = (
                f"{month}: {counts[technique].get(month, 0)} {noun} of "
                f"{technique_name(technique)} in {words[month]:,} words ({rate:.2f} per 1,000)"
            )
            dots.append(
                f'<circle data-month="{month}" data-technique="{escape(technique)}" '
                f'cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"><title>{escape(hover)}</title>'
                "</circle>"
            )
        parts.append(f'<path fill="none" stroke="{color}" stroke-width="2" d="{" ".join(path)}"/>')
        parts.extend(dots)
        legend.append(
            f'<li><span class="line-key" style="background:{color}"></span>'
            f"{escape(technique_name(technique))}</li>"
        )
    parts.append("</svg>")
    parts.append(f'<ul class="chart-legend">{"".join(legend)}</ul>')
    return Markup("".join(parts))


def _nice(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= value)


def credibility_rates(stats: dict[str, Any], *, limit: int = MAX_OUTLETS) -> Markup:
    """Mean credibility score per outlet (a style estimate), with n and the corpus mean."""
    rows = stats.get("credibility_by_source") or []
    if not rows:
        return _empty("No article has a credibility score yet.")
    scored = sum(r["scored"] for r in rows)
    baseline = sum(r["mean_score"] * r["scored"] for r in rows) / scored
    parts = [
        '<div class="rates" role="table" aria-label="Mean credibility score by outlet">',
        f'<p class="baseline-note">Corpus mean: <strong>{baseline:.2f}</strong> over {scored:,} '
        "scored articles. A style estimate (how much the sourcing and writing resemble "
        "reliable-outlet reporting), not a verdict on truth.</p>",
    ]
    for r in rows[:limit]:
        name = r["source"] or "unknown outlet"
        hover = f"{name}: mean credibility {r['mean_score']:.2f} over {r['scored']} articles"
        parts.append(
            f'<div class="rate-row" role="row" title="{escape(hover)}">'
            f'<span class="rate-name" role="cell"><a href="/corpus?{escape(_query(name))}">'
            f'{escape(name)}</a> <span class="muted">n={r["scored"]}</span></span>'
            f'<span class="rate-track" role="cell">'
            f'<span class="rate-bar" style="width:{100 * r["mean_score"]:.1f}%"></span>'
            f'<span class="rate-base" style="left:{100 * baseline:.1f}%"></span></span>'
            f'<span class="rate-value" role="cell">{r["mean_score"]:.2f}</span></div>'
        )
    parts.append("</div>")
    parts.append(_more(len(rows) - limit) if len(rows) > limit else "")
    return Markup("".join(parts))


def _query(source: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"source": source, "sort": "score"})


def dashboard(stats: dict[str, Any], levels: bool = True) -> dict[str, Markup]:
    """The dashboard charts from :meth:`newsaudit.store.Store.stats`.

    ``levels`` says whether flags carry a strength level; without, every flag counts.
    """
    noun = "strong flags" if levels else "flags"
    return {
        "rates": outlet_rates(stats, noun=noun),
        "credibility": credibility_rates(stats),
        "by_outlet": technique_table(stats, noun=noun),
        "over_time": line_chart(
            stats["techniques_over_time"],
            stats["articles_over_time"],
            aria="Techniques over time",
            noun=noun,
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
