"""The packaged check-worthiness head (CheckThat! 2024 Task 1 English; see MODEL_CARD.md):
its folder and its one cached :func:`load`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsaudit.nlp.checkworthiness import CheckworthinessModel

MODEL_DIR = Path(__file__).resolve().parent
MODEL_FILE = MODEL_DIR / "head.npz"


@lru_cache(maxsize=1)
def load() -> CheckworthinessModel:
    """The packaged head, loaded once per process; ModelError when missing or broken."""
    from newsaudit.nlp.checkworthiness import CheckworthinessModel

    return CheckworthinessModel(MODEL_FILE)
