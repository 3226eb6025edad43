"""Publication dates from article metadata: read when they can be, kept raw and flagged when not.

A date that cannot be read ("yesterday", "2021-03-5") or lies outside what a datetime can
hold once moved to UTC ("0001-01-01T00:00:00+05:00") is never a reason to lose the article:
the metadata keeps the raw value, the store leaves the publication date empty, and the
Report carries a warning that says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DATE_KEYS = ("published", "date", "datetime", "pubdate")


class _Unreadable(ValueError):
    pass


def _parse(value: Any) -> dt.datetime | None:
    """A naive UTC datetime; None for no value; raises :class:`_Unreadable` with the reason."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    elif value is None or (isinstance(value, str) and not value.strip()):
        return None
    elif not isinstance(value, str):
        raise _Unreadable("is not a date")
    else:
        raw = value.strip().replace("Z", "+00:00")
        try:
            parsed = dt.datetime.fromisoformat(raw)
        except ValueError:
            try:
                parsed = dt.datetime.fromisoformat(raw[:10])
            except ValueError:
                raise _Unreadable("is not a date newsaudit can read") from None
    if parsed.tzinfo is None:
        return parsed
    try:
        return parsed.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:
        raise _Unreadable("is out of range in UTC") from None


def parse_date(value: Any) -> dt.datetime | None:
    """A naive UTC datetime from an ISO date or datetime; None when absent or unreadable."""
    try:
        return _parse(value)
    except _Unreadable:
        return None


def date_warnings(metadata: dict[str, Any]) -> list[str]:
    """One warning per date field of ``metadata`` that is given but cannot be used."""
    warnings = []
    for key in DATE_KEYS:
        value = metadata.get(key)
        try:
            _parse(value)
        except _Unreadable as exc:
            warnings.append(
                f"{key} {value!r} {exc} (use ISO 8601, such as 2024-01-31): it is kept as "
                "given but not used as the publication date"
            )
    return warnings
