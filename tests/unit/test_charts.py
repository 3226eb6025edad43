"""Dashboard charts: valid SVG, escaped labels, figures that match the data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from newsaudit.service.charts import _month_range, bar_chart, dashboard, heatmap, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(
        str(markup).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


def test_bar_chart_escapes_and_scales() -> None:
    svg = parse(bar_chart([("<b>A&B</b>", 10, "a <hover>"), ("C", 5, "c")], aria="x"))
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert titles == ["a <hover>", "c"]
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "<b>A&B</b>" in labels
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]


def test_heatmap_shades_by_share() -> None:
    cells = [
        {"source": "a", "technique": "Doubt", "articles": 1},
        {"source": "b", "technique": "Doubt", "articles": 4},
    ]
    sources = [{"source": "a", "articles": 4}, {"source": "b", "articles": 4}]
    svg = parse(heatmap(cells, sources, aria="h"))
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert titles == ["a: 1 of 4 articles flagged Doubt", "b: 4 of 4 articles flagged Doubt"]
    opacities = [float(r.get("fill-opacity")) for r in svg.iter(f"{SVG}rect")]
    assert opacities[0] < opacities[1] == 1.0


def test_line_chart_fills_gaps_between_months() -> None:
    points = [
        {"month": "2023-11", "technique": "Doubt", "articles": 1},
        {"month": "2024-02", "technique": "Doubt", "articles": 2},
    ]
    per_month = [{"month": "2023-11", "articles": 2}, {"month": "2024-02", "articles": 2}]
    svg = parse(line_chart(points, per_month, aria="l"))
    dots = [t.text for t in svg.iter(f"{SVG}title")]
    assert dots == [
        "2023-11: 1 of 2 articles flagged Doubt",
        "2023-12: 0 of 0 articles flagged Doubt",
        "2024-01: 0 of 0 articles flagged Doubt",
        "2024-02: 2 of 2 articles flagged Doubt",
    ]
    assert _month_range("2023-12", "2023-12") == ["2023-12"]


def test_empty_dashboard_says_so() -> None:
    empty = {
        "techniques_by_source": [],
        "sources": [],
        "techniques_over_time": [],
        "articles_over_time": [],
        "top_speakers": [],
        "top_entities": [],
    }
    charts = dashboard(empty)
    assert set(charts) == {"by_outlet", "over_time", "speakers", "entities"}
    assert all("<svg" not in str(c) and "muted" in str(c) for c in charts.values())
