"""A small versioned migration table: each step runs once, in order, in a transaction.

Steps are append-only: never edit a released step, add a new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Connection, Engine, inspect, select, text

from newsaudit.store import schema

Step = Callable[[Connection], None]


def _create_tables(conn: Connection) -> None:
    tables = [
        schema.articles,
        schema.article_techniques,
        schema.article_entities,
        schema.article_speakers,
        schema.batches,
    ]
    schema.metadata.create_all(conn, tables=tables)


def _rollups(conn: Connection) -> None:
    from newsaudit.store.rollups import rebuild

    tables = [schema.rollup_counts, schema.rollup_speakers, schema.rollup_entities]
    schema.metadata.create_all(conn, tables=tables)
    rebuild(conn)


def _full_text_index(conn: Connection) -> None:
    """Full-text search: a GIN index on PostgreSQL, an FTS5 table on SQLite."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text(f"CREATE INDEX ix_articles_fts ON articles USING GIN (({POSTGRES_TSVECTOR}))")
        )
        return
    conn.exec_driver_sql(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "title, text, content='articles', content_rowid='id', tokenize='unicode61')"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END"
    )
    conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


# The query in repository.py must repeat this expression exactly for the index to be used.
POSTGRES_TSVECTOR = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"

STEPS: list[tuple[int, str, Step]] = [
    (1, "articles, side tables and batches", _create_tables),
    (2, "full-text index", _full_text_index),
    (3, "dashboard roll-ups", _rollups),
]


def current_version(engine: Engine) -> int:
    if not inspect(engine).has_table("schema_migrations"):
        return 0
    with engine.connect() as conn:
        versions = conn.execute(select(schema.schema_migrations.c.version)).scalars().all()
    return max(versions, default=0)


def migrate(engine: Engine) -> int:
    """Bring the database to the latest version; returns that version."""
    schema.schema_migrations.create(engine, checkfirst=True)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes opening a fresh database must not both run a step.
            conn.execute(text("SELECT pg_advisory_xact_lock(7211530)"))
        done = set(conn.execute(select(schema.schema_migrations.c.version)).scalars())
        for version, name, step in STEPS:
            if version in done:
                continue
            step(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=version,
                    name=name,
                    applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                )
            )
    return STEPS[-1][0]
