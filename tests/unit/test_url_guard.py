import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsaudit.config import Limits
from newsaudit.errors import FetchError
from newsaudit.ingest.url import _is_public, fetch, resolve


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fd00::1",
        "100.64.0.1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_non_public_addresses_are_blocked(address: str) -> None:
    assert not _is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_pass(address: str) -> None:
    assert _is_public(ipaddress.ip_address(address))


def test_localhost_names_are_refused_after_resolution() -> None:
    with pytest.raises(FetchError, match="non-public address"):
        resolve("localhost", 80, allow_private=False)
    assert resolve("localhost", 80, allow_private=True) in ("127.0.0.1", "::1")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x"])
def test_only_http_schemes(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url, Limits())


class _Trickle(BaseHTTPRequestHandler):
    """Headers at once, then one byte of body every 0.2 s for 8 s."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", "40")
        self.end_headers()
        try:
            for _ in range(40):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass  # the client gave up, as it should

    def log_message(self, *_: object) -> None:
        pass


def test_a_trickling_server_cannot_hold_a_fetch_past_its_deadline() -> None:
    # Regression: the timeout applied per socket read, so one byte every 0.2 s never timed out.
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    limits = Limits(allow_private=True, fetch_timeout=5.0, fetch_total_timeout=1.5)
    began = time.monotonic()
    try:
        with pytest.raises(FetchError, match="took longer than 1.5 s"):
            fetch(f"http://127.0.0.1:{server.server_port}/slow", limits)
    finally:
        server.shutdown()
    assert time.monotonic() - began < 4


def test_the_refusal_names_the_cli_flag_only_as_a_cli_hint() -> None:
    # Regression: the API's refusal told its users to "pass --allow-private", a CLI flag.
    with pytest.raises(FetchError) as refused:
        resolve("localhost", 80, allow_private=False)
    assert "--allow-private" not in str(refused.value)
    assert refused.value.cli_hint == "pass --allow-private to allow it"
