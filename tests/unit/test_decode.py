import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.errors import InputError
from newsaudit.ingest import document_from_bytes, document_from_text
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
    decoded = decode_bytes(data)
    assert decoded.text == (expected or "Die Bürger äußern Ärger über Straßen und Brücken")
    assert decoded.warnings == ()


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


_GERMAN = "Die Maßnahmen der Bürgerinitiative für Straßen und Brücken in Köln überzeugen."


def test_one_invalid_byte_in_utf8_is_replaced_with_a_warning() -> None:
    # Regression: one bad byte made the whole article a legacy code page ("MaĂźnahmen").
    data = _GERMAN.encode() + b" Ein Zeichen \xff ist kaputt. " + _GERMAN.encode()
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text == f"{_GERMAN} Ein Zeichen \ufffd ist kaputt. {_GERMAN}"
    assert decoded.warnings == ("1 byte(s) were not valid UTF-8 and were replaced by \ufffd",)


def test_a_legacy_code_page_is_used_only_when_utf8_does_not_fit() -> None:
    decoded = decode_bytes(_GERMAN.encode("cp1252"))
    assert decoded.text == _GERMAN and decoded.encoding.startswith("cp125")
    assert decoded.warnings == ()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_text_not_binary(encoding: str) -> None:
    # Regression: UTF-16 without BOM was refused as "binary data (NUL bytes)".
    assert decode_bytes(_GERMAN.encode(encoding)).text == _GERMAN
    russian = "Городской совет Москвы в понедельник принял новый бюджет для школ."
    assert decode_bytes(russian.encode(encoding)).text == russian


def test_a_stray_nul_is_removed_and_offsets_map_back() -> None:
    # Regression: one NUL inside normal text rejected the whole article.
    source = "Der Rat tagte\x00 am Montag in Bonn. Er beschloss\x07 den Haushalt für das Jahr."
    document = document_from_bytes(source.encode())
    assert document.text == source.replace("\x00", "").replace("\x07", "")
    start = document.text.index("am Montag")
    assert source[document.offset_map.to_source(start) :].startswith("am Montag")
    assert document.warnings == [
        "2 control character(s) such as NUL were removed from the text "
        "(offset_map maps back to the input)"
    ]


def test_random_bytes_arriving_as_a_string_are_rejected() -> None:
    # Regression: latin-1-decoded noise was analysed as Portuguese.
    rng = random.Random(5)
    noise = bytes(rng.choice([*range(0x20, 0x7F), *range(0xA0, 0x100)]) for _ in range(3000))
    with pytest.raises(InputError, match="binary data decoded as text"):
        document_from_text(noise.decode("latin-1"))
    with pytest.raises(InputError, match="binary"):
        document_from_text(bytes(rng.randrange(256) for _ in range(3000)).decode("latin-1"))


@pytest.mark.parametrize(
    "text",
    [
        _GERMAN,
        "THE COUNCIL MET ON MONDAY AND PASSED THE BUDGET FOR ALL SCHOOLS IN THE CITY.",
        "McDonald und iPhone: Die Stadt Bonn plant mit der DB und der EU neue Wege für alle.",
        "Городской совет Москвы в понедельник принял новый бюджет для школ города.",
    ],
)
def test_ordinary_prose_is_not_noise(text: str) -> None:
    check_text(text * 3)


def test_binary_with_nul_bytes_at_one_parity_is_not_utf16() -> None:
    import struct

    numbers = struct.pack("<2000H", *range(1, 2001))  # small 16-bit integers: NUL high bytes
    with pytest.raises(InputError, match="binary"):
        document_from_bytes(numbers)
    with pytest.raises(InputError, match="binary"):
        document_from_bytes(b"\x00\x01\x02binary")
