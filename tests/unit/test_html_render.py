from html.parser import HTMLParser

from newsaudit import analyze
from newsaudit.report.html import render_html, script_json
from newsaudit.report.render import render

PAYLOAD = '<script>alert(1)</script>" onerror="alert(2)<img src=x onerror=alert(3)>'


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.event_attributes: list[tuple[str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(dict(attrs))
        self.event_attributes += [(tag, k) for k, _ in attrs if k.startswith("on")]


def _malicious_report():
    report = analyze(
        f"Titel {PAYLOAD}\n\nDer Bürgermeister sagte {PAYLOAD} am Montag in Berlin etwas. "
        "Die Polizei in Berlin ermittelt. Berlin bleibt ruhig."
    )
    return report.model_copy(
        update={
            "title": PAYLOAD,
            "tags": [PAYLOAD, "normal"],
            "metadata": {"author": PAYLOAD, "sitename": PAYLOAD, "url": PAYLOAD, "date": PAYLOAD},
        }
    )


def test_article_derived_text_is_inert_in_every_field() -> None:
    page = render_html(_malicious_report())
    parser = _Collector()
    parser.feed(page)
    assert len(parser.scripts) == 2  # the marks data island and our own script
    assert parser.scripts[0] == {"type": "application/json", "id": "marks-data"}
    assert parser.event_attributes == []
    assert "img" not in parser.tags
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34; onerror=&#34;alert(2)" in page


def test_script_json_cannot_close_its_script_element() -> None:
    assert "</script>" not in script_json({"x": "</script><!--"})


def test_sample_page_highlights_every_layer_present(sample_path) -> None:
    report = analyze(sample_path)
    page = render(report, "html")
    assert 'data-layer="keywords"' in page
    assert page.count('class="hl ') >= sum(len(k.occurrences) for k in report.keywords) // 2
    assert "Konashenkov" in page
    for match in report.narratives:  # a debunk is a link to follow, not an asset to load
        page = page.replace(f'href="{match.url}"', "")
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_text_and_json_renderers(sample_path) -> None:
    report = analyze(sample_path)
    text = render(report, "text")
    assert "kirby, global war" in text and "Konashenkov" in text
    assert render(report, "json").startswith("{")


def test_a_technique_highlight_says_its_score_threshold_words_and_definition() -> None:
    from newsaudit.pipeline import Pipeline
    from newsaudit.report.marks import collect_marks
    from newsaudit.report.model import Evidence, TechniqueFlag

    text = "Diese Verbrecher lügen. Der Haushalt steht."
    report = analyze(text, pipeline=Pipeline([]))
    evidence = Evidence(start=0, end=23, text=text[:23], score=0.9, cues=["Verbrecher"])
    flag = TechniqueFlag(
        start=0,
        end=len(text),
        text=text,
        technique="Name_Calling-Labeling",
        paragraph=0,
        score=0.81,
        threshold=0.4,
        evidence=[evidence],
        definition="Labels a person or group.",
    )
    marks = collect_marks(report.model_copy(update={"techniques": [flag]}))
    (mark,) = [m for m in marks if m.layer == "techniques"]
    assert (mark.start, mark.end) == (0, 23)
    assert mark.reason == (
        "Name calling, labelling (score 0.81, threshold 0.40); words that weighed most: "
        "Verbrecher. Labels a person or group."
    )
    assert mark.reason_de.startswith("Etikettierung, Beschimpfung (Wert 0,81, Schwelle 0,40)")
    (cue,) = [m for m in marks if m.layer == "cues"]
    assert text[cue.start : cue.end] == "Verbrecher"


def test_palette_gives_23_techniques_distinct_colours() -> None:
    import itertools
    import math

    from newsaudit.report.colours import TECHNIQUE_COLOURS
    from newsaudit.report.labels import TECHNIQUE_NAMES, TECHNIQUES

    def lab(colour: str) -> tuple[float, float, float]:
        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

        def f(v: float) -> float:
            return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    assert set(TECHNIQUE_COLOURS) == set(TECHNIQUES) == set(TECHNIQUE_NAMES)
    assert len(TECHNIQUES) == 23
    closest = min(
        math.dist(lab(a), lab(b)) for a, b in itertools.combinations(TECHNIQUE_COLOURS.values(), 2)
    )
    assert closest >= 15


def test_page_opens_with_findings_that_link_to_passages(sample_path) -> None:
    import re

    report = analyze(sample_path)
    assert report.findings, "the sample has findings"
    page = render(report, "html")
    findings = page[page.index('id="findings"') : page.index('id="article-heading"')]
    linked = re.findall(r'data-mark="(\d+)"', findings)
    assert len(linked) == len([f for f in report.findings if f.end > f.start])
    for mark in linked:
        assert f'id="m-{mark}"' in page
    # readable names, one genre label, paragraphs counted from 1
    assert "Security_and_defense" not in page and "Sicherheit und Verteidigung" in page
    genre = page[page.index('id="genre"') :].split("</td>")[0]
    assert genre.count(">Meinung<") == 1 and genre.count("Opinion") == 1
    assert "¶ 0 " not in page
    first = min(f.paragraph for f in report.techniques)
    assert f"¶ {first + 1} ·" in page


def test_possible_flags_are_shown_only_on_request() -> None:
    from pydantic import ConfigDict

    from newsaudit.pipeline import Pipeline
    from newsaudit.report.colours import tint
    from newsaudit.report.html import article_context
    from newsaudit.report.model import TechniqueFlag

    class LevelledFlag(TechniqueFlag):  # as the techniques issue will give them
        model_config = ConfigDict(extra="allow")

    text = "Diese Verbrecher lügen. Der Haushalt steht."
    report = analyze(text, pipeline=Pipeline([]))

    def flag(technique: str, end: int, level: str) -> LevelledFlag:
        return LevelledFlag(
            start=0,
            end=end,
            text=text[:end],
            technique=technique,
            paragraph=0,
            score=0.5,
            level=level,
            probability=0.7 if level == "strong" else 0.3,
        )

    report = report.model_copy(
        update={
            "techniques": [
                flag("Name_Calling-Labeling", 23, "strong"),
                flag("Doubt", 23, "possible"),
            ]
        }
    )
    context = article_context(report)
    assert context["has_possible"]
    assert [(r["technique"], r["strong"]) for r in context["technique_rows"]] == [
        ("Name_Calling-Labeling", True),
        ("Doubt", False),
    ]
    (segment,) = [s for s in context["segments"] if s["style"]]
    strong_only, everything = segment["style"].split(";--ta:")
    name_calling, doubt = tint("#CC3311"), tint("#EE6677")
    assert name_calling in strong_only and doubt not in strong_only
    assert doubt in everything  # Doubt's colour, drawn once possible flags are on
    page = render_html(report)
    assert 'data-layer="possible"' in page and '<li class="possible">' in page
    assert "0.70" in page  # the calibrated probability, not the raw score
