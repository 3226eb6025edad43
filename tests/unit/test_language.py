from newsaudit.ingest import document_from_text
from newsaudit.nlp.language import detect_language


def test_a_script_no_served_language_uses_is_undetermined() -> None:
    # Regression: Arabic text got language "nl" at confidence 0.0.
    for text in (
        "مرحبا بكم في المدينة الجميلة، قال رئيس البلدية يوم الاثنين",
        "这是一个关于城市交通的新计划，市长周一表示",
    ):
        language, confidence = detect_language(text)
        assert language is None and confidence < 0.5


def test_served_languages_are_detected() -> None:
    assert detect_language("Der Rat in Bonn tagte am Montag.")[0] == "de"
    assert detect_language("The council in Leeds met on Monday.")[0] == "en"


def test_an_undetermined_article_skips_language_bound_analyzers() -> None:
    document = document_from_text("مرحبا بكم في المدينة الجميلة، قال رئيس البلدية يوم الاثنين")
    assert document.language is None
