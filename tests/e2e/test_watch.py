"""`newsaudit watch` against feeds and pages served on loopback, run twice like a monitor."""

from __future__ import annotations

import html
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parents[2] / "src"
GOOD = 16  # distinct article pages behind the two feeds


def _page(row: dict) -> bytes:
    title, _, body = row["text"].partition("\n\n")
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body><article>"
        f"<h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>"
    ).encode()


def _rss(base: str, links: list[str | None]) -> bytes:
    items = []
    for i, link in enumerate(links):
        date = format_datetime(datetime(2024, 1 + i % 12, 5, tzinfo=UTC))
        tag = f"<link>{base}{link}</link>" if link else ""
        items.append(f"<item><title>Meldung {i}</title>{tag}<pubDate>{date}</pubDate></item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Nordblatt</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    ).encode()


def _atom(base: str, links: list[str]) -> bytes:
    entries = "".join(
        f'<entry><title>Bericht {i}</title><link href="{base}{link}"/><id>{base}{link}</id>'
        f"<updated>2024-03-0{1 + i % 9}T10:00:00Z</updated></entry>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Westpost</title><id>{base}/atom</id><updated>2024-03-09T10:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


@pytest.fixture
def feeds_server(synthetic):
    rows = synthetic(GOOD)
    pages = {f"/a/{i}": _page(row) for i, row in enumerate(rows)}
    hits: Counter[str] = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            hits[self.path] += 1
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/slow":
                time.sleep(3)  # longer than the watcher's --timeout
            routes = {
                # 10 entries: 8 articles, one without a link, one whose page times out
                "/rss.xml": ("application/rss+xml", _rss(base, [*list(pages)[:8], None, "/slow"])),
                # 10 entries: 8 more articles, one gone (404), one already in the RSS feed
                "/atom.xml": (
                    "application/atom+xml",
                    _atom(base, [*list(pages)[8:], "/gone", "/a/0"]),
                ),
                "/broken.xml": ("text/html", b"<html><body>Wartungsarbeiten</body></html>"),
                "/slow": ("text/html", next(iter(pages.values()))),
            }
            routes.update({path: ("text/html", body) for path, body in pages.items()})
            if self.path not in routes:
                self.send_error(404)
                return
            kind, body = routes[self.path]
            try:
                self.send_response(200)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the watcher gave up on /slow
                pass

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages, hits
    server.shutdown()


def _closed_port() -> int:
    """A loopback port that nothing listens on, for an unreachable feed."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _watch(feeds: Path, db_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "newsaudit",
            "watch",
            str(feeds),
            "--db",
            db_url,
            "--once",
            "--allow-private",
            "--timeout",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={
            "PYTHONPATH": str(SRC),
            "PATH": "/usr/bin:/bin",
            "NO_COLOR": "1",
            "HOME": str(Path.home()),
        },
    )


def test_watch_stores_every_good_article_once_across_two_runs(feeds_server, tmp_path) -> None:
    from newsaudit.service.app import create_app
    from newsaudit.service.settings import Settings

    base, pages, hits = feeds_server
    closed = _closed_port()
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(
        f"# test feeds\n{base}/rss.xml\n{base}/broken.xml\n\n{base}/atom.xml\n"
        f"http://127.0.0.1:{closed}/feed.xml  # nobody listens here\n",
        encoding="utf-8",
    )
    db_url = f"sqlite:///{tmp_path / 'watch.db'}"
    first = _watch(feeds, db_url)
    assert first.returncode == 0, first.stderr
    log = first.stderr
    assert f"round done: 4 feeds (2 skipped), 20 entries (1 bad): {GOOD} stored" in log
    assert "/broken.xml is not a readable RSS or Atom feed" in log
    assert f"cannot fetch http://127.0.0.1:{closed}/feed.xml" in log
    assert "entry 9 (Meldung 8) has no http(s) link" in log
    assert f"article skipped: {base}/slow" in log and "timed out" in log
    assert f"article skipped: {base}/gone" in log and "HTTP 404" in log
    assert "Traceback" not in log

    second = _watch(feeds, db_url)
    assert second.returncode == 0, second.stderr
    assert f"0 stored, {GOOD + 1} already stored" in second.stderr  # +1: /a/0 listed twice
    assert "2 failed" in second.stderr  # /slow and /gone are tried again, and fail again
    assert all(hits[path] == 1 for path in pages), hits  # a stored article is never refetched
    assert hits["/slow"] == hits["/gone"] == 2

    app = create_app(Settings(db_url=db_url))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:  # a host it answers
        stats = client.get("/api/stats").json()
        assert stats["articles"] == GOOD
        assert [(s["source"], s["articles"]) for s in stats["sources"]] == [
            (base.removeprefix("http://"), GOOD)
        ]
        listed = client.get("/api/articles", params={"per_page": 50}).json()["items"]
        assert sorted(a["url"] for a in listed) == sorted(base + p for p in pages)
        assert all(a["published"] for a in listed)  # the feed's dates where pages have none
        corpus = client.get("/corpus").text
        assert f"<strong>{GOOD}</strong> articles match" in corpus
