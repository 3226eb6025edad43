"""Side-table rows of an article's known-narrative matches, shared by inserting and by the
migration that fills the table from stored reports (so it imports the schema only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsaudit.store.schema import article_narratives

_KEY_LEN = article_narratives.c.key.type.length


def narrative_rows(article_id: int, matches: Iterable[Any]) -> list[dict[str, Any]]:
    """Side-table rows of an article's known-narrative matches (models or plain dicts)."""
    rows: dict[str, dict[str, Any]] = {}
    for match in matches:
        get = match.get if isinstance(match, dict) else lambda k, m=match: getattr(m, k, None)
        key = str(get("case_id") or "")[:_KEY_LEN]
        if not key:
            continue
        entry = rows.setdefault(
            key,
            {
                "article_id": article_id,
                "key": key,
                "database": str(get("database") or "")[:100],
                "title": str(get("title") or key),
                "url": get("url"),
                "n": 0,
            },
        )
        entry["n"] += 1
    return list(rows.values())
