"""The Context's paragraph encodings: one encoder pass per paragraph for every analyzer, and
no more memory than the analyzers' heads need."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from newsaudit.analyzers import embeddings
from newsaudit.analyzers.embeddings import ParagraphEncodings
from newsaudit.pipeline import Pipeline, default_analyzers

PLACES = ("Kassel", "Bremen", "Ulm", "Passau", "Görlitz", "Leipzig")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """How often each text is encoded as a passage."""
    model = embeddings._embedder()
    encode = model.encode
    calls: Counter = Counter()

    def counting(text: str, prefix: str = "passage"):
        if prefix == "passage":
            calls[text] += 1
        return encode(text, prefix)

    monkeypatch.setattr(model, "encode", counting)
    return calls


@pytest.mark.slow
def test_each_paragraph_is_encoded_once_for_every_analyzer(counted: Counter) -> None:
    # Regression: a process memo of 256 paragraphs made the claims, techniques, genre and
    # narratives analyzers each encode again every paragraph of a longer text.
    from newsaudit.ingest import document_from_text

    lines = [
        f"Der Rat von {PLACES[i % len(PLACES)]} beriet am Montag über Antrag Nummer {i}."
        for i in range(270)
    ]
    document = document_from_text("Neuer Haushalt\n\n" + "\n\n".join(lines))
    pipeline = Pipeline(default_analyzers(["claims", "techniques", "genre_frames", "narratives"]))
    report = pipeline.run(document)
    assert all(a.status == "ok" for a in report.analyzers)
    assert report.claims and report.genre is not None
    paragraphs = [document.text[b.start : b.end] for b in document.analysable_blocks]
    assert len(paragraphs) > 256
    assert set(counted) == set(paragraphs)
    assert set(counted.values()) == {1}


def test_reads_are_the_heads_over_the_full_encoding() -> None:
    from newsaudit.analyzers.technique_model import attention_outputs
    from newsaudit.models import checkworthiness, techniques

    model, worthiness = techniques.load(), checkworthiness.load()
    texts = ["", "Die Regierung hat die Steuern erhöht, sagte der Minister am Montag in Berlin."]
    encodings = ParagraphEncodings(texts)
    encodings.register("techniques", model.piece_reader("de"))
    assert (
        encodings[0] is None and encodings.read(0, "techniques", model.piece_reader("de")) is None
    )
    full = embeddings._embedder().encode(texts[1])
    kept = encodings[1]
    assert kept is not None
    np.testing.assert_array_equal(kept.vector, full.vector)
    np.testing.assert_array_equal(kept.spans, full.spans)
    np.testing.assert_array_equal(kept.pooled(2), full.pooled(2))
    paragraph, pieces = encodings.read(1, "techniques", model.piece_reader("de"))
    expected, expected_pieces = attention_outputs(
        model.group("de").attention, [full], len(model.techniques)
    )
    np.testing.assert_array_equal(paragraph, expected[0])
    np.testing.assert_array_equal(pieces, expected_pieces[0])
    # A reader registered after the paragraph was encoded still gets its states.
    logits = encodings.read(1, "claims", worthiness.piece_logits)
    assert worthiness.score_pieces(logits, kept.spans, texts[1], 0, 30) == worthiness.score(
        full, texts[1], 0, 30
    )
    assert not hasattr(kept, "states")


def test_the_tokenizer_does_not_import_torch() -> None:
    # thinc imports torch when it is installed (the train extra): about 230 MB at start-up.
    code = (
        "import sys; from newsaudit.nlp.tokens import blank_pipeline; "
        "assert [t.text for t in blank_pipeline('de').tokenizer('Guten Tag!')] == "
        "['Guten', 'Tag', '!']; print('torch' in sys.modules)"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(src)},
    )
    assert out.stdout.strip() == "False"
