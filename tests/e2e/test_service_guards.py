"""The service refuses what it must with a 4xx, never a 500: foreign hosts, cross-site
writes, ids and pages beyond any database integer, deeply nested JSON."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient
from test_service import make_client

from newsaudit.pipeline import Pipeline, default_analyzers

TEXT = "Die Stadt Kassel will eine neue Brücke bauen. Der Rat stimmte am Montag zu."
EVIL = "http://evil.example"


@pytest.fixture(scope="module")
def keywords_only() -> Pipeline:
    return Pipeline(default_analyzers(["keywords"]))


@pytest.fixture
def client(tmp_path, keywords_only: Pipeline):
    with make_client(f"sqlite:///{tmp_path / 'store.db'}", pipeline=keywords_only) as c:
        yield c


def _count(client: TestClient) -> int:
    return client.get("/api/articles").json()["total"]


@pytest.mark.parametrize("host", ["evil.example", "rebound.example:8000"])
def test_foreign_host_names_are_refused(client: TestClient, host: str) -> None:
    # Regression: any Host was answered, so a DNS-rebinding page could read the corpus.
    response = client.get("/api/articles", headers={"host": host})
    assert response.status_code == 400
    assert "does not answer to the host name" in response.json()["detail"]
    assert client.get("/", headers={"host": host}).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "10.0.0.7"])
def test_addresses_and_localhost_are_answered(client: TestClient, host: str) -> None:
    assert client.get("/api/articles", headers={"host": host}).status_code == 200


def test_allowed_host_names_are_answered(tmp_path, keywords_only: Pipeline) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with make_client(url, pipeline=keywords_only, allowed_hosts=("news.example",)) as c:
        assert c.get("/api/articles", headers={"host": "news.example"}).status_code == 200
        assert c.get("/api/articles", headers={"host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(
    "headers",
    [{"origin": EVIL}, {"origin": "null"}, {"referer": f"{EVIL}/page.html"}],
)
def test_cross_site_writes_without_a_token_are_refused(client: TestClient, headers: dict) -> None:
    # Regression: any web page the user visited could post forms to the loopback service.
    form = client.post("/analyze", data={"text": TEXT}, headers=headers, follow_redirects=False)
    assert form.status_code == 403 and "cross-site" in form.json()["detail"]
    api = client.post("/api/analyze", json={"text": TEXT}, headers=headers)
    assert api.status_code == 403
    batch = client.post(
        "/api/batches",
        files={"file": ("c.jsonl", json.dumps({"text": TEXT}).encode())},
        headers=headers,
    )
    assert batch.status_code == 403
    assert _count(client) == 0


def test_same_site_and_token_header_writes_pass(client: TestClient) -> None:
    same = {"origin": "http://127.0.0.1:8000"}
    form = client.post("/analyze", data={"text": TEXT}, headers=same, follow_redirects=False)
    assert form.status_code == 303
    tokened = {"origin": EVIL, "x-newsaudit-token": "anything"}  # a page cannot set headers
    api = client.post("/api/analyze", json={"text": TEXT + " Noch ein Satz."}, headers=tokened)
    assert api.status_code == 201
    assert _count(client) == 2


def test_pages_ask_browsers_to_send_their_origin(client: TestClient) -> None:
    # "no-referrer" made browsers send "Origin: null" with the service's own forms.
    assert client.get("/").headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/articles/{2**63}",
        f"/api/articles/{2**64}",
        f"/articles/{2**63}",
        f"/api/batches/{'x' * 5000}",
    ],
)
def test_ids_beyond_any_database_integer_are_404(client: TestClient, path: str) -> None:
    # Regression: ids of 2**63 and more answered 500.
    assert client.get(path).status_code == 404


def test_pages_and_dates_beyond_any_database_value_are_4xx(client: TestClient) -> None:
    # Regression: page numbers of 2**63 and date_to=9999-12-31 answered 500.
    assert client.post("/api/analyze", json={"text": TEXT}).status_code == 201
    assert client.get("/api/articles", params={"page": 2**63}).status_code == 422
    assert client.get("/corpus", params={"page_number": 2**63}).status_code == 422
    for path in ("/api/articles", "/api/stats", "/corpus"):
        assert client.get(path, params={"date_to": "9999-12-31"}).status_code == 200


def test_deeply_nested_json_is_400(client: TestClient) -> None:
    body = b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post(
        "/api/analyze", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and "nests too deeply" in response.json()["detail"]


@pytest.mark.parametrize(
    ("date", "problem"),
    [
        ("0001-01-01T00:00:00+05:00", "is out of range"),
        ("9999-12-31T23:59:59-05:00", "is out of range"),
        ("yesterday", "is not a date newsaudit can read"),
    ],
)
def test_an_unusable_date_is_a_warning_not_a_500(
    client: TestClient, date: str, problem: str
) -> None:
    # Regression: out-of-range dates answered 500 after the whole analysis.
    response = client.post("/api/analyze", json={"text": f"{TEXT} {date}", "date": date})
    assert response.status_code == 201
    body = response.json()
    assert body["report"]["metadata"]["date"] == date
    assert body["warnings"] == body["report"]["warnings"] and len(body["warnings"]) == 1
    assert body["warnings"][0].startswith(f"date {date!r} {problem}")
    assert client.get(f"/api/articles/{body['article_id']}").json()["published"] is None


def test_batch_errors_name_the_upload_not_the_servers_files(client: TestClient) -> None:
    # Regression: batch errors showed server temp-file names.
    corpus = json.dumps({"id": "ok", "text": TEXT}) + "\n{broken\n"
    started = client.post("/api/batches", files={"file": ("meine.jsonl", corpus.encode())})
    assert started.status_code == 202
    deadline = time.monotonic() + 60
    while (batch := client.get(started.json()["status_url"]).json())["status"] not in (
        "done",
        "failed",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert (batch["status"], batch["stored"], batch["failed"]) == ("done", 1, 1)
    assert batch["message"].startswith("meine.jsonl:2: row is not valid JSON")
    assert "newsaudit-" not in batch["message"] and "/tmp" not in batch["message"]
