"""Bytes to clean text: encoding detection, binary rejection, Unicode normalisation.

Normalisation keeps an :class:`OffsetMap` so offsets into the clean text can be mapped back
to the user's decoded input.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from newsaudit.config import DEFAULT_MAX_BYTES
from newsaudit.document import OffsetMap
from newsaudit.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never belong in prose (tab, newline, carriage return excluded).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Characters removed from the analysed text: soft hyphen, zero-width and bidi marks, BOM.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
_MAX_CONTROL_SHARE = 0.01


def check_size(size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    if size > max_bytes:
        raise InputError(
            f"input is {size / 1_048_576:.1f} MB, above the limit of "
            f"{max_bytes / 1_048_576:.1f} MB (raise it with --max-bytes)"
        )


def decode_bytes(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Decode ``data``; returns the text and the encoding used."""
    check_size(len(data), max_bytes)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if b"\x00" in data[:4096]:
        raise InputError("input looks like binary data (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("input looks like binary data: no text encoding fits it")
    text, encoding = str(best), best.encoding
    # Short Western European texts fool the detector; Windows-1252 is the usual culprit.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        return text, encoding
    if _prose_share(western) > _prose_share(text):
        return western, "cp1252"
    return text, encoding


def _prose_share(text: str) -> float:
    prose = sum(ch.isalpha() or ch.isspace() or ch in ".,;:!?-\"'()" for ch in text)
    return prose / max(1, len(text))


def check_text(text: str) -> None:
    """Reject text that is empty or mostly control characters (binary read as text)."""
    if not text.strip():
        raise InputError("input is empty: there is no text to analyse")
    if "\x00" in text:
        raise InputError("input looks like binary data (it contains NUL characters), not text")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls > max(2, _MAX_CONTROL_SHARE * min(len(text), 100_000)):
        raise InputError("input looks like binary data (too many control characters), not text")
    letters = sum(ch.isalpha() for ch in text[:100_000])
    if letters < 0.3 * min(len(text), 100_000) and letters < 20:
        raise InputError("input holds almost no letters: there is no prose to analyse")


def normalise(text: str) -> tuple[str, OffsetMap]:
    """NFC-normalise, unify line breaks and drop invisible characters, keeping a map back."""
    if (
        "\r" not in text
        and not any(ch in _INVISIBLE for ch in text)
        and not _CONTROL.search(text)
        and unicodedata.is_normalized("NFC", text)
    ):
        return text, OffsetMap()
    out: list[str] = []
    breakpoints: list[tuple[int, int]] = []
    out_len = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        j = i + 1
        if ch == "\r":
            if j < n and text[j] == "\n":
                j += 1
            piece = "\n"
        elif ch in _INVISIBLE or _CONTROL.match(ch):
            piece = ""
        else:
            while j < n and unicodedata.combining(text[j]):
                j += 1
            piece = unicodedata.normalize("NFC", text[i:j])
        if len(piece) != j - i:
            breakpoints.append((out_len + len(piece), j))
        out.append(piece)
        out_len += len(piece)
        i = j
    return "".join(out), OffsetMap(breakpoints)
