"""The CLI as a user runs it: a real subprocess, real files, a real local HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def run_cli(
    *args: str, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    env = {
        "PYTHONPATH": str(SRC),
        "PATH": "/usr/bin:/bin",
        "NO_COLOR": "1",
        "HOME": str(Path.home()),
    }
    return subprocess.run(
        [sys.executable, "-m", "newsaudit", *args],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env=env,
    )


def test_sample_json_report_validates_against_the_schema(sample_path: Path) -> None:
    result = run_cli("analyze", str(sample_path), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    schema = json.loads(run_cli("schema").stdout)
    jsonschema.validate(report, schema)
    assert report["tags"] == ["kirby", "global war"]
    assert report["lead"].startswith("Die palästinensische")
    assert report["language"] == "de"
    text = report["text"]
    assert text == sample_path.read_text(encoding="utf-8")
    assert len(report["paragraphs"]) == 10 and len(report["sentences"]) >= 15
    for paragraph in report["paragraphs"]:
        assert (
            text[paragraph["start"] : paragraph["end"]].strip()
            == text[paragraph["start"] : paragraph["end"]]
        )
    covered = "".join(text[s["start"] : s["end"]] for s in report["sentences"])
    assert covered.replace(" ", "") == "".join(
        text[p["start"] : p["end"]] for p in report["paragraphs"]
    ).replace(" ", "")
    for keyword in report["keywords"]:
        for span in keyword["occurrences"]:
            assert text[span["start"] : span["end"]] == span["text"]


def test_saved_html_page_gives_title_body_and_metadata(fixtures_dir: Path) -> None:
    result = run_cli("analyze", str(fixtures_dir / "page.html"), "-f", "json")
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["title"] == "Stadtrat beschließt neues Radwegenetz"
    assert report["paragraphs"][0]["role"] == "title"
    assert "40 Kilometer geschützte Radwege" in report["text"]
    assert "tracking" not in report["text"] and "Impressum" not in report["text"]
    assert report["metadata"]["author"] == "Erika Musterfrau"
    assert report["metadata"]["sitename"] == "Beispielblatt"
    assert report["language"] == "de"


def test_stdin_and_html_output(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_cli(
        "analyze", "-", "-f", "html", "-o", str(out), stdin=b"Der Rat in Bonn tagte. Bonn jubelte."
    )
    assert result.returncode == 0, result.stderr.decode()
    assert out.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "binary"),
        (b"x" * 3000, "above the limit"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run_cli("analyze", str(path), "--max-bytes", "2000")
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert message in stderr and "Traceback" not in stderr


def test_missing_file_and_unreachable_url() -> None:
    result = run_cli("analyze", "/nonexistent/article.txt")
    assert result.returncode == 2 and "no such file" in result.stderr.decode()
    result = run_cli("analyze", "http://no-such-host.invalid/article")
    assert result.returncode == 2 and "cannot resolve host" in result.stderr.decode()


class _ArticleHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        if self.path == "/redirect-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if self.path == "/image":
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(b"\x89PNG")
            return
        body = (Path(__file__).resolve().parents[1] / "fixtures" / "page.html").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ArticleHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_loopback_url_is_refused_unless_allowed(local_server: str) -> None:
    refused = run_cli("analyze", f"{local_server}/article", "-f", "json")
    assert refused.returncode == 2
    assert "non-public address 127.0.0.1" in refused.stderr.decode()
    assert "--allow-private" in refused.stderr.decode()
    allowed = run_cli("analyze", f"{local_server}/article", "-f", "json", "--allow-private")
    assert allowed.returncode == 0, allowed.stderr.decode()
    report = json.loads(allowed.stdout)
    assert report["title"] == "Stadtrat beschließt neues Radwegenetz"
    assert report["metadata"]["url"] == f"{local_server}/article"


def test_redirects_and_content_types_are_checked(local_server: str) -> None:
    redirected = run_cli("analyze", f"{local_server}/redirect-file", "--allow-private")
    assert redirected.returncode == 2 and "only http and https" in redirected.stderr.decode()
    image = run_cli("analyze", f"{local_server}/image", "--allow-private")
    assert image.returncode == 2 and "not an HTML or text page" in image.stderr.decode()


def test_batch_keeps_every_good_row_and_reports_every_bad_one(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    good = [
        {"id": "de1", "text": "Der Stadtrat in Bonn beschloss am Montag einen neuen Haushalt."},
        {
            "id": "en1",
            "title": "Budget passed",
            "text": "The council in Leeds passed a new budget on Monday.",
        },
        {"id": "de2", "text": "Die Polizei in Köln ermittelt nach einem Einbruch im Museum."},
    ]
    with corpus.open("wb") as f:
        f.write((json.dumps(good[0]) + "\n").encode())
        f.write((json.dumps({"id": "empty", "text": ""}) + "\n").encode())
        f.write(
            (json.dumps({"id": "garbage", "text": "\x00\x01\x02\x03\x04" * 40}) + "\n").encode()
        )
        f.write(b"\x89PNG\x00\x00\xff\xfe binary garbage row\n")
        f.write((json.dumps(good[1]) + "\n").encode())
        f.write(b'{"id": "huge", "text": "' + b"Wort " * (10 * 1024 * 1024) + b'"}\n')
        f.write((json.dumps(good[2]) + "\n").encode())
    out = tmp_path / "out.jsonl"
    result = run_cli("batch", str(corpus), "-o", str(out), timeout=300)
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in stderr and "3 analysed, 4 failed" in stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    reports = [line for line in lines if "error" not in line]
    errors = {line["id"]: line["error"] for line in lines if "error" in line}
    assert [r["id"] for r in reports] == ["de1", "en1", "de2"]
    assert reports[1]["title"] == "Budget passed"
    assert set(errors) == {"empty", "garbage", "corpus.jsonl:4", "huge"}
    assert "empty" in errors["empty"] and "binary" in errors["garbage"]
    assert "above the limit" in errors["huge"]


def test_batch_reads_csv_and_directories(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(
        "Der Rat in Bonn tagte lange. Bonn jubelte.", encoding="utf-8"
    )
    (tmp_path / "docs" / "b.txt").write_bytes(b"")
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text(
        'id,title,text,source\nc1,Titel,"Die Stadt Ulm baut, sagt der Rat.",ulm.de\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = run_cli("batch", str(tmp_path / "docs"), str(csv_path), "-o", str(out))
    assert result.returncode == 1
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c1"]
    assert "error" in lines[1]
    assert lines[2]["metadata"]["source"] == "ulm.de" and lines[2]["title"] == "Titel"


def test_batch_of_good_articles_exits_0(tmp_path: Path) -> None:
    corpus = tmp_path / "ok.jsonl"
    corpus.write_text(
        json.dumps({"id": "1", "text": "Ein ruhiger Tag in Bonn."}) + "\n", encoding="utf-8"
    )
    result = run_cli("batch", str(corpus), "-o", str(tmp_path / "o.jsonl"))
    assert result.returncode == 0, result.stderr.decode()


def test_piped_analyze_says_it_prints_json_and_text_opens_with_findings(sample_path: Path) -> None:
    piped = run_cli("analyze", str(sample_path), "--analyzers", "claims")
    assert piped.returncode == 0, piped.stderr.decode()
    assert json.loads(piped.stdout)["findings"]
    assert "this is the JSON Report; -f text prints the terminal summary" in piped.stderr.decode()
    text = run_cli("analyze", str(sample_path), "--analyzers", "claims", "-f", "text")
    out = text.stdout.decode()
    assert "JSON Report" not in text.stderr.decode()
    assert out.index("Das Wichtigste zuerst") < out.index("Prüfwürdige Behauptungen")
    assert " 1. Prüfwürdige Behauptung des Mediums ohne Quellenangabe" in out


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("3", "3")])
def test_the_command_line_keeps_numpy_to_one_blas_thread_unless_told(
    given: str | None, expected: str
) -> None:
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    code = "import os, newsaudit.cli; print(os.environ['OPENBLAS_NUM_THREADS'])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == expected
