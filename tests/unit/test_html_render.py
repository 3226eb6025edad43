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
        "Name Calling-Labeling (score 0.81, threshold 0.40); words that weighed most: "
        "Verbrecher. Labels a person or group."
    )
