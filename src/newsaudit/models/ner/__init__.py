"""The packaged German NER (multilingual-e5-small fine-tuned on GermEval and four more
corpora; see MODEL_CARD.md): its folder and its one cached :func:`load`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from newsaudit.errors import ModelError

if TYPE_CHECKING:
    from newsaudit.encoder.tagger import EncoderTagger

MODEL_DIR = Path(__file__).resolve().parent
NAME = "newsaudit_ner_de"


def read(model_dir: Path = MODEL_DIR, threads: int = 1) -> EncoderTagger:
    """The tagger in ``model_dir``, uncached (training scores a fresh export with it)."""
    from newsaudit.encoder.tagger import MODEL_FILE, EncoderTagger

    if not (model_dir / MODEL_FILE).is_file() or not (model_dir / "labels.json").is_file():
        raise ModelError(
            f"the NER model is missing at {model_dir}; run 'newsaudit train ner' to build it"
        )
    try:
        return EncoderTagger(model_dir, threads)
    except Exception as exc:  # onnxruntime raises its own types for a broken graph
        raise ModelError(f"the NER model at {model_dir} cannot be read: {exc}") from exc


@lru_cache(maxsize=1)
def load() -> EncoderTagger:
    """The packaged tagger, loaded once per process."""
    return read()
