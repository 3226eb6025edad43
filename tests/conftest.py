"""Shared fixtures: the sample article and ../shared/data (skipped with a reason if absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSAUDIT_SHARED", REPO.parent / "shared"))
SAMPLE = SHARED / "samples" / "seed-article-de.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    if not SAMPLE.is_file():
        pytest.skip(f"the sample article is not at {SAMPLE}")
    return SAMPLE


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests marked ``needs_shared_data`` skip when it is missing."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"../shared/data is not at {data} (set NEWSAUDIT_SHARED to its parent)")
    return data


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
