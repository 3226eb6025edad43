"""Each packaged model has one home with one cached load(); missing or broken files are a
ModelError, and the persuasion model's plain-data format reads back what it wrote."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest

from newsaudit.errors import ModelError
from newsaudit.models import checkworthiness, ner, quotes, subjectivity, techniques

TEXTS = [
    "Diese skrupellosen Verbrecher lügen uns jeden Tag ins Gesicht.",
    "Am Dienstag stellte das Ministerium seinen Haushaltsentwurf vor.",
]


def test_each_load_is_cached() -> None:
    for load in (
        ner.load,
        quotes.load,
        subjectivity.load_fast,
        techniques.load,
        checkworthiness.load,
    ):
        assert load() is load()


def test_persuasion_model_round_trips_through_its_files(tmp_path: Path) -> None:
    model = techniques.load()
    techniques.save(model, tmp_path)
    again = techniques.read(tmp_path)
    assert (again.techniques, again.genres, again.frames) == (
        model.techniques,
        model.genres,
        model.frames,
    )
    for language in ("de", "en"):
        np.testing.assert_array_equal(
            again.technique_scores(TEXTS, language), model.technique_scores(TEXTS, language)
        )
        np.testing.assert_array_equal(again.thresholds(language), model.thresholds(language))
        np.testing.assert_array_equal(
            again.genre_scores(" ".join(TEXTS), language),
            model.genre_scores(" ".join(TEXTS), language),
        )
    with np.load(techniques.MODEL_DIR / "arrays.npz", allow_pickle=False) as stored:
        assert stored["de/text_head/coef_int8"].dtype == np.int8
    with np.load(tmp_path / "arrays.npz", allow_pickle=False) as written:
        np.testing.assert_array_equal(
            written["de/text_head/coef_int8"],
            np.load(techniques.MODEL_DIR / "arrays.npz")["de/text_head/coef_int8"],
        )


def test_persuasion_model_without_a_file_is_a_model_error(tmp_path: Path) -> None:
    for name in techniques.FILES[:2]:
        shutil.copy(techniques.MODEL_DIR / name, tmp_path / name)
    with pytest.raises(ModelError, match="missing"):
        techniques.read(tmp_path)


def test_broken_model_files_are_a_model_error(tmp_path: Path) -> None:
    for name in techniques.FILES:
        shutil.copy(techniques.MODEL_DIR / name, tmp_path / name)
    (tmp_path / techniques.FILES[1]).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be read"):
        techniques.read(tmp_path)
    (tmp_path / techniques.FILES[1]).write_bytes(gzip.compress(b"{not json"))
    with pytest.raises(ModelError, match="cannot be read"):
        techniques.read(tmp_path)
    (tmp_path / "labels.json").write_text('{"version": "x", "labels": ["O"]}', encoding="utf-8")
    (tmp_path / "encoder.onnx").write_bytes(b"not an onnx graph")
    with pytest.raises(ModelError, match="cannot be read"):
        ner.read(tmp_path)
    with pytest.raises(ModelError, match="missing"):
        ner.read(tmp_path / "nowhere")


def test_ner_loads_once_for_the_analyzer_and_the_benchmark_command() -> None:
    from newsaudit.analyzers.entities import EntityAnalyzer, tag_sentences

    EntityAnalyzer().load()
    EntityAnalyzer().load()
    tag_sentences([["Angela", "Merkel", "spricht", "."]])
    assert ner.load.cache_info().misses == 1


def test_checkworthiness_head_missing_or_broken_is_a_model_error(tmp_path: Path) -> None:
    from newsaudit.nlp.checkworthiness import CheckworthinessModel

    with pytest.raises(ModelError, match="missing"):
        CheckworthinessModel(tmp_path / "head.npz")
    (tmp_path / "head.npz").write_bytes(b"not an npz")
    with pytest.raises(ModelError, match="broken"):
        CheckworthinessModel(tmp_path / "head.npz")


def test_the_packaged_models_fit_the_size_budget() -> None:
    """Issue 19: all packaged models together take at most 60 MB, since every shipped
    binary is in every clone; the persuasion arrays are stored compressed for that."""
    import zipfile

    from newsaudit.models import __file__ as models_init

    folder = Path(models_init).parent
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert total <= 60_000_000, f"packaged models take {total / 1e6:.1f} MB"
    with zipfile.ZipFile(techniques.MODEL_DIR / "arrays.npz") as stored:
        assert {i.compress_type for i in stored.infolist()} == {zipfile.ZIP_DEFLATED}
