"""The packaged quote tagger (speaker attribution, trained on SpkAtt-2023; see
MODEL_CARD.md): its folder and its one cached :func:`load`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsaudit.nlp.quote_tagger import QuoteTagger

MODEL_DIR = Path(__file__).resolve().parent
MODEL_FILE = MODEL_DIR / "tagger.npz"


@lru_cache(maxsize=1)
def load() -> QuoteTagger:
    """The packaged tagger, loaded once per process; ModelError when missing or broken."""
    from newsaudit.nlp.quote_tagger import QuoteTagger

    return QuoteTagger(MODEL_FILE)
