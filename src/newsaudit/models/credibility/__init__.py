"""The packaged credibility score model (FANG-COVID training outlets; see MODEL_CARD.md): its
folder and its one cached :func:`load`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsaudit.nlp.credibility_score import CredibilityScorer, WordUse

MODEL_DIR = Path(__file__).resolve().parent
MODEL_FILE = MODEL_DIR / "score.json"
WORD_USE_FILE = MODEL_DIR / "word_use.npz"


@lru_cache(maxsize=1)
def load() -> CredibilityScorer:
    """The packaged score model, loaded once per process; ModelError when missing or broken."""
    from newsaudit.nlp.credibility_score import CredibilityScorer

    return CredibilityScorer.read(MODEL_FILE)


@lru_cache(maxsize=1)
def load_word_use() -> WordUse:
    """The packaged word-use head, loaded once per process; ModelError when missing or broken."""
    from newsaudit.nlp.credibility_score import WordUse

    return WordUse(WORD_USE_FILE)
