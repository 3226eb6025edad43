import ipaddress

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
