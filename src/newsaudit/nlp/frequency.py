"""General-language word frequency (wordfreq's data), loaded in milliseconds.

Importing wordfreq itself costs about a second of start-up (it compiles large tokenizer
regexes), so this reads its bundled "small" frequency lists directly. Those list every word
down to a Zipf frequency of about 3 (once per million words); anything rarer gets
``RARE_ZIPF``, which is all a salience weight needs.
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

RARE_ZIPF = 2.0


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@lru_cache(maxsize=16)
def _zipf_table(language: str) -> dict[str, float]:
    import msgpack

    data_dir = _data_dir()
    path = data_dir / f"small_{language}.msgpack.gz" if data_dir else None
    if path is None or not path.exists():
        return {}
    with gzip.open(path, "rb") as stream:
        header, *buckets = msgpack.load(stream, raw=False)
    if header.get("format") != "cB":
        return {}
    # Bucket i holds the words whose frequency is 10 ** (-i / 100); Zipf = log10(freq * 1e9).
    return {word: 9.0 - i / 100 for i, bucket in enumerate(buckets) for word in bucket}


def zipf(word: str, language: str | None) -> float:
    """Zipf frequency of ``word`` (0 for unknown languages, ``RARE_ZIPF`` for rare words)."""
    if not language:
        return 0.0
    table = _zipf_table(language)
    if not table:
        return 0.0
    return table.get(word.lower(), RARE_ZIPF)
