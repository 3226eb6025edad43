"""Database URLs and engines: SQLite by default, PostgreSQL when asked."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from newsaudit.config import data_dir
from newsaudit.errors import InputError


def default_db_url() -> str:
    """``NEWSAUDIT_DB`` if set, else a SQLite file in the user's data directory."""
    if os.environ.get("NEWSAUDIT_DB"):
        return os.environ["NEWSAUDIT_DB"]
    return f"sqlite:///{data_dir() / 'newsaudit.db'}"


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    try:
        parsed = make_url(url)
    except Exception:
        raise InputError(
            f"not a database URL: {url!r} (use sqlite:///path or postgresql://user@host/db)"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError(
            f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql"
        )
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
            # WAL lets the dashboard read while a batch writes; foreign keys cascade deletes.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise InputError(
            "PostgreSQL support needs psycopg: pip install 'newsaudit[postgres]'"
        ) from None
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
