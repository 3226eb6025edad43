"""The packaged persuasion model (techniques, evidence, genre, frames): its files and its
one cached :func:`load`.

Stored as plain data, not a pickle: ``model.json`` (labels, blend weights, views, TF-IDF
options), ``vocabulary.json.gz`` (the TF-IDF feature names, gzipped: a fifth of the
size; a start reads its language group's names from a copy in the user cache,
:func:`newsaudit.cache.string_lists`), ``arrays.npz`` (every weight
with its dtype, compressed, each language group's read when the group is first used; the
TF-IDF heads' coefficients in int8, see :func:`quantised`) and ``calibration.json`` (the flag
calibrators per language group, fitted on held-out scores). `newsaudit train techniques`
writes the first three with :func:`save`, `newsaudit train technique-calibration` the
calibrators with :func:`save_calibrators`; see MODEL_CARD.md.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator, Mapping
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsaudit.errors import ModelError

if TYPE_CHECKING:
    import numpy as np

    from newsaudit.analyzers.technique_calibration import Calibrator
    from newsaudit.analyzers.technique_model import GroupModel, LinearHead, TechniqueModel

MODEL_DIR = Path(__file__).resolve().parent
FILES = ("model.json", "vocabulary.json.gz", "arrays.npz")
CALIBRATION = "calibration.json"
REFERENCE = "persuasion_reference.json"
FORMAT = 1
_HEADS = ("text_head", "genre_text", "genre_e5", "frames_text", "frames_e5", "genre_style")
# The TF-IDF heads: one weight per n-gram, 93% of the weights (200,000 rows for `multi`).
_INT8_HEADS = frozenset({"text_head", "genre_text", "frames_text"})
_FEATURES = ("word", "char")


def save(model: TechniqueModel, directory: Path = MODEL_DIR) -> list[Path]:
    """Write ``model`` as the three files of this package; returns their paths."""
    import numpy as np

    arrays: dict[str, np.ndarray] = {}
    vocabulary: dict[str, list[str]] = {}
    groups = {
        name: _group_meta(name, group, arrays, vocabulary) for name, group in model.groups.items()
    }
    meta = {
        "format": FORMAT,
        "version": model.version,
        "techniques": model.techniques,
        "genres": model.genres,
        "frames": model.frames,
        "languages": model.languages,
        "groups": groups,
    }
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / name for name in FILES]
    paths[0].write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    with gzip.GzipFile(paths[1], "wb", mtime=0) as handle:
        handle.write(json.dumps(vocabulary, ensure_ascii=False).encode("utf-8"))
    np.savez_compressed(paths[2], **arrays)
    return paths


def save_calibrators(calibrators: dict[str, Calibrator], directory: Path = MODEL_DIR) -> Path:
    """Write the calibrators (by language group) as ``calibration.json``."""
    path = directory / CALIBRATION
    data = {"format": FORMAT, "groups": {k: c.to_json() for k, c in calibrators.items()}}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def read_calibrators(directory: Path = MODEL_DIR) -> dict[str, Calibrator]:
    """The stored calibrators by language group; none when the file is absent."""
    from newsaudit.analyzers.technique_calibration import Calibrator

    path = directory / CALIBRATION
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: Calibrator.from_json(c) for name, c in data["groups"].items()}


def read_reference(directory: Path = MODEL_DIR) -> dict[str, dict[str, Any]]:
    """By language, flag rates per 1,000 words of the reference articles of everyday news
    (``bench/persuasion_reference.py`` writes them); empty when the file is absent."""
    path = directory / REFERENCE
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["languages"]


def _group_meta(
    name: str, group: GroupModel, arrays: dict[str, np.ndarray], vocabulary: dict[str, list[str]]
) -> dict[str, Any]:
    arrays[f"{name}/thresholds"] = group.thresholds
    if group.frame_thresholds is not None:
        arrays[f"{name}/frame_thresholds"] = group.frame_thresholds
    for language, thresholds in group.language_thresholds.items():
        arrays[f"{name}/language_thresholds/{language}"] = thresholds
    heads = [h for h in _HEADS if getattr(group, h) is not None]
    for head in heads:
        coef = getattr(group, head).coef
        if head in _INT8_HEADS:
            arrays[f"{name}/{head}/coef_int8"], arrays[f"{name}/{head}/coef_scale"] = quantised(
                coef
            )
        else:
            arrays[f"{name}/{head}/coef"] = coef
        arrays[f"{name}/{head}/intercept"] = getattr(group, head).intercept
    for f in fields(group.attention):
        arrays[f"{name}/attention/{f.name}"] = getattr(group.attention, f.name)
    features = {}
    for kind in _FEATURES:
        tfidf = getattr(group.features, kind)
        arrays[f"{name}/features/{kind}/idf"] = tfidf.idf
        vocabulary[f"{name}/{kind}"] = tfidf.vocabulary
        features[kind] = tfidf.options()
    return {
        "features": features,
        "heads": heads,
        "default_mix": vars(group.default_mix),
        "language_mix": {k: vars(v) for k, v in group.language_mix.items()},
        "language_thresholds": sorted(group.language_thresholds),
        "genre_style_weight": group.genre_style_weight,
        "genre_view": group.genre_view,
        "frames_view": group.frames_view,
    }


def quantised(coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(int8 weights, float32 scale per label column): a column's weights rounded to 255
    levels of its largest magnitude. WHY: it halves the largest file of the package; on the
    SemEval paragraphs it changed 3 of 3,633 German flags and no genre or frame (see
    MODEL_CARD.md)."""
    import numpy as np

    values = coef.astype(np.float32)
    scale = np.abs(values).max(axis=0) / 127
    scale[scale == 0] = 1.0
    return np.round(values / scale).astype(np.int8), scale.astype(np.float32)


