"""No input is a poison pill: one corpus file holding every kind of bad input, through the
CLI (``batch``, ``batch --db``, ``analyze``), the API and a service batch.

Each run writes one record per row, analyses every good row, prints no traceback, and
answers bad rows with an error record (exit 1) or a 4xx, never a crash or a 500. The file is
generated from hand-written sentences (no news text).
"""

from __future__ import annotations

import csv
import io
import json
import random
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_cli import run_cli
from test_service import make_client

from newsaudit.pipeline import Pipeline, default_analyzers

MAX_BYTES = 1_500_000  # rows may be 2 * MAX_BYTES + 1 KB raw; articles MAX_BYTES
SENTENCE = "Der Rat der Stadt Bonn tagte am Montag und beschloss den Haushalt für das Jahr."
GOOD = ("long", "date-low", "date-high", "date-word", "date-short", "stray-byte", "nul", "last")
BAD = {
    "noise": "binary data decoded as text",
    "oversized": "above the limit",
    "empty": "input is empty",
    "digits": "almost no letters",
}
WARNED = {
    "date-low": "date '0001-01-01T00:00:00+05:00' is out of range",
    "date-high": "date '9999-12-31T23:59:59-05:00' is out of range",
    "date-word": "date 'yesterday' is not a date",
    "date-short": "date '2021-03-5' is not a date",
    "stray-byte": "1 byte(s) were not valid UTF-8",
    "nul": "1 control character(s) such as NUL were removed",
}


def _noise() -> str:
    """Random bytes as a JSON string would carry them: latin-1-decoded, printable only."""
    rng = random.Random(11)
    printable = [*range(0x20, 0x7F), *range(0xA0, 0x100)]
    return bytes(rng.choice(printable) for _ in range(4000)).decode("latin-1")


def bad_rows(prose) -> list[dict[str, str]]:
    def text(i: int) -> str:
        return f"{SENTENCE} Vorgang {i}. {SENTENCE.replace('Bonn', 'Kassel')}"

    return [
        {"id": "long", "text": prose(1_100_000), "date": "2024-01-31"},
        {"id": "date-low", "text": text(1), "date": "0001-01-01T00:00:00+05:00"},
        {"id": "date-high", "text": text(2), "date": "9999-12-31T23:59:59-05:00"},
        {"id": "noise", "text": _noise(), "date": ""},
        {"id": "date-word", "text": text(3), "date": "yesterday"},
        {"id": "oversized", "text": "Wort " * 700_000, "date": ""},
        {"id": "date-short", "text": text(4), "date": "2021-03-5"},
        {"id": "stray-byte", "text": text(5).replace("Montag", "Mon\udcfftag", 1), "date": ""},
        {"id": "empty", "text": "", "date": ""},
        {"id": "nul", "text": text(6).replace("Rat", "R\x00at", 1), "date": ""},
        {"id": "digits", "text": "12345 67890 " * 20, "date": ""},
        {"id": "last", "text": text(7), "date": "2024-02-01"},
    ]


def _csv_bytes(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=["id", "text", "date"])
    writer.writeheader()
    writer.writerows(rows)
    # The stray byte is one raw 0xFF in otherwise UTF-8 text (a lone surrogate carries it).
    return buffer.getvalue().encode("utf-8", "surrogateescape")


@pytest.fixture(scope="module")
def rows(prose) -> list[dict[str, str]]:
    return bad_rows(prose)


