"""Dates in metadata: read when possible, kept raw and flagged when not, never a crash."""

from __future__ import annotations

import datetime as dt

import pytest

from newsaudit.dates import date_warnings, parse_date
from newsaudit.ingest import document_from_text
from newsaudit.pipeline import Pipeline, default_analyzers
from newsaudit.store import Store

TEXT = "Der Rat der Stadt Bonn tagte am Montag. Er beschloss den Haushalt für das nächste Jahr."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-31", dt.datetime(2024, 1, 31)),
        ("2024-01-31T10:00:00+01:00", dt.datetime(2024, 1, 31, 9)),
        ("2024-01-31T10:00:00Z", dt.datetime(2024, 1, 31, 10)),
        ("0001-01-01T00:00:00+05:00", None),
        ("9999-12-31T23:59:59-05:00", None),
        ("yesterday", None),
        ("2021-03-5", None),
        (20210305, None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_never_raises(value: object, expected: dt.datetime | None) -> None:
    # Regression: out-of-range dates raised OverflowError.
    assert parse_date(value) == expected


def test_an_unusable_date_is_kept_and_reported(tmp_path) -> None:
    # Regression: out-of-range dates crashed `batch --db`; unreadable ones vanished silently.
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    pipeline = Pipeline(default_analyzers(["keywords"]))
    for i, date in enumerate(
        ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "yesterday")
    ):
        document = document_from_text(f"{TEXT} Vorgang {i}.", metadata={"date": date})
        report = pipeline.run(document)
        assert report.metadata["date"] == date
        assert len(report.warnings) == 1 and report.warnings[0].startswith(f"date {date!r} ")
        article = store.get(store.add(report).id)
        assert article["published"] is None
        assert article["report"]["warnings"] == report.warnings
    store.close()


def test_readable_dates_give_no_warning() -> None:
    assert date_warnings({"date": "2024-01-31", "published": "2024-01-31T08:00:00Z"}) == []
    assert date_warnings({"date": "2021-03-5"}) == [
        "date '2021-03-5' is not a date newsaudit can read (use ISO 8601, such as 2024-01-31): "
        "it is kept as given but not used as the publication date"
    ]
