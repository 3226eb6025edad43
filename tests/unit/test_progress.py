"""Batch progress: N of total, rate and time left, honest about skipped articles."""

from __future__ import annotations

import datetime as dt
import io
import json

from newsaudit.batch.progress import ProgressLine, Rate, describe, duration
from newsaudit.ingest.corpus import count_records, iter_documents
from newsaudit.service.jobs import batch_progress


def test_rate_counts_analysed_articles_only() -> None:
    clock = Rate(total=100, done=60, analysed=10, started=0.0)
    rate, left = clock.estimate(now=20.0)  # 50 skipped in no time, 10 analysed in 20 s
    assert rate == 0.5
    assert left == 80.0  # the 40 still to go, at the analysing rate
    assert Rate(total=5).estimate() == (None, None)


def test_describe_and_duration() -> None:
    assert describe(120, 1000, 1.9, 460, "1 failed") == (
        "120 of 1,000 · 1 failed · 1.90 articles/s · about 7 min 40 s left"
    )
    assert describe(5, None, 12.3, None) == "5 read · 12 articles/s"
    assert describe(10, 10, 2.0, 0.0) == "10 of 10 · 2.00 articles/s"
    assert duration(45) == "45 s" and duration(7325) == "2 h 02 min"


def test_progress_line_prints_from_the_first_article_when_logged() -> None:
    out = io.StringIO()
    line = ProgressLine(3, out, every=3600, interactive=False)
    line.update(analysed=1, failed=0)
    line.update(analysed=2, failed=1)  # within `every`: no second line yet
    line.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("1 of 3 · 1 analysed · 0 failed · ")
    assert lines[-1].startswith("2 of 3 · 1 analysed · 1 failed")
    assert len(lines) == 2


def test_count_records_matches_what_is_read(tmp_path) -> None:
    rows = [json.dumps({"id": str(i), "text": f"Der Rat tagte am Tag {i}."}) for i in range(4)]
    (tmp_path / "a.jsonl").write_text("\n".join(rows) + "\n\n{broken\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text('id,text\n1,"Ein Satz,\nüber zwei Zeilen."\n\n2,Noch einer.\n')
    (tmp_path / "c.txt").write_text("Ein Artikel.", encoding="utf-8")
    inputs = [str(tmp_path), str(tmp_path / "missing.jsonl")]
    assert count_records(inputs) == len(list(iter_documents(inputs))) == 9
    assert count_records(["-"]) is None


def test_service_batch_progress() -> None:
    started = dt.datetime(2024, 1, 1, 12, 0, 0)
    batch = {
        "status": "running",
        "total": 100,
        "done": 30,
        "stored": 10,
        "skipped": 20,
        "failed": 0,
        "started_at": started.isoformat(),
        "updated_at": started.isoformat(),
    }
    progress = batch_progress(batch, now=started + dt.timedelta(seconds=20))
    assert progress["rate"] == 0.5 and progress["seconds_left"] == 140
    assert progress["progress"] == (
        "30 of 100 · 10 stored · 20 already stored · 0 failed · 0.50 articles/s · "
        "about 2 min 20 s left"
    )
    queued = batch_progress({**batch, "status": "queued", "started_at": None})
    assert queued["rate"] is None and queued["progress"].startswith("30 of 100 · ")
