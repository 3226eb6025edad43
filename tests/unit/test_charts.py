"""Dashboard charts: valid markup, escaped labels, figures that match the data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from newsaudit.service.charts import (
    _month_range,
    bar_chart,
    dashboard,
    line_chart,
    outlet_rates,
    technique_table,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(
        str(markup).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


def _stats(outlets: int = 2) -> dict:
    sources = [
        {"source": f"o{i}.example", "articles": 2 + i, "words": 1000} for i in range(outlets)
    ]
    cells = [
        {
            "source": s["source"],
            "technique": "Doubt",
            "articles": 1,
            "flags": i + 1,
            "strong": i + 1,
        }
        for i, s in enumerate(sources)
    ]
    return {"sources": sources, "techniques_by_source": cells}


def test_bar_chart_escapes_and_scales() -> None:
    svg = parse(bar_chart([("<b>A&B</b>", 10, "a <hover>"), ("C", 5, "c")], aria="x"))
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert titles == ["a <hover>", "c"]
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "<b>A&B</b>" in labels
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]


def test_outlet_rates_per_1000_words_with_n_and_baseline() -> None:
    html = str(outlet_rates(_stats()))
    assert "Corpus baseline: <strong>1.5</strong> per 1,000 words" in html
    # the outlet with 2 strong flags in 1,000 words first, with its n
    assert html.index("o1.example") < html.index("o0.example")
    assert "n=3" in html and ">2.0</span>" in html and ">1.0</span>" in html
    assert "width:100.0%" in html and "left:75.0%" in html  # baseline 1.5 of 2.0


def test_every_outlet_or_how_many_more() -> None:
    stats = _stats(outlets=18)
    html = str(outlet_rates(stats))
    assert html.count('class="rate-row"') == 15 and "+3 more outlets" in html
    table = str(technique_table(stats))
    assert table.count('<tr><th scope="row">') == 15 and "+3 more outlets" in table
    assert "Casting doubt" in table  # readable technique names


def test_labels_are_escaped() -> None:
    stats = _stats(outlets=1)
    stats["sources"][0]["source"] = stats["techniques_by_source"][0]["source"] = "<b>x</b>"
    assert "<b>x</b>" not in str(outlet_rates(stats)) + str(technique_table(stats))


def test_line_chart_leaves_months_without_articles_empty() -> None:
    points = [
        {"month": "2023-11", "technique": "Doubt", "articles": 1, "strong": 1},
        {"month": "2024-02", "technique": "Doubt", "articles": 2, "strong": 4},
    ]
    per_month = [
        {"month": "2023-11", "articles": 2, "words": 500},
        {"month": "2023-12", "articles": 1, "words": 1000},
        {"month": "2024-02", "articles": 2, "words": 1000},
    ]
    markup = str(line_chart(points, per_month, aria="l"))
    svg = parse(markup[: markup.index("</svg>") + 6])
    dots = {c.get("data-month"): c for c in svg.iter(f"{SVG}circle")}
    assert sorted(dots) == ["2023-11", "2023-12", "2024-02"]  # 2023-12 had articles: a real 0
    assert [t.text for t in dots["2023-12"].iter(f"{SVG}title")] == [
        "2023-12: 0 strong flags of Casting doubt in 1,000 words (0.00 per 1,000)"
    ]
    gaps = [r.get("data-month") for r in svg.iter(f"{SVG}rect")]
    assert gaps == ["2024-01"]
    (path,) = svg.iter(f"{SVG}path")
    assert path.get("d").count("M") == 2  # the line breaks at the empty month
    assert float(dots["2023-12"].get("cy")) > float(dots["2024-02"].get("cy"))
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
    assert set(charts) == {"rates", "credibility", "by_outlet", "over_time", "speakers", "entities"}
    assert all("<svg" not in str(c) and "muted" in str(c) for c in charts.values())


def test_credibility_by_outlet_shows_mean_n_and_corpus_mean() -> None:
    from newsaudit.service.charts import credibility_rates

    stats = {
        "credibility_by_source": [
            {"source": "a.example", "mean_score": 0.2, "scored": 3},
            {"source": "b.example", "mean_score": 0.8, "scored": 1},
        ]
    }
    html = str(credibility_rates(stats))
    assert "Corpus mean: <strong>0.35</strong>" in html
    assert "n=3" in html and "0.80" in html and "not a verdict on truth" in html
    assert "sort=score" in html
