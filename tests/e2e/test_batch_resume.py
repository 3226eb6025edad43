"""`newsaudit batch --db` survives being killed: committed articles stay, a re-run completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy

from newsaudit.store import ArticleFilter, Store
from newsaudit.store.engine import make_engine

REPO = Path(__file__).resolve().parents[2]
N = 300


def _count(engine: sqlalchemy.Engine) -> int:
    try:
        with engine.connect() as conn:
            return conn.execute(sqlalchemy.text("SELECT count(*) FROM articles")).scalar_one()
    except sqlalchemy.exc.DBAPIError:
        return 0  # the tables are created by the batch itself


@pytest.mark.slow
def test_killed_batch_keeps_commits_and_resumes(db_url: str, tmp_path: Path, synthetic) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in synthetic(N)), encoding="utf-8"
    )
    command = [
        sys.executable,
        "-m",
        "newsaudit",
        "batch",
        str(corpus),
        "--db",
        db_url,
        "--no-progress",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    engine = make_engine(db_url)
    first = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    while _count(engine) < 20:
        assert first.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline, "the batch stored nothing in time"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    survived = _count(engine)
    assert 20 <= survived < N, "kill the run midway: grow N if the machine got faster"

    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    assert f"{N - survived} stored, {survived} already stored, 0 failed" in second.stderr
    engine.dispose()

    store = Store(db_url)
    try:
        assert store.count() == N
        page = store.search(ArticleFilter(), per_page=200)
        ids = {item["doc_id"] for item in page.items}
        ids |= {i["doc_id"] for i in store.search(ArticleFilter(), page=2, per_page=200).items}
        assert ids == {f"syn-{i}" for i in range(N)}
        for article_id in (page.items[0]["id"], page.items[-1]["id"]):
            assert store.get_report(article_id).text  # every stored row is whole
    finally:
        store.close()
    third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert third.returncode == 0
    assert f"0 stored, {N} already stored" in third.stderr
