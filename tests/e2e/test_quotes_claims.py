"""The sample article's who-says-what, and the quotes/subjectivity benchmark commands."""

from __future__ import annotations

import json
import shutil

import pytest
from test_cli import run_cli

from newsaudit.api import analyze
from newsaudit.models.quotes import MODEL_DIR


@pytest.fixture(scope="module")
def sample_report(sample_path):
    return analyze(sample_path)


def _quote(report, start_of_message: str):
    found = [q for q in report.quotes if q.message.text.lstrip('“„"').startswith(start_of_message)]
    assert found, f"no quote starting {start_of_message!r}"
    return found[0]


def test_offsets_of_quotes_and_claims(sample_report):
    text = sample_report.text
    for quote in sample_report.quotes:
        for span in (quote, quote.message, quote.cue, quote.speaker):
            if span is not None:
                assert text[span.start : span.end] == span.text
    for claim in sample_report.claims:
        assert text[claim.start : claim.end] == claim.text


def test_kirbys_two_phrases(sample_report):
    for start in ("ihre Truppen in Leichensäcken", "das weitere russische Flugzeuge"):
        quote = _quote(sample_report, start)
        assert quote.kind == "direct"
        assert "Kirby" in quote.speaker.text
        # regression: the speaker "der Sprecher des US Department of State John Kirby" was
        # linked to the department's cluster instead of the person's
        assert quote.speaker_name == "John Kirby"


def test_no_one_word_quote_without_cue(sample_report):
    """Regression: the tagger's slip "fortsetzen" became a free indirect quote by Kirby."""
    for quote in sample_report.quotes:
        if quote.kind != "direct" and quote.cue is None:
            assert len(quote.message.text.split()) >= 3, quote.message.text


def test_ministry_quote(sample_report):
    quote = _quote(sample_report, "ein klares Bekenntnis")
    assert "MOD" in quote.speaker.text or "Verteidigungsministerium" in quote.speaker.text


def test_konashenkovs_three_quotes(sample_report):
    starts = ("wie weit der US-amerikanische", "In Bezug auf Kirbys Drohungen", "Natürlich kann")
    for start in starts:
        quote = _quote(sample_report, start)
        assert "Konashenkov" in quote.speaker.text, (start, quote.speaker)
        assert "Konashenkov" in (quote.speaker_name or "")


def test_direct_threat_is_the_outlets_claim(sample_report):
    claims = [c for c in sample_report.claims if "direkte Drohung gegen Russland" in c.text]
    assert claims
    assert claims[0].attribution == "outlet" and claims[0].attributed_to is None


def test_attribution_shares_in_report(sample_report):
    shares = sample_report.credibility.attribution_shares
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
    assert shares["quotes"] > 0.2 and shares["outlet_assertions"] > 0.2


@pytest.mark.needs_shared_data
@pytest.mark.slow
def test_predict_and_evaluate_quotes_on_held_out_articles(shared_data, tmp_path):
    held_out = json.loads((MODEL_DIR / "metrics.json").read_text())["held_out_files"][:30]
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in held_out:
        shutil.copy(shared_data / "quotes-spkatt2023" / "train" / f"{name}.json", gold)
    result = run_cli("predict", "quotes", "--input", str(gold), "--output", str(tmp_path / "pred"))
    assert result.returncode == 0, result.stderr
    predicted = json.loads(next((tmp_path / "pred").glob("*.json")).read_text())
    assert all(a["IsNested"] is False for a in predicted["Annotations"])
    result = run_cli(
        "evaluate", "quotes", "--gold", str(gold), "--predicted", str(tmp_path / "pred")
    )
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout.strip().splitlines()[-1])
    assert scores["Message"]["f1"] > 0.6
    assert scores["Source"]["f1"] > 0.45


def test_predict_quotes_rejects_a_missing_directory(tmp_path):
    result = run_cli(
        "predict", "quotes", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "out")
    )
    assert result.returncode == 2
    assert b"not a directory" in result.stderr


@pytest.mark.needs_shared_data
@pytest.mark.slow
def test_predict_and_evaluate_subjectivity(shared_data, tmp_path):
    source = shared_data / "claims-checkthat2025" / "subjectivity" / "dev_de.tsv"
    gold = tmp_path / "gold.tsv"
    gold.write_text(
        "".join(source.read_text(encoding="utf-8").splitlines(True)[:61]), encoding="utf-8"
    )
    result = run_cli(
        "predict", "subjectivity", "--input", str(gold), "--output", str(tmp_path / "pred.tsv")
    )
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "pred.tsv").read_text().splitlines()
    assert lines[0] == "sentence_id\tlabel" and len(lines) == 61
    result = run_cli(
        "evaluate", "subjectivity", "--gold", str(gold), "--predicted", str(tmp_path / "pred.tsv")
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["macro_f1"] > 0.55


def test_train_subjectivity_on_a_missing_folder_is_one_clean_line(tmp_path):
    result = run_cli("train", "subjectivity", "--data", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr.startswith(b"newsaudit: cannot read")
    assert b"Traceback" not in result.stderr


@pytest.mark.needs_shared_data
@pytest.mark.slow
def test_predict_and_evaluate_checkworthiness(shared_data, tmp_path):
    source = shared_data / "claims-checkworthiness-ct24-en" / "CT24_checkworthy_english_dev.tsv"
    gold = tmp_path / "gold.tsv"
    gold.write_text(
        "".join(source.read_text(encoding="utf-8").splitlines(True)[:121]), encoding="utf-8"
    )
    result = run_cli(
        "predict", "checkworthiness", "--input", str(gold), "--output", str(tmp_path / "p.tsv")
    )
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "p.tsv").read_text().splitlines()
    assert lines[0] == "Sentence_id\tclass_label" and len(lines) == 121
    result = run_cli(
        "evaluate", "checkworthiness", "--gold", str(gold), "--predicted", str(tmp_path / "p.tsv")
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["f1_yes"] > 0.75
