"""Known narratives in the store and the service: the dashboard lists the most repeated
cases (and by outlet), each case has a page listing the articles that repeat it, and a
store from before the side table gets it filled by its migration."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from newsaudit.report.model import NarrativeGroup, NarrativeMatch
from newsaudit.service.app import create_app
from newsaudit.service.settings import Settings
from newsaudit.store import Store

CASE = {
    "case_id": "us-supports-terrorists-in-syria",
    "title": "Washington supports terrorists in Syria",
    "url": "https://euvsdisinfo.eu/report/us-supports-terrorists-in-syria/",
    "score": 0.6,
    "probability": 0.9,
    "database": "EUvsDisinfo",
    "narrative": 0,
}
GROUP = {"title": CASE["title"], "case_count": 5, "matches": [0]}


def _with_narrative(make_report, text: str, id: str, source: str):
    report = make_report(text, id=id, source=source, date="2021-03-04")
    start = text.index("Terror")
    evidence = {"start": start, "end": start + 6, "text": text[start : start + 6]}
    return report.model_copy(
        update={
            "narratives": [NarrativeMatch(**CASE, evidence=evidence)],
            "narrative_groups": [NarrativeGroup(**GROUP)],
        }
    )


def test_dashboard_and_narrative_page(tmp_path, make_report) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    store = Store(url)
    for i, source in enumerate(("a.example", "a.example", "b.example")):
        text = f"Artikel {i}: Terror in Syrien, sagt der Sender. Nummer {i}."
        store.add(_with_narrative(make_report, text, f"r{i}", source))
    store.add(make_report("Ein Artikel ohne Narrativ über den Busverkehr in Kassel.", id="x"))
    store.close()
    with TestClient(create_app(Settings(db_url=url)), base_url="http://127.0.0.1:8000") as c:
        corpus = c.get("/corpus")
        assert corpus.status_code == 200
        panel = corpus.text.split('id="fig-narratives"', 1)[1].split("</figure>", 1)[0]
        assert CASE["title"] in panel and ">3<" in panel
        assert "a.example" in panel and "b.example" in panel
        page = c.get(f"/narratives/{CASE['case_id']}")
        assert page.status_code == 200
        assert 'id="narrative-count">3<' in page.text
        assert f'href="{CASE["url"]}"' in page.text
        assert page.text.count('href="/articles/') == 3
        missing = c.get("/narratives/no-such-case", headers={"accept": "text/html"})
        assert missing.status_code == 404
        api = c.get("/api/narratives").json()
        assert api["most_repeated"][0] == {
            "case_id": CASE["case_id"],
            "title": CASE["title"],
            "database": "EUvsDisinfo",
            "articles": 3,
        }
        one = c.get(f"/api/narratives/{CASE['case_id']}").json()
        assert one["total"] == 3 and one["url"] == CASE["url"]
        assert c.get("/api/narratives/no-such-case").status_code == 404


def test_the_migration_fills_the_side_table_from_stored_reports(tmp_path, make_report) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    store.add(_with_narrative(make_report, "Terror überall, sagt der Sender.", "r", "a.example"))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM article_narratives")
        conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version = 6")
        conn.exec_driver_sql("DROP TABLE article_narratives")
    store.close()
    again = Store(url)
    assert again.narratives()["most_repeated"][0]["articles"] == 1
    [stored] = json.loads(again.get_report(1).model_dump_json())["narratives"]
    assert stored["case_id"] == CASE["case_id"]
    again.close()
