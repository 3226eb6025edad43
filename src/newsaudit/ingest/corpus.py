"""Corpora to articles: directories, JSON Lines and CSV files, one record at a time.

Readers stream, so a corpus of any size runs in constant memory, and a bad record (broken
JSON, no text, binary garbage, a huge row) becomes a :class:`Failure` without stopping the
rest.
"""

from __future__ import annotations

import csv
import gzip
import json
import logging
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsaudit.config import Limits
from newsaudit.document import Document, Failure
from newsaudit.errors import InputError, NewsauditError
from newsaudit.ingest.decode import Decoded, decode_row
from newsaudit.ingest.records import Oversized, csv_records, jsonl_lines

log = logging.getLogger(__name__)

TEXT_FIELDS = ("text", "article", "content", "body")
TITLE_FIELDS = ("title", "header", "headline")
META_FIELDS = ("url", "source", "date", "author", "label")
ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
CSV_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz")


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in JSONL_SUFFIXES + CSV_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _first(record: dict[str, Any], fields: tuple[str, ...]) -> Any:
    for name in fields:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def record_to_document(record: dict[str, Any], fallback_id: str, limits: Limits) -> Document:
    """One corpus row (``text`` plus optional ``id``, ``title``, ``url``, ``source``, ``date``)."""
    from newsaudit.ingest import document_from_html, document_from_text, looks_like_html

    record_id = str(record.get("id") or fallback_id)
    text = _first(record, TEXT_FIELDS)
    if text is None and any(name in record for name in TEXT_FIELDS):
        raise InputError("input is empty: there is no text to analyse")
    if text is None:
        raise InputError(f"record has no text (expected a field named {' or '.join(TEXT_FIELDS)})")
    if not isinstance(text, str):
        raise InputError(f"the text field holds {type(text).__name__}, not text")
    title = _first(record, TITLE_FIELDS)
    metadata = {k: record[k] for k in META_FIELDS if record.get(k) not in (None, "")}
    if looks_like_html(text):
        document = document_from_html(text, id=record_id, url=metadata.get("url"), limits=limits)
        document.metadata.update(metadata)
        return document
    if isinstance(title, str) and title.strip() and not text.lstrip().startswith(title.strip()):
        text = f"{title.strip()}\n\n{text}"
    return document_from_text(
        text,
        id=record_id,
        title=title.strip() if isinstance(title, str) and title.strip() else None,
        metadata=metadata,
        limits=limits,
    )


