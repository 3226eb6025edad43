"""spaCy as the text layer imports it: stop words without a pipeline, no command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import newsaudit
from newsaudit.nlp.tokens import blank_pipeline, stop_words


@pytest.mark.parametrize("language", ["de", "en", "ru", None, "ar"])
def test_stop_words_are_the_blank_pipelines_own(language: str | None) -> None:
    expected = frozenset(w.lower() for w in blank_pipeline(language).Defaults.stop_words)
    assert stop_words(language) == expected
    assert ("und" in stop_words(language)) == (language == "de")


def test_spacy_is_imported_without_its_command_line_which_still_works_when_asked() -> None:
    script = (
        "import sys\n"
        "from newsaudit.nlp.tokens import import_spacy\n"
        "spacy = import_spacy()\n"
        "assert 'spacy.cli' not in sys.modules and 'torch' not in sys.modules\n"
        "assert [t.text for t in spacy.blank('de').tokenizer('Hallo (Welt).')] == "
        "['Hallo', '(', 'Welt', ')', '.']\n"
        "assert callable(spacy.info)\n"
        "import spacy.cli\n"
        "assert callable(spacy.cli.info)\n"
    )
    src = Path(newsaudit.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
