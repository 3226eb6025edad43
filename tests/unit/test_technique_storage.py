"""How the packaged persuasion model stores its TF-IDF heads: int8 per label column."""

from __future__ import annotations

import gzip
import json

import numpy as np

from newsaudit.models import techniques


def test_int8_columns_round_to_their_own_scale() -> None:
    rng = np.random.default_rng(0)
    coef = (rng.normal(size=(500, 3)) * np.array([1.0, 0.01, 0.0])).astype(np.float16)
    weights, scale = techniques.quantised(coef)
    assert weights.dtype == np.int8 and scale.dtype == np.float32
    back = techniques.dequantised(weights, scale).astype(np.float32)
    error = np.abs(back - coef.astype(np.float32)).max(axis=0)
    assert (error[:2] <= scale[:2] * 0.5 + np.abs(coef[:, :2]).max(axis=0) * 1e-3).all()
    assert not back[:, 2].any()


def test_packaged_text_heads_are_int8_and_read_back() -> None:
    with np.load(techniques.MODEL_DIR / "arrays.npz") as stored:
        names = set(stored.files)
        assert stored["de/text_head/coef_int8"].dtype == np.int8
    assert "de/text_head/coef" not in names and "multi/frames_text/coef_int8" in names
    assert "de/genre_e5/coef" in names  # the small e5 heads keep their float16
    group = techniques.load().groups["de"]
    assert group.text_head.coef.dtype == np.float16
    assert group.text_head.coef.shape == (group.features.n_features, 23)


def test_a_language_group_is_built_when_first_used_and_once() -> None:
    model = techniques.read()
    assert model.groups._built == {}
    german = model.group("de")
    assert list(model.groups._built) == ["de"] and model.group("de") is german
    with gzip.open(techniques.MODEL_DIR / techniques.FILES[1]) as handle:
        assert german.features.word.vocabulary == json.load(handle)["de/word"]
    assert model.group("en") is model.groups["multi"] and len(model.groups) == 2


def test_a_damaged_group_array_is_a_model_error_when_the_group_is_built(tmp_path) -> None:  # noqa: ANN001
    import shutil

    import pytest

    from newsaudit.errors import ModelError

    for name in techniques.FILES:
        shutil.copy(techniques.MODEL_DIR / name, tmp_path / name)
    with np.load(techniques.MODEL_DIR / "arrays.npz") as stored:
        arrays = {k: stored[k] for k in stored.files if k != "multi/attention/key"}
    np.savez_compressed(tmp_path / "arrays.npz", **arrays)
    model = techniques.read(tmp_path)
    assert model.group("de").attention.key.shape == (1536, 128)
    with pytest.raises(ModelError, match="cannot be read"):
        model.group("en")
