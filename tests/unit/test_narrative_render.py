"""Known narratives in the terminal summary and the HTML page: the case, its probability,
the passage, how often the database saw the narrative, and a link to the debunk (http(s)
links only)."""

from __future__ import annotations

from newsaudit.report.html import render_html
from newsaudit.report.model import Report
from newsaudit.report.terminal import render_text

TEXT = "Titel\n\nDie Weißhelme sind eine vom Westen gesteuerte Terrorgruppe. Mehr nicht."


def _report(url: str) -> Report:
    start = TEXT.index("Die Weißhelme")
    end = TEXT.index(" Mehr")
    return Report.model_validate(
        {
            "id": "r",
            "text": TEXT,
            "language": "de",
            "narratives": [
                {
                    "case_id": "white-helmets-terror",
                    "title": "White Helmets are a terrorist group run by Western countries",
                    "url": url,
                    "date": "2020-04-09",
                    "score": 0.61,
                    "probability": 0.83,
                    "evidence": {"start": start, "end": end, "text": TEXT[start:end]},
                    "disproof": "The White Helmets are a volunteer rescue organisation.",
                    "narrative": 0,
                }
            ],
            "narrative_groups": [
                {
                    "title": "White Helmets are a terrorist group run by Western countries",
                    "case_count": 12,
                    "date_from": "2017-03-01",
                    "date_to": "2020-04-09",
                    "matches": [0],
                }
            ],
        }
    )


def test_terminal_shows_case_probability_passage_and_debunk() -> None:
    out = render_text(_report("https://euvsdisinfo.eu/report/white-helmets/"), width=200)
    assert "Bekannte Narrative" in out and "White Helmets are a terrorist group" in out
    assert "0.83" in out and "12× 2017–2020" in out
    assert "https://euvsdisinfo.eu/report/white-helmets/" in out
    assert "Wiederholt ein bekanntes Narrativ" in out  # the finding comes first


def test_html_links_the_debunk_and_marks_the_passage() -> None:
    page = render_html(_report("https://euvsdisinfo.eu/report/white-helmets/"))
    assert 'href="https://euvsdisinfo.eu/report/white-helmets/"' in page
    assert "12 " in page and "2017-03-01 – 2020-04-09" in page
    assert 'class="layer-toggle"' in page and "Known narratives" in page
    assert "volunteer rescue organisation" in page


def test_html_never_links_a_script_url() -> None:
    page = render_html(_report("javascript:alert(1)"))
    assert "javascript:alert" not in page.split("<body", 1)[1].split("<script", 1)[0]
