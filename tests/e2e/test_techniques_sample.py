"""Techniques on the sample article and the SemEval adapters through the real CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsaudit.api import analyze

WANTED = {"Loaded_Language", "Name_Calling-Labeling", "Questioning_the_Reputation"}


def test_terror_network_paragraph_is_flagged_with_overlapping_evidence(sample_path) -> None:
    report = analyze(sample_path)
    phrase = "US-kontrolliertes internationales Terrornetzwerk"
    at = report.text.index(phrase)
    end = at + len(phrase)
    flags = [f for f in report.techniques if f.start <= at < f.end and f.technique in WANTED]
    assert flags, [(f.technique, f.score) for f in report.techniques]
    assert any(e.start < end and at < e.end for f in flags for e in f.evidence)
    for flag in report.techniques:
        assert report.text[flag.start : flag.end] == flag.text
        for e in flag.evidence:
            assert report.text[e.start : e.end] == e.text
    assert report.genre is not None


# the sample's bullet points (its lead is checked by role)
NEUTRAL = (
    "Das Niederlegen der Waffen",
    "Ihre Evakuierung aus Ost-Aleppo",
    "Die Evakuierung von Zivilisten aus Ost-Aleppo",
)


def test_the_lead_carries_no_strong_flag_and_the_spin_keeps_one(sample_path) -> None:
    report = analyze(sample_path)
    strong = [f for f in report.techniques if f.level == "strong"]
    lead = next(p for p in report.paragraphs if p.role == "lead")
    assert not [f for f in strong if f.start <= lead.start < f.end]
    phrase = "US-kontrolliertes internationales Terrornetzwerk"
    at = report.text.index(phrase)
    end = at + len(phrase)
    kept = [f for f in strong if f.start <= at < f.end]
    assert kept, [(f.technique, f.probability) for f in report.techniques if f.start <= at < f.end]
    assert any(e.start < end and at < e.end for f in kept for e in f.evidence)
    assert report.persuasion is not None and report.persuasion.strong == len(strong)


def test_the_bullet_points_carry_no_strong_flag(sample_path) -> None:
    report = analyze(sample_path)
    for bullet in NEUTRAL:
        at = report.text.index(bullet)
        flagged = [f for f in report.techniques if f.level == "strong" and f.start <= at < f.end]
        assert not flagged, [(f.technique, f.probability) for f in flagged]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsaudit", *args], capture_output=True, text=True, check=False
    )


def test_predict_techniques_writes_one_line_per_input_line(tmp_path) -> None:
    source = tmp_path / "paragraphs.tsv"
    source.write_bytes(
        "9001\t1\tDiese Verbrecher und Lügner\tverraten unser Land!\r\n"
        "9001\t3\t\n"
        "9001\t5\tDer Haushalt wurde am Dienstag vorgestellt.\n".encode()
    )
    out = tmp_path / "pred.tsv"
    result = _cli("predict", "techniques", "--input", str(source), "--output", str(out))
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    rows = [line.split("\t") for line in lines[:-1]]
    assert [r[:2] for r in rows] == [["9001", "1"], ["9001", "3"], ["9001", "5"]]
    assert rows[1][2] == ""
    assert set(rows[0][2].split(",")) & WANTED

    strong = tmp_path / "strong.tsv"
    result = _cli(
        "predict",
        "techniques",
        "--input",
        str(source),
        "--output",
        str(strong),
        "--level",
        "strong",
    )
    assert result.returncode == 0, result.stderr
    strong_rows = [line.split("\t") for line in strong.read_text(encoding="utf-8").splitlines()]
    assert [r[:2] for r in strong_rows] == [r[:2] for r in rows]
    for every, kept in zip(rows, strong_rows, strict=True):
        assert set(filter(None, kept[2].split(","))) <= set(filter(None, every[2].split(",")))

    gold = tmp_path / "gold.tsv"
    gold.write_text("9001\t1\tName_Calling-Labeling\n9001\t3\t\n9001\t5\t\n", encoding="utf-8")
    scored = _cli("evaluate", "techniques", "--gold", str(gold), "--pred", str(out))
    assert scored.returncode == 0, scored.stderr
    assert '"micro_f1"' in scored.stdout


def test_predict_techniques_missing_input_is_a_clean_error(tmp_path) -> None:
    result = _cli(
        "predict",
        "techniques",
        "--input",
        str(tmp_path / "nope.tsv"),
        "--output",
        str(tmp_path / "o.tsv"),
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.needs_shared_data
def test_predict_genre_and_frames_on_shared_articles(shared_data, tmp_path) -> None:
    articles = shared_data / "semeval2023-task3" / "de" / "train" / "articles"
    subset = tmp_path / "articles"
    subset.mkdir()
    for path in sorted(articles.glob("article*.txt"))[:3]:
        (subset / path.name).write_bytes(path.read_bytes())
    # The shipped heads were fitted on these training articles: their predictions must
    # reproduce the gold of the right article ids (a shuffled or broken adapter would not).
    from newsaudit.benchmarks.metrics import multilabel_micro_f1
    from newsaudit.benchmarks.semeval import read_prediction_file

    scores = {}
    for task in ("genre", "frames"):
        out = tmp_path / f"{task}.tsv"
        result = _cli("predict", task, "--input", str(subset), "--output", str(out))
        assert result.returncode == 0, result.stderr
        predicted = read_prediction_file(out, 1)
        assert len(predicted) == 3
        gold = read_prediction_file(articles.parent / f"{task}.tsv", 1)
        scores[task] = multilabel_micro_f1({k: gold[k] for k in predicted if k in gold}, predicted)
    assert scores["genre"]["items"] >= 1 and scores["genre"]["micro_f1"] == 1.0
    assert scores["frames"]["items"] == 3 and scores["frames"]["precision"] >= 0.8
