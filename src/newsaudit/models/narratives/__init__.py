"""The packaged known-narratives model (EUvsDisinfo index and verifier; see MODEL_CARD.md):
its files and its one cached :func:`load`.

Plain data, no pickle: ``index.npz`` (int8 e5 vectors of the case titles and summaries
with a float16 scale per row, the case of each row, the narrative group of each case, and
the mean e5 vector of each language), ``cases.json.gz`` (what a user is
shown about each case) and ``verifier.json`` (the verifier's weights, its calibration and the
threshold over which a match is shown). `newsaudit train narratives` writes them.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsaudit.errors import ModelError

if TYPE_CHECKING:
    from newsaudit.analyzers.narrative_matcher import CaseInfo, NarrativeModel

MODEL_DIR = Path(__file__).resolve().parent
FILES = ("index.npz", "cases.json.gz", "verifier.json")


def case_record(case: CaseInfo) -> dict[str, Any]:
    record = {
        "id": case.case_id,
        "title": case.title,
        "url": case.url,
        "date": case.date,
        "disproof": case.disproof,
        "keywords": list(case.keywords),
        "outlets": list(case.outlets),
    }
    return {k: v for k, v in record.items() if v} | {"id": case.case_id, "title": case.title}


def case_from_record(record: dict[str, Any], database: str) -> CaseInfo:
    from newsaudit.analyzers.narrative_matcher import CaseInfo

    return CaseInfo(
        case_id=str(record["id"]),
        title=str(record["title"]),
        url=record.get("url"),
        date=record.get("date"),
        disproof=record.get("disproof", ""),
        database=record.get("database", database),
        keywords=tuple(record.get("keywords", ())),
        outlets=tuple(record.get("outlets", ())),
    )


def read(directory: Path = MODEL_DIR) -> NarrativeModel:
    """The model in ``directory``; ModelError when a file is missing or broken."""
    import numpy as np

    from newsaudit.analyzers.narrative_matcher import NarrativeModel, Verifier, dequantize

    missing = [name for name in FILES if not (directory / name).is_file()]
    if missing:
        raise ModelError(
            f"the narratives model is missing {', '.join(missing)} in {directory}",
            cli_hint="run `newsaudit train narratives`",
        )
    try:
        with np.load(directory / "index.npz", allow_pickle=False) as arrays:
            vectors = dequantize(arrays["vectors"], arrays["scale"])
            means = {
                k.removeprefix("mean_"): arrays[k] for k in arrays.files if k.startswith("mean_")
            }
            groups, entry_case = arrays["groups"], arrays["entry_case"]
        with gzip.open(directory / "cases.json.gz", "rt", encoding="utf-8") as handle:
            meta = json.load(handle)
        settings = json.loads((directory / "verifier.json").read_text(encoding="utf-8"))
        cases = [case_from_record(r, meta["database"]) for r in meta["cases"]]
        verifier = Verifier.from_json(settings["verifier"])
        if len(cases) != len(groups):
            raise ValueError(f"{len(cases)} cases but {len(groups)} groups")
        threshold = float(settings["threshold"])
        return NarrativeModel(
            vectors,
            cases,
            means,
            verifier,
            threshold,
            groups=groups,
            entry_case=entry_case,
            gate=float(settings.get("gate", -1.0)),
        )
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ModelError(f"the narratives model in {directory} cannot be read: {exc}") from exc


@lru_cache(maxsize=1)
def load() -> NarrativeModel:
    """The packaged model, loaded once per process."""
    return read(MODEL_DIR)
