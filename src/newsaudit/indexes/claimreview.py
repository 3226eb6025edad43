"""Fact-check files a user brings: schema.org ClaimReview (JSON or JSON-LD, as fact-checkers
publish it: one object, a list, an ``@graph`` or a DataFeed) and CSV with the columns
``claim, url, date, rating``. Each becomes a list of claims ``{text, url, date, rating,
language}``; a file that yields none, or a claim without text, is an InputError that names
the file and the place."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsaudit.errors import InputError

MAX_BYTES = 50 * 1024 * 1024
MAX_CLAIM_CHARS = 1000
CSV_COLUMNS = ("claim", "url", "date", "rating")


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or ""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    return " ".join(str(value or "").split())


def _is_claim_review(node: dict) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "ClaimReview" in kinds


def _nodes(value: Any) -> Iterator[dict]:
    """Every ClaimReview object anywhere in a JSON(-LD) document."""
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        if _is_claim_review(value):
            yield value
            return
        for key in ("@graph", "dataFeedElement", "item", "mainEntity", "hasPart"):
            if key in value:
                yield from _nodes(value[key])


def _rating(node: dict) -> str:
    rating = node.get("reviewRating") or {}
    if isinstance(rating, list):
        rating = rating[0] if rating else {}
    if not isinstance(rating, dict):
        return _text(rating)
    return _text(rating.get("alternateName") or rating.get("name") or rating.get("ratingValue"))


def _claim(text: str, url: str, date: str, rating: str, language: str, where: str) -> dict:
    if not text:
        raise InputError(f"{where}: the claim has no text")
    return {
        "text": text[:MAX_CLAIM_CHARS],
        "url": url or None,
        "date": date[:10] or None,
        "rating": rating,
        "language": language or None,
    }


def parse_claim_review(text: str, name: str) -> list[dict]:
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{name}: not valid JSON ({exc})") from None
    out = []
    for n, node in enumerate(_nodes(document), start=1):
        item = node.get("itemReviewed") if isinstance(node.get("itemReviewed"), dict) else {}
        out.append(
            _claim(
                _text(node.get("claimReviewed") or item.get("name") or item.get("text")),
                _text(node.get("url")),
                _text(node.get("datePublished") or item.get("datePublished")),
                _rating(node),
                _text(node.get("inLanguage") or item.get("inLanguage"))[:2].lower(),
                f"{name}: ClaimReview {n}",
            )
        )
    if not out:
        raise InputError(f"{name}: no ClaimReview object found (schema.org @type ClaimReview)")
    return out


def parse_csv(text: str, name: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if "claim" not in header:
        raise InputError(f"{name}: needs a header with the columns {', '.join(CSV_COLUMNS)}")
    reader.fieldnames = header
    out = []
    try:
        for n, row in enumerate(reader, start=2):
            out.append(
                _claim(
                    _text(row.get("claim")),
                    _text(row.get("url")),
                    _text(row.get("date")),
                    _text(row.get("rating")),
                    _text(row.get("language"))[:2].lower(),
                    f"{name}: line {n}",
                )
            )
    except csv.Error as exc:
        raise InputError(f"{name}: not a readable CSV file ({exc})") from None
    if not out:
        raise InputError(f"{name}: no claims (the file has only a header)")
    return out


def read_fact_checks(path: Path) -> list[dict]:
    """The claims of a ClaimReview JSON / JSON-LD or claim CSV file (by its content: a file
    starting with ``{`` or ``[`` is JSON)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MB")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if text.lstrip()[:1] in ("{", "["):
        return parse_claim_review(text, str(path))
    return parse_csv(text, str(path))
