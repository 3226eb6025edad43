import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.errors import InputError
from newsaudit.ingest.decode import check_text, decode_bytes, normalise


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Grüße aus Köln".encode(), "Grüße aus Köln"),
        ("Grüße aus Köln".encode("utf-8-sig"), "Grüße aus Köln"),
        ("Grüße aus Köln".encode("utf-16"), "Grüße aus Köln"),
        ("Die Bürger äußern Ärger über Straßen und Brücken".encode("cp1252"), None),
    ],
)
def test_decode_detects_encoding(data: bytes, expected: str | None) -> None:
    text, _ = decode_bytes(data)
    assert text == (expected or "Die Bürger äußern Ärger über Straßen und Brücken")


def test_binary_and_empty_inputs_are_rejected_with_a_reason() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    with pytest.raises(InputError, match="empty"):
        check_text("   \n\t ")
    with pytest.raises(InputError, match="binary"):
        check_text("abc\x01\x02\x03\x04\x05\x06 def " * 3)


def test_size_limit_is_enforced_before_decoding() -> None:
    with pytest.raises(InputError, match="above the limit"):
        decode_bytes(b"a" * 101, max_bytes=100)


def test_normalise_maps_offsets_back_to_the_source() -> None:
    source = "Cafe\u0301 in Ko\u0308ln\r\nzwei\u00adte Zeile"
    text, mapping = normalise(source)
    assert text == "Café in Köln\nzweite Zeile"
    assert source[mapping.to_source(text.index("in")) :].startswith("in")
    assert source[mapping.to_source(text.index("zweite")) :].startswith("zwei")
    assert source[mapping.to_source(text.index("te Zeile")) :].startswith("te Zeile")


def test_unchanged_text_has_an_empty_map() -> None:
    text, mapping = normalise("Schon normal.\nZweite Zeile.")
    assert text == "Schon normal.\nZweite Zeile." and mapping.breakpoints == []


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_normalise_is_nfc_and_maps_monotonically(source: str) -> None:
    text, mapping = normalise(source)
    assert unicodedata.is_normalized("NFC", text)
    assert "\r" not in text
    positions = [mapping.to_source(i) for i in range(len(text) + 1)]
    assert positions == sorted(positions)
    assert all(0 <= p <= len(source) for p in positions)