def _open(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


_ID_PEEK = re.compile(rb'"id"\s*:\s*"?([^",}]{1,200})')
_CSV_ID_PEEK = re.compile(rb"^([^,\t\"\r\n]{1,200})[,\t]")


def _peek_id(head: bytes, pattern: re.Pattern[bytes] = _ID_PEEK) -> str | None:
    """The id of a row too large to parse, read from its first kilobyte."""
    match = pattern.search(head)
    return match.group(1).decode("utf-8", "replace") if match else None


def _row_limit(limits: Limits) -> int:
    """Largest raw row read: escapes in JSON or CSV can double an article's bytes."""
    return limits.max_bytes * 2 + 1024


def _too_large(size: int, limits: Limits) -> InputError:
    return InputError(
        f"row is {size / 1_048_576:.1f} MB, above the limit of "
        f"{limits.max_bytes / 1_048_576:.1f} MB (raise it with --max-bytes)"
    )


def _parse_json_row(text: str) -> dict[str, Any]:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        # Some messages end in "at" ("Invalid control character at"): the column follows.
        reason = exc.msg.removesuffix(" at")
        raise InputError(f"row is not valid JSON: {reason} at column {exc.colno}") from None
    except RecursionError:
        raise InputError("row is not an article: its JSON nests too deeply") from None
    if not isinstance(record, dict):
        raise InputError("row is not a JSON object")
    return record


def jsonl_records(stream: IO[bytes], name: str, limits: Limits) -> Iterator[Document | Failure]:
    """One Document or Failure per non-empty line; rows without an id are ``name:line``."""
    for number, raw in enumerate(jsonl_lines(stream, _row_limit(limits)), start=1):
        fallback = f"{name}:{number}"
        try:
            if isinstance(raw, Oversized):
                fallback = _peek_id(raw.head) or fallback
                raise _too_large(raw.size, limits)
            if not raw.strip():
                continue
            decoded = decode_row(raw)
            record = _parse_json_row(decoded.text)
            fallback = str(record.get("id") or fallback)
            yield _with_warnings(record_to_document(record, fallback, limits), decoded)
        except NewsauditError as exc:
            yield Failure(id=fallback, error=str(exc), kind=type(exc).__name__)
        except Exception as exc:  # one row's bug must not end the corpus
            log.exception("reading row %s failed", fallback)
            yield Failure.internal(fallback, exc)


def _with_warnings(document: Document, decoded: Decoded) -> Document:
    document.warnings[:0] = decoded.warnings
    return document


def _csv_fields(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([text], delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"unreadable CSV row: {exc}") from None


def _csv_records(path: Path, limits: Limits) -> Iterator[Document | Failure]:
    limit = _row_limit(limits)
    csv.field_size_limit(max(csv.field_size_limit(), limit))
    delimiter = "\t" if ".tsv" in path.name.lower() else ","
    header: list[str] | None = None
    with _open(path) as stream:
        for number, raw in enumerate(csv_records(stream, delimiter.encode(), limit), start=1):
            fallback = f"{path.name}:{number}"
            try:
                if isinstance(raw, Oversized):
                    if header is None:
                        raise InputError("the CSV header row is larger than any article")
                    fallback = _peek_id(raw.head, _CSV_ID_PEEK) if header[:1] == ["id"] else None
                    fallback = fallback or f"{path.name}:{number}"
                    raise _too_large(raw.size, limits)
                decoded = decode_row(raw)
                if header is None:
                    header = _csv_fields(decoded.text, delimiter)
                    continue
                row = dict(zip(header, _csv_fields(decoded.text, delimiter), strict=False))
                fallback = str(row.get("id") or fallback)
                yield _with_warnings(record_to_document(row, fallback, limits), decoded)
            except NewsauditError as exc:
                yield Failure(id=fallback, error=str(exc), kind=type(exc).__name__)
                if header is None:
                    return
            except Exception as exc:  # one row's bug must not end the corpus
                log.exception("reading row %s failed", fallback)
                yield Failure.internal(fallback, exc)


def _file_records(path: Path, limits: Limits) -> Iterator[Document | Failure]:
    from newsaudit.ingest import load_path

    suffix = _suffix(path)
    try:
        if suffix in JSONL_SUFFIXES:
            with _open(path) as stream:
                yield from jsonl_records(stream, path.name, limits)
        elif suffix in CSV_SUFFIXES:
            yield from _csv_records(path, limits)
        else:
            yield load_path(path, limits=limits)
    except NewsauditError as exc:
        yield Failure(id=path.stem, error=f"{path}: {exc}", kind=type(exc).__name__)
    except (OSError, EOFError, zlib.error) as exc:
        yield Failure(
            id=path.stem,
            error=f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}",
            kind="InputError",
        )
    except Exception as exc:  # one file's bug must not end the corpus
        log.exception("reading %s failed", path)
        yield Failure.internal(path.stem, exc)


def _directory_files(path: Path) -> list[Path]:
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and _suffix(p) in ARTICLE_SUFFIXES + JSONL_SUFFIXES + CSV_SUFFIXES
    )


def iter_documents(inputs: list[str], limits: Limits | None = None) -> Iterator[Document | Failure]:
    """Every article of every input, in order; ``-`` reads JSON Lines from stdin."""
    limits = limits or Limits()
    for item in inputs:
        if item == "-":
            yield from jsonl_records(sys.stdin.buffer, "stdin", limits)
            continue
        path = Path(item)
        if path.is_dir():
            files = _directory_files(path)
            if not files:
                yield Failure(id=str(path), error=f"no articles found in directory {path}")
            for file in files:
                yield from _file_records(file, limits)
        elif path.exists():
            yield from _file_records(path, limits)
        else:
            yield Failure(id=item, error=f"no such file or directory: {item}")


_COUNT_BOUND = 1 << 20  # counting needs record ends, never a whole long record


def _count_file(path: Path) -> int:
    """Records of one file, split exactly as the readers split them, in bounded memory."""
    suffix = _suffix(path)
    try:
        if suffix in JSONL_SUFFIXES:
            with _open(path) as stream:
                lines = jsonl_lines(stream, _COUNT_BOUND)
                return sum(1 for raw in lines if isinstance(raw, Oversized) or raw.strip())
        if suffix in CSV_SUFFIXES:
            delimiter = b"\t" if ".tsv" in path.name.lower() else b","
            with _open(path) as stream:
                return max(0, sum(1 for _ in csv_records(stream, delimiter, _COUNT_BOUND)) - 1)
    except (OSError, EOFError, zlib.error):
        return 1  # reading it will fail once, as one record
    return 1


def count_records(inputs: list[str]) -> int | None:
    """How many records :func:`iter_documents` will yield, for progress; None for stdin.

    A quick pass that reads lines, not articles: a corpus of a million rows takes seconds.
    """
    if "-" in inputs:
        return None
    total = 0
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            total += sum(_count_file(p) for p in _directory_files(path)) or 1
        else:
            total += _count_file(path) if path.is_file() else 1
    return total
