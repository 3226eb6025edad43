"""`newsaudit index add|list|remove` with hand-written ClaimReview and CSV fixtures: a bad
file is one clear line and loses nothing already indexed; the narratives analyzer searches
the user's index beside EUvsDisinfo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudit.errors import InputError
from newsaudit.indexes.claimreview import parse_claim_review, parse_csv, read_fact_checks

REPO = Path(__file__).resolve().parents[2]


def test_claim_review_objects_anywhere_in_the_graph(fixtures_dir: Path) -> None:
    claims = read_fact_checks(fixtures_dir / "factchecks" / "claimreview.jsonld")
    assert [c["rating"] for c in claims] == ["Falsch", "Erfunden"]
    assert claims[0]["language"] == "de" and claims[0]["date"] == "2024-03-01"
    assert claims[1]["text"].startswith("Leitungswasser in Kassel")
    assert claims[1]["url"] == "https://factcheck.example/wasser"
    feed = '{"dataFeedElement": [{"item": [{"@type": "ClaimReview", "claimReviewed": "X"}]}]}'
    assert parse_claim_review(feed, "feed")[0]["text"] == "X"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"@type": "WebPage"}', "no ClaimReview"),
        ('{"@type": "ClaimReview", "url": "u"}', "ClaimReview 1: the claim has no text"),
        ("[" * 100_000, "not valid JSON"),
    ],
)
def test_bad_claim_review_is_an_input_error(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_claim_review(text, "f.json")


def test_csv_needs_a_claim_column_and_text() -> None:
    assert (
        parse_csv("Claim,URL\nEin Satz,https://x.example\n", "f")[0]["url"] == "https://x.example"
    )
    with pytest.raises(InputError, match="header"):
        parse_csv("text,url\na,b\n", "f")
    with pytest.raises(InputError, match="line 2: the claim has no text"):
        parse_csv("claim,url\n,b\n", "f")


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "NEWSAUDIT_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "newsaudit", *args], capture_output=True, text=True, env=env
    )


def test_add_list_remove_and_a_bad_file_loses_nothing(tmp_path: Path, fixtures_dir: Path) -> None:
    fixtures = fixtures_dir / "factchecks"
    added = _run(tmp_path, "index", "add", str(fixtures / "claimreview.jsonld"), "--name", "mine")
    assert added.returncode == 0, added.stderr
    assert "indexed 2 claims as 'mine'" in added.stdout
    assert _run(tmp_path, "index", "add", str(fixtures / "claims.csv")).returncode == 0
    for bad in ("broken.json", "empty-claim.csv"):
        result = _run(tmp_path, "index", "add", str(fixtures / bad), "--name", "mine", "--replace")
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert str(fixtures / bad) in result.stderr
    again = _run(tmp_path, "index", "add", str(fixtures / "claims.csv"))
    assert again.returncode == 2 and "exists" in again.stderr
    listed = _run(tmp_path, "index", "list").stdout.splitlines()
    assert [line.split("\t")[:2] for line in listed] == [["claims", "1"], ["mine", "2"]]
    assert not [p for p in (tmp_path / "indexes").iterdir() if p.name.startswith(".")]
    assert _run(tmp_path, "index", "remove", "claims").returncode == 0
    gone = _run(tmp_path, "index", "remove", "claims")
    assert gone.returncode == 2 and "no index named 'claims'" in gone.stderr
    assert [
        line.split("\t")[0] for line in _run(tmp_path, "index", "list").stdout.splitlines()
    ] == ["mine"]


def test_the_analyzer_searches_the_users_index(
    tmp_path: Path, fixtures_dir: Path, monkeypatch
) -> None:
    from newsaudit.indexes import add_index
    from newsaudit.ingest import document_from_text
    from newsaudit.pipeline import Pipeline, default_analyzers

    monkeypatch.setenv("NEWSAUDIT_DATA_DIR", str(tmp_path))
    add_index(fixtures_dir / "factchecks" / "claimreview.jsonld", "mine")
    text = (
        "Zweifel an der Raumfahrt\n\n"
        "Ein Blogger behauptet: Die Mondlandung von 1969 wurde in einem Filmstudio in Nevada "
        "gedreht. Beweise legte er nicht vor."
    )
    report = Pipeline(default_analyzers(["narratives"])).run(document_from_text(text, id="m"))
    mine = [m for m in report.narratives if m.database == "mine"]
    assert mine and mine[0].url == "https://factcheck.example/mondlandung"
    assert mine[0].disproof == "Falsch"
    assert report.text[mine[0].evidence.start : mine[0].evidence.end] == mine[0].evidence.text
