"""The user cache of what starts would compute again (``newsaudit.cache``): entries are
found by the file's stamp, damaged or stale ones are not read, racing workers each see a
whole file, and without a writable cache the work is done in memory."""

from __future__ import annotations

import gzip
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from newsaudit import cache


@pytest.fixture
def packaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "model.npz"
    np.savez_compressed(path, **{"de/a": np.arange(1000.0), "de/b": np.ones(3), "multi/a": [7]})
    return path


def _entries(root: Path) -> list[Path]:
    """The cache's entries, without the stamp files that name them."""
    files = (root / "cache").rglob("*")
    return sorted(p for p in files if p.is_file() and "stamps" not in p.parts)


def test_the_arrays_are_read_back_from_an_uncompressed_copy(packaged: Path) -> None:
    first = cache.npz_arrays(packaged, "de/")
    assert sorted(first) == ["de/a", "de/b"]
    (entry,) = _entries(packaged.parent)
    with np.load(entry) as stored:
        assert sorted(stored.files) == ["de/a", "de/b", "multi/a"]
    again = cache.npz_arrays(packaged, "multi/")
    assert list(again) == ["multi/a"] and again["multi/a"].tolist() == [7]
    np.testing.assert_array_equal(cache.npz_arrays(packaged)["de/a"], np.arange(1000.0))


def test_a_damaged_copy_is_detected_and_made_again(packaged: Path) -> None:
    cache.npz_arrays(packaged)
    (entry,) = _entries(packaged.parent)
    whole = bytearray(entry.read_bytes())
    at = whole.find(np.arange(1000.0).tobytes()[800:808])
    whole[at] ^= 0xFF  # one flipped byte inside an array: its CRC no longer holds
    entry.write_bytes(bytes(whole))
    np.testing.assert_array_equal(cache.npz_arrays(packaged)["de/a"], np.arange(1000.0))
    assert entry.read_bytes() != bytes(whole)
    entry.write_bytes(b"garbage")
    np.testing.assert_array_equal(cache.npz_arrays(packaged)["de/a"], np.arange(1000.0))


def test_a_rewritten_file_is_not_read_from_its_stale_copy(packaged: Path) -> None:
    cache.npz_arrays(packaged)
    other = packaged.with_name("other.npz")
    np.savez_compressed(other, **{"de/a": np.zeros(1000), "de/b": np.ones(3), "multi/a": [7]})
    os.replace(other, packaged)
    np.testing.assert_array_equal(cache.npz_arrays(packaged)["de/a"], np.zeros(1000))


def test_workers_racing_to_make_the_copy_all_read_the_arrays(packaged: Path) -> None:
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: cache.npz_arrays(packaged)["de/a"], range(6)))
    assert all(np.array_equal(r, np.arange(1000.0)) for r in results)
    assert len(_entries(packaged.parent)) == 1  # and no temporary file left


def test_without_a_writable_cache_the_arrays_are_read_in_memory(
    packaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = packaged.parent / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(blocked))
    np.testing.assert_array_equal(cache.npz_arrays(packaged)["de/a"], np.arange(1000.0))
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(packaged.parent / "missing" / "folder"))
    assert cache.npz_arrays(packaged, "multi/")["multi/a"].tolist() == [7]
    assert (packaged.parent / "missing" / "folder" / "arrays").is_dir()


def test_the_stamp_changes_with_the_file_and_the_versions(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"one")
    first = cache.stamp(path, "1")
    assert cache.stamp(path, "1") == first != cache.stamp(path, "2")
    replacement = tmp_path / "g"
    replacement.write_bytes(b"two")
    os.replace(replacement, path)
    assert cache.stamp(path, "1") != first


@pytest.fixture
def lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "vocabulary.json.gz"
    path.write_bytes(gzip.compress(json.dumps(LISTS).encode()))
    return path


LISTS = {"de/word": ["ab", "über", "", "x y"], "de/char": [], "multi/word": ["€", ""]}


def test_string_lists_are_read_back_from_the_copy_one_list_at_a_time(
    lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cache.string_lists(lists) == LISTS
    assert len(_entries(lists.parent)) == 1

    def unreadable(data: bytes) -> bytes:
        raise AssertionError("the packaged file was decompressed again")

    monkeypatch.setattr(cache.gzip, "decompress", unreadable)
    assert cache.string_lists(lists, ["multi/word", "de/char"]) == {
        "multi/word": ["€", ""],
        "de/char": [],
    }
    assert cache.string_lists(lists) == LISTS


def test_a_damaged_string_copy_is_detected_and_made_again(lists: Path) -> None:
    cache.string_lists(lists)
    (entry,) = _entries(lists.parent)
    entry.write_bytes(entry.read_bytes().replace("über".encode(), b"uber"))
    assert cache.string_lists(lists, ["de/word"]) == {"de/word": LISTS["de/word"]}
    assert "über".encode() in entry.read_bytes()


def test_without_a_writable_cache_the_string_lists_are_parsed(
    lists: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = lists.parent / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("NEWSAUDIT_CACHE", str(blocked))
    assert cache.string_lists(lists, ["de/word"]) == {"de/word": LISTS["de/word"]}


def test_two_checkouts_of_the_same_file_share_one_entry(packaged: Path) -> None:
    import shutil

    other = packaged.parent / "checkout" / "model.npz"
    other.parent.mkdir()
    shutil.copy(packaged, other)
    cache.npz_arrays(packaged)
    cache.npz_arrays(other)
    assert len(_entries(packaged.parent)) == 1
    stamps = list((packaged.parent / "cache" / "arrays" / "stamps").iterdir())
    assert len(stamps) == 2 and {s.read_text() for s in stamps} == {
        _entries(packaged.parent)[0].stem
    }
