import re

from newsaudit import analyze
from newsaudit.nlp.tokens import stop_words


def test_sample_keywords_are_salient_names_and_phrases(sample_path) -> None:
    report = analyze(sample_path)
    texts = [k.text for k in report.keywords]
    assert 5 <= len(texts) <= 10
    for expected in ("Kirby", "Aleppo", "Konashenkov"):
        # an entity keyword is named by its cluster's canonical name ("Igor Konashenkov")
        assert any(expected in t.split() for t in texts), texts
    kirby = next(k for k in report.keywords if "Kirby" in k.text.split())
    assert {"Kirby", "Kirbys"} <= {o.text for o in kirby.occurrences}
    stops = stop_words("de")
    for keyword in report.keywords:
        assert keyword.text.lower() not in stops
        assert not re.fullmatch(r"[\d\W]+", keyword.text)
        assert keyword.occurrences
        for span in keyword.occurrences:
            assert report.text[span.start : span.end] == span.text
    assert [k.score for k in report.keywords] == sorted(
        (k.score for k in report.keywords), reverse=True
    )


def test_keywords_are_deduplicated_by_lemma() -> None:
    text = (
        "Die Drohung wurde ernst genommen. Drohungen gegen Journalisten nehmen zu. "
        "Nach der Drohung reagierte die Polizei in Hamburg. Die Polizei ermittelt in Hamburg. "
        "Hamburg verstärkt den Schutz von Journalisten."
    )
    report = analyze(text)
    lemmas = [k.lemma for k in report.keywords]
    assert len(lemmas) == len(set(lemmas))
    drohung = next(k for k in report.keywords if k.lemma == "drohung")
    assert {o.text for o in drohung.occurrences} == {"Drohung", "Drohungen"}


def test_english_keywords_skip_stopwords_and_numbers() -> None:
    text = (
        "The drug war has failed, scientists say. The war on drugs cost 1000 billion dollars. "
        "The United Nations called for drug policy reform. The United Nations report was "
        "published in 2024 and praised Portugal, where drug use was decriminalised."
    )
    report = analyze(text)
    texts = [k.text for k in report.keywords]
    assert "drug" in texts and "United Nations" in texts
    assert not any(t.lower() in stop_words("en") or t.isdigit() for t in texts)
