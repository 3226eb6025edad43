"""e5 encodings of paragraphs shared by the techniques and genre/frames analyzers.

Encoding is the main cost of those analyzers, so each paragraph is encoded once per
process: a small memo keyed by text lets the second analyzer reuse the first one's work.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsaudit.encoder.embedder import Encoded

_MEMO_SIZE = 256
_memo: OrderedDict[str, Encoded] = OrderedDict()
_model: Any = None


def _embedder() -> Any:
    global _model
    if _model is None:
        from newsaudit.encoder.embedder import Embedder

        _model = Embedder(threads=int(os.environ.get("NEWSAUDIT_THREADS", "1")))
    return _model


def paragraph_encodings(texts: Sequence[str]) -> list[Encoded | None]:
    """The e5 encoding of each text (``None`` for an empty one); piece spans are offsets
    into the text as given."""
    out: list[Encoded | None] = []
    for text in texts:
        if not text.strip():
            out.append(None)
            continue
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if key in _memo:
            _memo.move_to_end(key)
        else:
            _memo[key] = _embedder().encode(text)
            if len(_memo) > _MEMO_SIZE:
                _memo.popitem(last=False)
        out.append(_memo[key])
    return out
