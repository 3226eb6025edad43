"""The credibility score and numeric signals of a stored Report, as the store indexes them."""

from __future__ import annotations

import json
from typing import Any


def signal_rows(article_id: int, report_json: str) -> tuple[float | None, list[dict[str, Any]]]:
    """(credibility score, side-table rows of the numeric signals) of a stored Report."""
    credibility = (json.loads(report_json) or {}).get("credibility") or {}
    rows = {
        str(s.get("name"))[:64]: float(s["value"])
        for s in credibility.get("signals") or []
        if isinstance(s.get("value"), int | float) and not isinstance(s.get("value"), bool)
    }
    score = credibility.get("score")
    return (
        float(score) if isinstance(score, int | float) else None,
        [{"article_id": article_id, "signal": k, "value": v} for k, v in rows.items()],
    )