@pytest.fixture(scope="module")
def corpus_csv(rows, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bad") / "everything.csv"
    path.write_bytes(_csv_bytes(rows))
    return path


def _check_records(records: list[dict], rows: list[dict[str, str]]) -> None:
    assert [r["id"] for r in records] == [row["id"] for row in rows]
    by_id = {r["id"]: r for r in records}
    for name in GOOD:
        assert "error" not in by_id[name], by_id[name]
        report = by_id[name]
        assert report["text"] and report["paragraphs"] and report["sentences"]
        for keyword in report["keywords"]:
            for span in keyword["occurrences"]:
                assert report["text"][span["start"] : span["end"]] == span["text"]
    for name, message in BAD.items():
        assert message in by_id[name]["error"], by_id[name]
    for name, message in WARNED.items():
        assert any(w.startswith(message) for w in by_id[name]["warnings"]), by_id[name]
    long = by_id["long"]
    assert len(long["text"]) > 1_000_000 and all(p["window"] for p in long["paragraphs"])
    assert "\x00" not in by_id["nul"]["text"] and "\ufffd" in by_id["stray-byte"]["text"]


@pytest.mark.slow
def test_cli_batch_over_one_file_of_bad_inputs(corpus_csv: Path, rows, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = run_cli(
        "batch", str(corpus_csv), "-o", str(out), "--max-bytes", str(MAX_BYTES),
        "--analyzers", "keywords,claims", "--no-progress", timeout=600,
    )  # fmt: skip
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert f"{len(GOOD)} analysed, {len(BAD)} failed" in stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    _check_records(records, rows)
    long = records[0]
    assert [(a["name"], a["status"]) for a in long["analyzers"]] == [
        ("entities", "ok"),  # quotes read the entity clusters
        ("quotes", "ok"),
        ("claims", "ok"),
        ("keywords", "ok"),
    ]
    assert len(long["quotes"]) > 1000, "quotes were found all through the long text"
    for quote in long["quotes"]:
        assert long["text"][quote["start"] : quote["end"]] == quote["text"]


@pytest.mark.slow
def test_cli_batch_into_a_store_over_one_file_of_bad_inputs(
    corpus_csv: Path, rows, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    out = tmp_path / "out.jsonl"
    args = ["batch", str(corpus_csv), "--db", db, "-o", str(out), "--max-bytes", str(MAX_BYTES)]
    result = run_cli(*args, "--analyzers", "keywords", "--no-progress", timeout=600)
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert f"{len(GOOD)} stored, 0 already stored, {len(BAD)} failed" in stderr
    _check_records([json.loads(line) for line in out.read_text().splitlines()], rows)
    again = run_cli(*args, "--analyzers", "keywords", "--no-progress", timeout=600)
    assert f"0 stored, {len(GOOD)} already stored, {len(BAD)} failed" in again.stderr.decode()


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("noise", 2, "binary data decoded as text"),
        ("empty", 2, "input is empty"),
        ("stray-byte", 0, ""),
        ("nul", 0, ""),
    ],
)
def test_cli_analyze_of_each_bad_file(rows, tmp_path: Path, name: str, code: int, message: str):
    row = next(r for r in rows if r["id"] == name)
    path = tmp_path / f"{name}.txt"
    path.write_bytes(row["text"].encode("utf-8", "surrogateescape"))
    result = run_cli("analyze", str(path), "-f", "json", "--analyzers", "keywords")
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr
    if code:
        assert stderr.startswith("newsaudit: error: ") and message in stderr
    else:
        assert json.loads(result.stdout)["warnings"]


@pytest.fixture(scope="module")
def keywords_only() -> Pipeline:
    return Pipeline(default_analyzers(["keywords"]))


@pytest.fixture
def client(tmp_path: Path, keywords_only: Pipeline):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with make_client(url, pipeline=keywords_only, max_bytes=MAX_BYTES) as c:
        yield c


def test_api_answers_every_bad_input_with_a_report_or_a_4xx(client: TestClient, rows) -> None:
    for row in rows:
        raw = row["text"].encode("utf-8", "surrogateescape")
        if row["id"] == "stray-byte":  # bytes arrive as a file; JSON cannot carry them
            response = client.post("/api/analyze", files={"file": ("a.txt", raw, "text/plain")})
        else:
            response = client.post("/api/analyze", json={"text": row["text"], "date": row["date"]})
        name = row["id"]
        if name in GOOD:
            assert response.status_code == 201, (name, response.text[:300])
            body = response.json()
            if name in WARNED:
                assert any(w.startswith(WARNED[name]) for w in body["warnings"]), body["warnings"]
        elif name == "oversized":
            assert response.status_code == 413
        else:
            assert response.status_code == 422, (name, response.text[:300])
            expected = "give exactly one of" if name == "empty" else BAD[name]
            assert expected in response.json()["detail"]


def test_service_batch_over_one_file_of_bad_inputs(client: TestClient, rows) -> None:
    lines = [
        json.dumps(row, ensure_ascii=False).encode() for row in rows if row["id"] != "stray-byte"
    ]
    stray = next(r for r in rows if r["id"] == "stray-byte")
    lines.append(json.dumps(stray, ensure_ascii=False).encode("utf-8", "surrogateescape"))
    lines.append(b"[" * 50_000 + b"]" * 50_000)  # nests too deeply
    lines.append(b"{broken")
    upload = b"\n".join(lines) + b"\n"
    started = client.post("/api/batches", files={"file": ("everything.jsonl", upload)})
    assert started.status_code == 202
    deadline = time.monotonic() + 300
    while (batch := client.get(started.json()["status_url"]).json())["status"] not in (
        "done",
        "failed",
    ):
        assert time.monotonic() < deadline, batch
        time.sleep(0.2)
    assert batch["status"] == "done", batch
    assert (batch["total"], batch["stored"], batch["failed"]) == (14, len(GOOD), len(BAD) + 2)
    assert (
        "everything.jsonl:13: row is not an article: its JSON nests too deeply" in batch["message"]
    )
    stored = client.get("/api/articles", params={"per_page": 50}).json()
    assert sorted(item["doc_id"] for item in stored["items"]) == sorted(GOOD)


def _spans(report: dict):
    """Every span-like object of a report (anything with start, end and text)."""
    stack = [report[k] for k in ("entities", "quotes", "claims", "techniques", "keywords")]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if {"start", "end", "text"} <= item.keys():
                yield item
            stack.extend(v for v in item.values() if isinstance(v, list | dict))


@pytest.mark.slow
def test_every_analyzer_on_a_long_text_without_line_breaks(prose, tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(prose(30_000), encoding="utf-8")
    result = run_cli("analyze", str(path), "-f", "json", timeout=900)
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    text = report["text"]
    assert text == path.read_text(encoding="utf-8")
    assert {a["name"]: a["status"] for a in report["analyzers"]} == {
        analyzer.name: "ok" for analyzer in default_analyzers()
    }
    windows = report["paragraphs"]
    assert len(windows) > 40 and all(p["window"] for p in windows)
    assert max(p["end"] - p["start"] for p in windows) <= 600
    spans = list(_spans(report))
    assert len(spans) > 100 and report["entities"] and report["quotes"]
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"]
    for flag in report["techniques"]:
        window = windows[flag["paragraph"]]
        assert window["start"] <= flag["start"] < flag["end"] <= window["end"]
