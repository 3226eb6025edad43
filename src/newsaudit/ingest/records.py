"""Split corpus files into raw records with a bound on memory, whatever a record holds.

A JSON Lines row or a CSV record longer than the limit is skipped and reported by its size,
never read whole: a small ``.jsonl.gz`` can hold a gigabyte-long line. CSV records are cut
where a newline outside quotes ends them, reading quotes as the ``csv`` module does, so one
oversized or broken record never shifts or swallows the records after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

_CHUNK = 1 << 16


@dataclass(frozen=True)
class Oversized:
    """A record above the limit: its first kilobyte (to find its id) and its size."""

    head: bytes
    size: int


def jsonl_lines(stream: IO[bytes], limit: int) -> Iterator[bytes | Oversized]:
    """Every line of ``stream`` (newline kept), or :class:`Oversized` for one above ``limit``."""
    while line := stream.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while chunk := stream.readline(_CHUNK):
            size += len(chunk)
            if chunk.endswith(b"\n"):
                break
        yield Oversized(head=line[:1024], size=size)


class _Record:
    """The bytes of the record being read, dropped (but counted) once above the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.head = b""
        self.size = 0

    def add(self, part: bytes) -> None:
        if not part:
            return
        if not self.size:
            self.head = part[:1024]
        self.size += len(part)
        if self.size <= self.limit:
            self.parts.append(part)
        else:
            self.parts.clear()

    def take(self) -> bytes | Oversized | None:
        """The finished record (None if it was empty) and a fresh start."""
        if self.size > self.limit:
            result: bytes | Oversized | None = Oversized(head=self.head, size=self.size)
        else:
            data = b"".join(self.parts)
            result = data if data.strip(b"\r\n") else None
        self.parts, self.head, self.size = [], b"", 0
        return result


def csv_records(stream: IO[bytes], delimiter: bytes, limit: int) -> Iterator[bytes | Oversized]:
    """Raw CSV records of ``stream`` (empty lines skipped), read in bounded chunks.

    Quotes follow the ``csv`` module's default dialect: a quote opens a quoted field only at
    the start of a field, ``""`` inside one is a quote, and any other quote is a character.
    """
    special = re.compile(b'["\n' + re.escape(delimiter) + b"]")
    record = _Record(limit)
    in_quotes = False
    field_start = True  # no byte of the current field read yet
    quote_pending = False  # a quote ended the last chunk inside a quoted field
    while chunk := stream.read(_CHUNK):
        done = i = 0  # chunk[:done] is in the record; chunk[:i] is parsed
        if quote_pending:
            quote_pending = False
            if chunk.startswith(b'"'):
                i = 1  # the two quotes were one escaped quote
            else:
                in_quotes = field_start = False
        while (match := special.search(chunk, i)) is not None:
            j = match.start()
            byte = chunk[j : j + 1]
            if j > i:
                field_start = False
            i = j + 1
            if in_quotes:
                if byte != b'"':
                    continue
                if j + 1 == len(chunk):
                    quote_pending = True
                elif chunk[j + 1 : j + 2] == b'"':
                    i = j + 2
                else:
                    in_quotes = False
                continue
            if byte == b'"':
                in_quotes = field_start
                field_start = False
            elif byte == delimiter:
                field_start = True
            else:
                record.add(chunk[done:i])
                done = i
                field_start = True
                if (finished := record.take()) is not None:
                    yield finished
        if i < len(chunk):
            field_start = False
        record.add(chunk[done:])
    if (finished := record.take()) is not None:
        yield finished
