"""The service through its HTTP interface, against SQLite and a real PostgreSQL."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from newsaudit.service.app import create_app
from newsaudit.service.settings import Settings, is_loopback

REPO = Path(__file__).resolve().parents[2]
TEXT = (
    "Neue Brücke für Kassel\n\n"
    "Die Stadt Kassel will eine neue Brücke bauen. Der Bürgermeister nannte den Plan "
    "am Montag einen großen Schritt für die Region und die Wirtschaft."
)
EVIL = (
    'Böse <script>window.__pwned = 1</script> Überschrift <img src=x onerror="alert(1)">\n\n'
    'Der Text enthält Markup, das nie ausgeführt werden darf: <iframe src="javascript:alert(2)">'
    '</iframe> und <a href="javascript:alert(3)">einen Link</a>. Die Regierung plant Steuern.'
)


def make_client(db_url: str, *, pipeline=None, **settings) -> TestClient:
    """A client that talks to the server by IP address, as a browser on the machine would
    (the server answers no other host names unless allowed)."""
    return TestClient(
        create_app(Settings(db_url=db_url, **settings), pipeline=pipeline),
        base_url="http://127.0.0.1:8000",
    )


@pytest.fixture
def client(db_url: str):
    with make_client(db_url) as c:
        yield c


def test_analyze_text_stores_and_dedupes(client: TestClient) -> None:
    first = client.post("/api/analyze", json={"text": TEXT, "source": "kb.example"})
    assert first.status_code == 201, first.text
    body = first.json()
    report = body["report"]
    assert report["text"].startswith("Neue Brücke für Kassel")
    assert report["title"] == "Neue Brücke für Kassel"
    for keyword in report["keywords"]:
        for span in keyword["occurrences"]:
            assert report["text"][span["start"] : span["end"]] == span["text"]
    assert first.headers["location"] == f"/api/articles/{body['article_id']}"
    again = client.post("/api/analyze", json={"text": TEXT})
    assert again.status_code == 200
    assert again.json()["article_id"] == body["article_id"]
    assert again.json()["created"] is False
    stored = client.get(f"/api/articles/{body['article_id']}").json()
    assert stored["source"] == "kb.example"
    assert stored["report"]["text"] == report["text"]


def test_analyze_file_upload(client: TestClient) -> None:
    html = (
        b"<html><head><title>Upload</title></head><body><article><h1>Upload</h1>"
        + (
            "<p>Die Stadt Kassel will eine neue Brücke bauen. Das sagte der Bürgermeister am "
            "Montag vor Journalisten im Rathaus der Stadt.</p>" * 3
        ).encode()
        + b"</article></body></html>"
    )
    response = client.post("/api/analyze", files={"file": ("page.html", html, "text/html")})
    assert response.status_code == 201, response.text
    assert "Brücke" in response.json()["report"]["text"]
    assert "<p>" not in response.json()["report"]["text"]


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"text": "   "}, 422, "exactly one"),
        ({"text": TEXT, "url": "https://example.org/"}, 422, "exactly one"),
        ({"url": "http://127.0.0.1:9/article"}, 502, "non-public address"),
        ({"url": "http://169.254.169.254/latest/meta-data"}, 502, "non-public address"),
        ({"url": "file:///etc/passwd"}, 422, "not an http(s) URL"),
        ({"text": 5}, 422, "must be strings"),
    ],
)
def test_analyze_rejects_bad_input(
    client: TestClient, payload: dict, status: int, message: str
) -> None:
    response = client.post("/api/analyze", json=payload)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_analyze_rejects_bad_body(client: TestClient) -> None:
    assert (
        client.post(
            "/api/analyze", content=b"{nope", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/analyze", content=b"x", headers={"content-type": "text/plain"}
        ).status_code
        == 415
    )


def test_oversized_upload_is_413(db_url: str) -> None:
    with make_client(db_url, max_bytes=10_000, max_upload_bytes=50_000) as c:
        big = "Wort " * 30_000
        assert c.post("/api/analyze", json={"text": big}).status_code == 413
        assert (
            c.post(
                "/api/analyze", files={"file": ("a.txt", big.encode(), "text/plain")}
            ).status_code
            == 413
        )

        def chunks():  # no Content-Length: the limit must hold on the streamed body too
            for _ in range(20):
                yield b"x" * 5_000

        streamed = c.post(
            "/api/batches", content=chunks(), headers={"content-type": "application/x-ndjson"}
        )
        assert streamed.status_code == 413
        # Under the request limit but over the per-article limit: a clear input error, not a crash.
        medium = c.post("/api/analyze", json={"text": "Wort " * 2_500})
        assert medium.status_code == 422
        assert "limit" in medium.json()["detail"] or "large" in medium.json()["detail"]


def test_malicious_html_is_inert(client: TestClient) -> None:
    response = client.post("/api/analyze", json={"text": EVIL})
    assert response.status_code == 201
    article_id = response.json()["article_id"]
    page = client.get(f"/articles/{article_id}")
    assert page.status_code == 200
    html = page.text
    for raw in ("<script>window.__pwned", "<img src=x", "<iframe", 'href="javascript:'):
        assert raw not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    csp = page.headers["content-security-policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "sha256-" in script_src
    corpus = client.get("/corpus").text
    assert "<script>window.__pwned" not in corpus and "&lt;script&gt;" in corpus


def test_writes_need_token_off_loopback(db_url: str) -> None:
    with make_client(db_url, host="0.0.0.0", token="s3cret") as c:
        assert c.post("/api/analyze", json={"text": TEXT}).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert c.post("/api/analyze", json={"text": TEXT}, headers=wrong).status_code == 401
        assert c.post("/analyze", data={"text": TEXT}).status_code == 401
        assert c.post("/api/batches", content=b'{"text": "x"}\n').status_code == 401
        assert (
            c.post("/api/batches", files={"file": ("c.jsonl", b'{"text": "x"}\n')}).status_code
            == 401
        )
        assert c.get("/api/articles").status_code == 200  # reading stays open
        ok = c.post("/api/analyze", json={"text": TEXT}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 201
        form = c.post(
            "/analyze",
            data={"text": TEXT + " Noch ein Satz.", "token": "s3cret"},
            follow_redirects=False,
        )
        assert form.status_code == 303
        assert "Access token" in c.get("/").text
    with make_client(db_url, host="0.0.0.0", token=None) as c:
        refused = c.post("/api/analyze", json={"text": TEXT})
        assert refused.status_code == 403
        assert "NEWSAUDIT_TOKEN" in refused.json()["detail"]
    with make_client(db_url, host="127.0.0.1", token=None) as c:
        assert c.post("/api/analyze", json={"text": TEXT}).status_code in (200, 201)
        assert "Access token" not in c.get("/").text


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_loopback_rule(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_real_server_on_all_interfaces_refuses_tokenless_write(tmp_path: Path) -> None:
    """A real `newsaudit serve --host 0.0.0.0`, spoken to only over loopback."""
    port = _free_port()
    env = {**os.environ, "NEWSAUDIT_TOKEN": "t0ken", "PYTHONPATH": str(REPO / "src")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsaudit",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{tmp_path / 'serve.db'}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stdout.read().decode()
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)
        denied = httpx.post(f"{base}/api/analyze", json={"text": TEXT}, timeout=30)
        assert denied.status_code == 401
        allowed = httpx.post(
            f"{base}/api/analyze",
            json={"text": TEXT},
            timeout=60,
            headers={"Authorization": "Bearer t0ken"},
        )
        assert allowed.status_code == 201
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_filters_and_stats(client: TestClient, make_report) -> None:
    store = client.app.state.store
    store.add(
        make_report(
            "Die Regierung plant Steuern. Anna Berger kritisiert das in Berlin.",
            id="a",
            source="taz.example",
            date="2024-01-15",
            entities=(("Anna Berger", "PER"), ("Berlin", "LOC")),
            speakers=("Anna Berger",),
            techniques=("Loaded_Language",),
        )
    )
    store.add(
        make_report(
            "Der Stadtrat tagt. Max <b>Roth</b> sagt, die Brücke sei marode.",
            id="b",
            source="spon.example",
            date="2024-02-03",
            entities=(("Max <b>Roth</b>", "PER"),),
            speakers=("Max <b>Roth</b>",),
            techniques=("Doubt", "Loaded_Language"),
        )
    )
    listing = client.get("/api/articles", params={"technique": "Loaded_Language", "per_page": 1})
    assert listing.json()["total"] == 2
    assert [i["doc_id"] for i in listing.json()["items"]] == ["b"]
    assert (
        client.get("/api/articles", params={"page": 2, "per_page": 1}).json()["items"][0]["doc_id"]
        == "a"
    )
    assert [
        i["doc_id"]
        for i in client.get("/api/articles", params={"entity": "berlin"}).json()["items"]
    ] == ["a"]
    assert [
        i["doc_id"] for i in client.get("/api/articles", params={"q": "marode"}).json()["items"]
    ] == ["b"]
    ranged = client.get(
        "/api/articles", params={"date_from": "2024-02-01", "date_to": "2024-02-28"}
    )
    assert [i["doc_id"] for i in ranged.json()["items"]] == ["b"]
    assert client.get("/api/articles", params={"date_from": "yesterday"}).status_code == 422
    stats = client.get("/api/stats").json()
    assert stats["articles"] == 2
    assert {(r["source"], r["technique"]) for r in stats["techniques_by_source"]} == {
        ("taz.example", "Loaded_Language"),
        ("spon.example", "Doubt"),
        ("spon.example", "Loaded_Language"),
    }
    assert {r["name"] for r in stats["top_speakers"]} == {"Anna Berger", "Max <b>Roth</b>"}
    assert client.get("/api/stats", params={"source": "taz.example"}).json()["articles"] == 1
    page = client.get("/corpus", params={"technique": "Doubt"})
    assert page.status_code == 200
    assert 'aria-label="Techniques by outlet"' in page.text
    assert "Max &lt;b&gt;Roth&lt;/b&gt;" in page.text and "<b>Roth" not in page.text
    assert "<strong>1</strong> articles match" in page.text


def test_corpus_sorts_and_filters_by_credibility_score_and_signal(
    client: TestClient, make_report
) -> None:
    from newsaudit.report.model import Credibility, Signal

    store = client.app.state.store
    for doc_id, source, score, framing in (("a", "x.example", 0.9, 0), ("b", "y.example", 0.1, 2)):
        report = make_report(f"Artikel {doc_id} über die Brücke.", id=doc_id, source=source)
        credibility = Credibility(
            signals=[Signal(name="speech_framing", value=framing, explanation=".")], score=score
        )
        store.add(report.model_copy(update={"credibility": credibility}))

    def ids(**params) -> list[str]:
        return [i["doc_id"] for i in client.get("/api/articles", params=params).json()["items"]]

    assert ids(sort="score") == ["b", "a"] and ids(sort="-score") == ["a", "b"]
    assert ids(min_score=0.5) == ["a"] and ids(signal="speech_framing") == ["b"]
    assert client.get("/api/articles", params={"sort": "random"}).status_code == 422
    assert client.get("/api/articles", params={"min_score": 2}).status_code == 422
    assert client.get("/api/articles", params={"min_score": "much"}).status_code == 422
    # the corpus form sends its empty number fields too: they mean "no bound" (was a 422)
    blank = {"min_score": "", "max_score": "", "signal_min": "", "source": "x.example"}
    assert ids(**blank) == ["a"]
    page = client.get("/corpus", params={"sort": "score"})
    assert page.status_code == 200
    assert 'aria-label="Mean credibility score by outlet"' in page.text
    assert page.text.index("Artikel b") < page.text.index("Artikel a")
    assert ">0.10<" in page.text and "not a verdict on truth" in page.text
    filtered = client.get("/corpus", params={"signal": "speech_framing"})
    assert "<strong>1</strong> articles match" in filtered.text


def test_batch_upload_progress_and_resume(client: TestClient, synthetic) -> None:
    rows = synthetic(12)
    corpus = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "{broken\n"
    started = client.post(
        "/api/batches", files={"file": ("c.jsonl", corpus.encode(), "application/x-ndjson")}
    )
    assert started.status_code == 202
    batch = _wait(client, started.json()["id"])
    assert (batch["status"], batch["total"], batch["stored"], batch["failed"]) == (
        "done",
        13,
        12,
        1,
    )
    assert batch["done"] == 13 and batch["started_at"] and batch["rate"] > 0
    assert batch["seconds_left"] is None  # done
    assert batch["progress"].startswith("13 of 13 · 12 stored · 0 already stored · 1 failed · ")
    assert "articles/s" in batch["progress"]
    assert client.get("/api/stats").json()["articles"] == 12
    again = client.post(
        "/api/batches", content=corpus.encode(), headers={"content-type": "application/x-ndjson"}
    )
    batch = _wait(client, again.json()["id"])
    assert (batch["stored"], batch["skipped"]) == (0, 12)
    assert client.get(f"/batches/{batch['id']}").status_code == 200
    assert client.get("/api/batches/nope").status_code == 404


def _wait(client: TestClient, batch_id: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        batch = client.get(f"/api/batches/{batch_id}").json()
        if batch["status"] in ("done", "failed"):
            return batch
        time.sleep(0.1)
    raise AssertionError("batch did not finish")


def test_docs_are_served_without_a_cdn(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/assets/..%2Fswagger-ui.css.map").status_code == 404
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/analyze",
        "/api/batches",
        "/api/batches/{batch_id}",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/stats",
    } <= set(paths)


def test_missing_things_are_404(client: TestClient) -> None:
    assert client.get("/api/articles/999999").status_code == 404
    assert client.get("/articles/999999").status_code == 404


def test_browsers_get_error_pages_scripts_get_json(client: TestClient) -> None:
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = client.get("/articles/999999", headers=html)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "404 · Not Found" in page.text and "no article 999999" in page.text
    assert "content-security-policy" in page.headers
    unknown = client.get("/no/such/page", headers=html)
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("text/html")
    api = client.get("/api/articles/999999", headers=html)
    assert api.status_code == 404 and api.json() == {"detail": "no article 999999"}
    assert client.get("/articles/999999").json() == {"detail": "no article 999999"}


def test_titles_from_the_form_and_api_else_the_lead(client: TestClient) -> None:
    body = "Die Stadt Kassel will eine neue Brücke bauen, sagte der Bürgermeister am Montag."
    titled = client.post("/api/analyze", json={"text": body, "title": "  Brücke für  Kassel "})
    assert titled.status_code == 201, titled.text
    assert titled.json()["report"]["title"] == "Brücke für Kassel"
    form = client.post(
        "/analyze", data={"text": body + " Er rechnet mit Kosten.", "title": "Im Formular"}
    )
    assert form.status_code == 200  # followed the redirect to the article page
    assert "<h1>Im Formular</h1>" in form.text
    untitled = client.post("/api/analyze", json={"text": "der rat tagte lange. " + body})
    assert untitled.json()["report"]["title"] is None
    corpus = client.get("/corpus").text
    assert "Brücke für Kassel" in corpus and "Im Formular" in corpus
    assert "der rat tagte lange. Die Stadt Kassel will" in corpus
    assert untitled.json()["report"]["id"] not in corpus
    assert client.post("/api/analyze", json={"text": body, "title": 3}).status_code == 422


def test_article_page_shows_possible_flags_on_request(client: TestClient, make_report) -> None:
    report = make_report("Diese Verräter lügen. Der Rat tagt.", techniques=("Doubt",))
    possible = report.techniques[0].model_copy(update={"level": "possible", "probability": 0.3})
    added = client.app.state.store.add(report.model_copy(update={"techniques": [possible]}))
    page = client.get(f"/articles/{added.id}").text
    assert 'data-layer="possible">' in page
    opened = client.get(f"/articles/{added.id}?possible=true").text
    assert 'data-layer="possible" checked>' in opened