def dequantised(weights: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The float16 coefficients :class:`LinearHead` holds, from :func:`quantised`'s pair."""
    import numpy as np

    return (weights.astype(np.float32) * scale).astype(np.float16)


def read(directory: Path = MODEL_DIR) -> TechniqueModel:
    """The model stored in ``directory`` (uncached); ModelError when missing or broken.
    Its language groups are built when first used (:class:`LazyGroups`)."""
    import numpy as np

    from newsaudit.analyzers.technique_model import TechniqueModel
    from newsaudit.cache import string_lists

    if not all((directory / name).is_file() for name in FILES):
        raise ModelError(
            f"the techniques model is missing at {directory}; run `newsaudit train techniques`"
        )
    try:
        meta = json.loads((directory / FILES[0]).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"format {meta.get('format')!r}, expected {FORMAT}")
        string_lists(directory / FILES[1], names=())  # a damaged file fails here
        with np.load(directory / FILES[2], allow_pickle=False) as stored:
            names = set(stored.files)  # a damaged archive fails here, not at first use
        missing = [g for g in meta["groups"] if f"{g}/thresholds" not in names]
        if missing:
            raise KeyError(f"no arrays for the groups {missing}")
        return TechniqueModel(
            techniques=meta["techniques"],
            genres=meta["genres"],
            frames=meta["frames"],
            groups=LazyGroups(directory, meta["groups"]),
            languages=meta["languages"],
            version=meta["version"],
            calibrators=read_calibrators(directory),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"the techniques model at {directory} cannot be read: {exc}") from exc


class LazyGroups(Mapping[str, "GroupModel"]):
    """The stored language groups by name, each built when first read, from the arrays'
    uncompressed copy in the user cache (:func:`newsaudit.cache.npz_arrays`). WHY: a German
    article uses the ``de`` group alone, and building ``multi`` too (its 200,000 TF-IDF
    features, 80% of the arrays: decompressing and dequantising them) took half of the
    model's load (0.19 CPU-s against 0.09), at every start."""

    def __init__(self, directory: Path, meta: dict[str, Any]) -> None:
        self.directory = directory
        self.meta = meta
        self._built: dict[str, GroupModel] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> GroupModel:
        if name not in self._built:
            with self._lock:
                if name not in self._built:
                    self._built[name] = self._build(name)
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.meta)

    def __len__(self) -> int:
        return len(self.meta)

    def _build(self, name: str) -> GroupModel:
        from newsaudit.cache import npz_arrays, string_lists

        group = self.meta[name]  # KeyError for an unknown group, as a dict raises
        try:
            arrays = npz_arrays(self.directory / FILES[2], f"{name}/")
            vocabulary = string_lists(
                self.directory / FILES[1], [f"{name}/{kind}" for kind in _FEATURES]
            )
            return _group(name, group, arrays, vocabulary)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(
                f"the techniques model at {self.directory} cannot be read: {exc}"
            ) from exc


def _group(
    name: str, meta: dict[str, Any], arrays: dict[str, np.ndarray], vocabulary: dict[str, Any]
) -> GroupModel:
    from newsaudit.analyzers.technique_model import (
        AttentionHead,
        GroupModel,
        LinearHead,
        Mix,
        TextFeatures,
    )
    from newsaudit.nlp.tfidf import Tfidf

    def head(key: str) -> LinearHead | None:
        if key not in meta["heads"]:
            return None
        prefix = f"{name}/{key}"
        if f"{prefix}/coef_int8" in arrays:
            coef = dequantised(arrays[f"{prefix}/coef_int8"], arrays[f"{prefix}/coef_scale"])
        else:
            coef = arrays[f"{prefix}/coef"]
        return LinearHead(coef, arrays[f"{prefix}/intercept"])

    features = {
        kind: Tfidf.from_options(
            meta["features"][kind],
            vocabulary[f"{name}/{kind}"],
            arrays[f"{name}/features/{kind}/idf"],
        )
        for kind in _FEATURES
    }
    attention = AttentionHead(
        **{f.name: arrays[f"{name}/attention/{f.name}"] for f in fields(AttentionHead)}
    )
    return GroupModel(
        features=TextFeatures(**features),
        text_head=head("text_head"),
        thresholds=arrays[f"{name}/thresholds"],
        attention=attention,
        default_mix=Mix(**meta["default_mix"]),
        genre_text=head("genre_text"),
        genre_e5=head("genre_e5"),
        frames_text=head("frames_text"),
        frames_e5=head("frames_e5"),
        frame_thresholds=arrays.get(f"{name}/frame_thresholds"),
        genre_style=head("genre_style"),
        genre_style_weight=meta["genre_style_weight"],
        genre_view=meta["genre_view"],
        frames_view=meta["frames_view"],
        language_thresholds={
            lang: arrays[f"{name}/language_thresholds/{lang}"]
            for lang in meta["language_thresholds"]
        },
        language_mix={k: Mix(**v) for k, v in meta["language_mix"].items()},
    )


@lru_cache(maxsize=1)
def load() -> TechniqueModel:
    """The packaged model, read once per process."""
    return read(MODEL_DIR)
