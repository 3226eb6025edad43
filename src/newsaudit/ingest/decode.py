"""Bytes to clean text: encoding detection, binary rejection, Unicode normalisation.

Normalisation keeps an :class:`OffsetMap` so offsets into the clean text can be mapped back
to the user's decoded input.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

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
# Random bytes read as text: letters switch from lower to upper case inside words ("kÄ£xQ").
_MAX_CASE_SWITCH_SHARE = 0.1
REPLACEMENT = "\ufffd"


def check_size(size: int, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    if size > max_bytes:
        raise InputError(
            f"input is {size / 1_048_576:.1f} MB, above the limit of "
            f"{max_bytes / 1_048_576:.1f} MB (raise it with --max-bytes)"
        )


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding used, and what the user should know about it."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte order mark, told apart from binary data by its high bytes:
    a script's characters share one high byte (0 for Latin, 4 for Cyrillic) and spaces and
    punctuation have 0, so high bytes are NUL often and nearly all alike, low bytes never NUL."""
    sample = data[:4096]
    if len(sample) < 16:
        return None
    half = len(sample) // 2
    for high, low, encoding in (
        (sample[1::2], sample[0::2], "utf-16-le"),
        (sample[0::2], sample[1::2], "utf-16-be"),
    ):
        common = max(high.count(b) for b in set(high) - {0}) if set(high) - {0} else 0
        alike = (high.count(0) + common) / half
        if high.count(0) >= 0.1 * half and low.count(0) <= 0.01 * half and alike >= 0.9:
            try:
                return data[: len(data) - len(data) % 2].decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes (a stray byte, a truncated character), bad bytes replaced.

    Valid multi-byte sequences almost never arise by chance in legacy-encoded text, so at
    least as many of them as bad bytes means the file is UTF-8 with damage, not Windows-1252.
    """
    text = data.decode("utf-8", "replace")
    bad = text.count(REPLACEMENT) - data.count(REPLACEMENT.encode())
    valid = sum(1 for ch in text if ord(ch) > 127) - text.count(REPLACEMENT)
    if valid < max(1, bad):
        return None
    return Decoded(text, "utf-8", (_replaced(bad),))


def decode_row(data: bytes) -> Decoded:
    """A JSON Lines or CSV row, UTF-8 by its format: a few bad bytes (at most 1 in 100) are
    replaced with a warning, more mean binary data."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", "replace")
    bad = text.count(REPLACEMENT) - data.count(REPLACEMENT.encode())
    if bad > max(1, len(data) // 100):
        raise InputError("row is not valid UTF-8 (binary data?)")
    return Decoded(text, "utf-8", (_replaced(bad),))


def _replaced(bad: int) -> str:
    return f"{bad} byte(s) were not valid UTF-8 and were replaced by {REPLACEMENT}"


def decode_bytes(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode ``data``: UTF-8 first (also when slightly damaged), a legacy code page only when
    the bytes decode cleanly in it and not as UTF-8."""
    check_size(len(data), max_bytes)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding, "replace"), encoding)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return Decoded(utf16, "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    damaged = _mostly_utf8(data)
    if damaged is not None:
        return damaged
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("input looks like binary data: no text encoding fits it")
    text, encoding = str(best), best.encoding
    # Short Western European texts fool the detector; Windows-1252 is the usual culprit.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        return Decoded(text, encoding)
    if _prose_share(western) > _prose_share(text):
        return Decoded(western, "cp1252")
    return Decoded(text, encoding)


def _prose_share(text: str) -> float:
    prose = sum(ch.isalpha() or ch.isspace() or ch in ".,;:!?-\"'()" for ch in text)
    return prose / max(1, len(text))


def _case_switch_share(sample: str) -> float:
    """Share of adjacent letter pairs that go from lower to upper case."""
    pairs = switches = 0
    for a, b in zip(sample, sample[1:], strict=False):
        if a.isalpha() and b.isalpha():
            pairs += 1
            switches += a.islower() and b.isupper()
    return switches / pairs if pairs >= 50 else 0.0


def check_text(text: str) -> None:
    """Reject text that is empty, mostly control characters or noise (binary read as text).

    A few stray control characters (a NUL) are not a reason: :func:`normalise` removes them.
    """
    if not text.strip():
        raise InputError("input is empty: there is no text to analyse")
    sample = text[:100_000]
    controls = len(_CONTROL.findall(sample))
    if controls > max(2, _MAX_CONTROL_SHARE * len(sample)):
        raise InputError("input looks like binary data (too many control characters), not text")
    letters = sum(ch.isalpha() for ch in sample)
    if letters < 0.3 * len(sample) and letters < 20:
        raise InputError("input holds almost no letters: there is no prose to analyse")
    if _case_switch_share(sample[:20_000]) > _MAX_CASE_SWITCH_SHARE:
        raise InputError(
            "input looks like binary data decoded as text, not prose "
            "(its letters switch case at random)"
        )


def control_characters(text: str) -> int:
    """How many characters :func:`normalise` drops as control characters."""
    return len(_CONTROL.findall(text))


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
