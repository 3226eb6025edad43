"""The packaged known-narratives model (EUvsDisinfo index and verifier; see MODEL_CARD.md):
its files and its one cached :func:`load`.

Plain data, no pickle: ``index.npz`` (int8 e5 vectors of the case titles and summaries
with a float16 scale per row, the case of each row, the narrative group of each case, the
mean e5 vector of each language, the query gate's fact bank, int8 likewise, and the
projection, means and offsets of the late interaction's title pieces), ``pieces.npy`` (the
case titles' projected int8 piece states, memory-mapped: WHY: a sentence reads the pieces
of its 20 candidates, and decompressing all 207,000 doubled the model's load time),
``cases.json.gz`` (what a user is shown about each case) and ``verifier.json`` (the
verifier's weights, its calibration, the threshold over which a match is shown, the query
gate's weights and threshold, and how many cases a sentence shows at most).
`newsaudit train narratives` writes them.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsaudit.errors import ModelError

if TYPE_CHECKING:
    from newsaudit.analyzers.narrative_matcher import CaseInfo, NarrativeModel

MODEL_DIR = Path(__file__).resolve().parent
FILES = ("index.npz", "cases.json.gz", "verifier.json", "pieces.npy")


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


class CaseRecords(Sequence["CaseInfo"]):
    """The cases of ``cases.json.gz`` as :class:`CaseInfo`, each made when first read.
    WHY: a sentence reads the few cases it matches; making all 11,500 took a fifth of the
    model's load time."""

    def __init__(self, records: list[dict[str, Any]], database: str) -> None:
        self.records = records
        self.database = database
        self._made: dict[int, CaseInfo] = {}

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, row):  # type: ignore[override]
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self.records)
        if row not in self._made:
            self._made[row] = case_from_record(self.records[row], self.database)
        return self._made[row]


def read(directory: Path = MODEL_DIR) -> NarrativeModel:
    """The model in ``directory``; ModelError when a file is missing or broken."""
    import numpy as np

    from newsaudit.analyzers.narrative_matcher import (
        NarrativeModel,
        QueryGate,
        TitlePieces,
        Verifier,
        dequantize,
    )
    from newsaudit.cache import npz_arrays

    missing = [name for name in FILES if not (directory / name).is_file()]
    if missing:
        raise ModelError(
            f"the narratives model is missing {', '.join(missing)} in {directory}",
            cli_hint="run `newsaudit train narratives`",
        )
    try:
        arrays = npz_arrays(directory / "index.npz")
        vectors = dequantize(arrays["vectors"], arrays["scale"])
        means = {k.removeprefix("mean_"): arrays[k] for k in arrays if k.startswith("mean_")}
        groups, entry_case = arrays["groups"], arrays["entry_case"]
        facts = dequantize(arrays["facts"], arrays["facts_scale"]) if "facts" in arrays else None
        pieces = (
            TitlePieces(
                projection=arrays["piece_projection"],
                means={
                    k.removeprefix("piece_mean_"): arrays[k]
                    for k in arrays
                    if k.startswith("piece_mean_")
                },
                states=np.load(directory / "pieces.npy", mmap_mode="r", allow_pickle=False),
                offsets=arrays["piece_offsets"],
            )
            if "piece_offsets" in arrays
            else None
        )
        # One decompress and one parse of bytes: 0.052 CPU-s, where reading it through a
        # text stream took 0.076 at every start.
        meta = json.loads(gzip.decompress((directory / "cases.json.gz").read_bytes()))
        settings = json.loads((directory / "verifier.json").read_text(encoding="utf-8"))
        cases = CaseRecords(meta["cases"], meta["database"])
        if not all(isinstance(r, dict) and "id" in r and "title" in r for r in meta["cases"]):
            raise ValueError("a case has no id or title")
        verifier = Verifier.from_json(settings["verifier"])
        if len(cases) != len(groups):
            raise ValueError(f"{len(cases)} cases but {len(groups)} groups")
        threshold = float(settings["threshold"])
        query_gate = (
            QueryGate.from_json(settings["query_gate"], facts)
            if facts is not None and "query_gate" in settings
            else None
        )
        return NarrativeModel(
            vectors,
            cases,
            means,
            verifier,
            threshold,
            groups=groups,
            entry_case=entry_case,
            gate=float(settings.get("gate", -1.0)),
            query_gate=query_gate,
            max_shown=int(settings.get("max_shown", 10)),
            pieces=pieces,
        )
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ModelError(f"the narratives model in {directory} cannot be read: {exc}") from exc


@lru_cache(maxsize=1)
def load() -> NarrativeModel:
    """The packaged model, loaded once per process."""
    return read(MODEL_DIR)
