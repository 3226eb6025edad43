"""Compare end to end: the CLI on the sample and its source, and the service's API and page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient

from newsaudit.service.app import create_app
from newsaudit.service.settings import Settings

REPO = Path(__file__).resolve().parents[2]
ARTICLE = (
    "Außenministerin Ana Ruiz sprach eine offene Drohung aus: Wenn das Embargo anhalte, "
    "könnten der Region ernste Lebensmittelengpässe drohen."
)
SOURCE = (
    'Foreign minister Ana Ruiz said: "If the embargo continues, the region may face serious '
    'food shortages."'
)


@pytest.fixture(scope="module")
def source_path(sample_path: Path) -> Path:
    path = sample_path.parent / "seed-source-en.txt"
    if not path.is_file():
        pytest.skip(f"the sample source is not at {path}")
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsaudit", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )


def test_sample_shows_the_three_distortions(sample_path: Path, source_path: Path) -> None:
    done = run_cli("compare", str(sample_path), str(source_path), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    schema = run_cli("schema", "--compare")
    assert schema.returncode == 0, schema.stderr
    jsonschema.validate(report, json.loads(schema.stdout))
    article = sample_path.read_text(encoding="utf-8")
    source = source_path.read_text(encoding="utf-8")
    findings = report["findings"]
    for f in findings:
        assert set(f) == {
            "kind",
            "article_start",
            "article_end",
            "article_text",
            "source_index",
            "source_start",
            "source_end",
            "source_text",
            "explanation",
            "score",
        }
        assert article[f["article_start"] : f["article_end"]] == f["article_text"]
        assert source[f["source_start"] : f["source_end"]] == f["source_text"]
        assert f["explanation"]

    def found(kinds: set[str], article_words: str, source_words: str) -> bool:
        return any(
            f["kind"] in kinds
            and article_words in f["article_text"]
            and source_words in f["source_text"]
            for f in findings
        )

    assert found({"speech_act_reframed"}, "direkte Drohung", "could")
    assert found({"hedge_strengthened", "condition_dropped"}, "Städte", "could") or found(
        {"condition_dropped"}, "Städte", "If the civil war continues"
    )
    assert found({"content_added", "hedge_strengthened"}, "abgeschossen", "lose")
    assert report["alignments"], "Kirby's quotes should align with the transcript"
    # Konashenkov's words are his own, not a misattributed Kirby quote.
    assert not [f for f in findings if f["kind"] == "misattribution"]


def test_cli_text_and_html_outputs(tmp_path: Path) -> None:
    article, source = tmp_path / "a.txt", tmp_path / "s.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    source.write_text(SOURCE, encoding="utf-8")
    done = run_cli("compare", str(article), str(source), "--format", "text")
    assert done.returncode == 0, done.stderr
    assert "speech act reframed" in done.stdout and "offene Drohung" in done.stdout
    out = tmp_path / "c.html"
    done = run_cli("compare", str(article), str(source), "--format", "html", "-o", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert 'class="cmp-change' in html and "offene Drohung" in html


def test_cli_empty_source_is_a_clear_error(tmp_path: Path) -> None:
    article, empty = tmp_path / "a.txt", tmp_path / "empty.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    done = run_cli("compare", str(article), str(empty))
    assert done.returncode == 2
    assert "source 1" in done.stderr and "empty" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
def client(tmp_path: Path):
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 's.db'}"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:  # a host the server answers
        yield c


def test_api_compare_json(client: TestClient) -> None:
    response = client.post("/api/compare", json={"article": ARTICLE, "sources": [SOURCE]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [f["kind"] for f in body["findings"]] == ["speech_act_reframed"]
    assert body["findings"][0]["article_text"] == "offene Drohung"
    assert body["schema_version"]


def test_api_compare_errors(client: TestClient) -> None:
    response = client.post("/api/compare", json={"article": ARTICLE, "sources": ["  "]})
    assert response.status_code == 422
    assert "source 1" in response.json()["detail"]
    assert client.post("/api/compare", json={"article": ARTICLE}).status_code == 422


def test_compare_page_with_uploaded_files(client: TestClient) -> None:
    page = client.get("/compare")
    assert page.status_code == 200 and 'name="source_file"' in page.text
    response = client.post(
        "/compare",
        files={
            "article_file": ("article.txt", ARTICLE.encode("utf-8"), "text/plain"),
            "source_file": ("source.txt", SOURCE.encode("utf-8"), "text/plain"),
        },
    )
    assert response.status_code == 200, response.text
    assert 'class="cmp-finding"' in response.text and "offene Drohung" in response.text


def test_compare_page_error_keeps_the_form(client: TestClient) -> None:
    response = client.post("/compare", data={"article": ARTICLE, "source": ""})
    assert response.status_code == 422
    assert "source" in response.text and ARTICLE[:20] in response.text


def test_sample_against_a_long_transcript(sample_path: Path, source_path: Path) -> None:
    """Regression: in a transcript longer than the whole-source limit, the passage sits
    under a "SPOKESPERSON:" label that the article's "Sprecher ... John Kirby" did not
    match, so Kirby's quotes read as misattributed and "abgeschossen" lost its passage."""
    from newsaudit.compare import compare
    from newsaudit.compare.comparison import ENCODE_ALL_UP_TO

    passage = source_path.read_text(encoding="utf-8").split("\n\n", 1)[-1].strip()
    filler = [
        f"SPOKESPERSON: The committee will review the report on {topic} next week."
        for topic in ("water supplies", "rural clinics", "fishing rights", "the harbour")
    ]
    lines = [filler[i % len(filler)] for i in range(ENCODE_ALL_UP_TO)]
    lines.insert(len(lines) // 2, f"SPOKESPERSON: {passage}")
    report = compare(sample_path, ["\n".join(lines)])
    kinds = {(f.kind, f.article_text) for f in report.findings}
    assert ("speech_act_reframed", "direkte Drohung") in kinds
    assert any(k == "condition_dropped" and "Städte" in text for k, text in kinds)
    assert ("content_added", "abgeschossen") in kinds
    assert not [f for f in report.findings if f.kind == "misattribution"]


def test_analyze_with_a_source_puts_the_distortions_among_the_findings(
    sample_path: Path, source_path: Path
) -> None:
    """Issue 20: `newsaudit analyze ARTICLE --source SOURCE` has the quotes distorted or
    reframed in ``Report.quote_changes`` and in its findings, offsets into Report.text."""
    done = run_cli("analyze", str(sample_path), "--source", str(source_path), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    schema = run_cli("schema")
    assert schema.returncode == 0, schema.stderr
    jsonschema.validate(report, json.loads(schema.stdout))
    text = report["text"]
    changes = report["quote_changes"]
    for change in changes:
        assert text[change["start"] : change["end"]] == change["text"]
    assert any(
        c["kind"] == "speech_act_reframed" and c["text"] == "direkte Drohung" for c in changes
    )
    quoted = [f for f in report["findings"] if f["kind"] == "quote_fidelity"]
    later = [
        f["rank"] for f in report["findings"] if f["kind"] not in ("narrative", "quote_fidelity")
    ]
    assert quoted and max(f["rank"] for f in quoted) < min(later, default=99)  # tier 1
    for finding in quoted:
        assert text[finding["start"] : finding["end"]] == finding["text"]
        assert report["quote_changes"][finding["ref"]]["text"] == finding["text"]
