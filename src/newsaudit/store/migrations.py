"""A small versioned migration table: each step runs once, in order, in a transaction.

Steps are append-only: never edit a released step, add a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, bindparam, inspect, select, text, update

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


def _newest_first_indexes(conn: Connection) -> None:
    """PostgreSQL cannot serve ``published DESC NULLS LAST`` from an ascending index.

    SQLite sorts NULL lowest, so a backward scan of its ascending indexes already gives
    newest-first with undated articles last; PostgreSQL needs indexes in that order.
    """
    if conn.dialect.name != "postgresql":
        return
    for name, prefix in (
        ("ix_articles_published", ""),
        ("ix_articles_source_published", "source, "),
        ("ix_articles_language_published", "language, "),
    ):
        conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
        conn.execute(
            text(f"CREATE INDEX {name} ON articles ({prefix}published DESC NULLS LAST, id DESC)")
        )


_WORD_COLUMNS = (
    ("articles", "n_words"),
    ("article_techniques", "strong"),
    ("rollup_counts", "words"),
    ("rollup_counts", "strong"),
)


def _words_and_strong_flags(conn: Connection) -> None:
    """Words per article and strong flags per technique, for rates per 1,000 words; when a
    batch started, for its rate; an index on article links, for the feed monitor.

    Reports stored so far carry no flag levels, so each of their flags counts as strong.
    """
    from newsaudit.store.rollups import rebuild, word_count

    for table, column in _WORD_COLUMNS:
        if column not in {c["name"] for c in inspect(conn).get_columns(table)}:
            conn.execute(
                text(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
            )
    if "started_at" not in {c["name"] for c in inspect(conn).get_columns("batches")}:
        conn.execute(text("ALTER TABLE batches ADD COLUMN started_at TIMESTAMP"))
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_articles_url_prefix "
            f"ON articles (substr(url, 1, {schema.URL_PREFIX}))"
        )
    )
    articles = schema.articles
    last = 0
    while rows := conn.execute(
        select(articles.c.id, articles.c.text)
        .where(articles.c.id > last)
        .order_by(articles.c.id)
        .limit(1000)
    ).all():
        conn.execute(
            update(articles).where(articles.c.id == bindparam("row_id")),
            [{"row_id": row.id, "n_words": word_count(row.text)} for row in rows],
        )
        last = rows[-1].id
    techniques = schema.article_techniques
    conn.execute(update(techniques).values(strong=techniques.c.n))
    rebuild(conn)


def _credibility(conn: Connection) -> None:
    """The credibility score column and the signals side table, filled from stored Reports
    (those stored before the credibility analyzer have no score: NULL, no signals)."""
    from newsaudit.store.signals import signal_rows

    if "credibility" not in {c["name"] for c in inspect(conn).get_columns("articles")}:
        conn.execute(text("ALTER TABLE articles ADD COLUMN credibility FLOAT"))
    schema.metadata.create_all(conn, tables=[schema.article_signals])
    conn.execute(
        text("CREATE INDEX IF NOT EXISTS ix_articles_credibility ON articles (credibility)")
    )
    articles = schema.articles
    last = 0
    while rows := conn.execute(
        select(articles.c.id, articles.c.report)
        .where(articles.c.id > last)
        .order_by(articles.c.id)
        .limit(500)
    ).all():
        for row in rows:
            score, signals = signal_rows(row.id, row.report)
            if score is not None:
                conn.execute(
                    update(articles).where(articles.c.id == row.id).values(credibility=score)
                )
            if signals:
                conn.execute(schema.article_signals.insert(), signals)
        last = rows[-1].id


# The query in repository.py must repeat this expression exactly for the index to be used.
POSTGRES_TSVECTOR = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"


def _narratives(conn: Connection) -> None:
    """The known-narrative side table, filled from the reports already stored."""
    import json

    from newsaudit.store.narrative_rows import narrative_rows

    schema.metadata.create_all(conn, tables=[schema.article_narratives])
    last = 0
    while True:
        rows = conn.execute(
            select(schema.articles.c.id, schema.articles.c.report)
            .where(schema.articles.c.id > last)
            .order_by(schema.articles.c.id)
            .limit(500)
        ).all()
        if not rows:
            return
        values = []
        for article_id, report in rows:
            try:
                matches = json.loads(report).get("narratives") or []
            except (ValueError, AttributeError):
                matches = []
            values += narrative_rows(article_id, matches)
        if values:
            conn.execute(schema.article_narratives.insert(), values)
        last = rows[-1][0]


STEPS: list[tuple[int, str, Step]] = [
    (1, "articles, side tables and batches", _create_tables),
    (2, "full-text index", _full_text_index),
    (3, "dashboard roll-ups", _rollups),
    (4, "newest-first indexes on PostgreSQL", _newest_first_indexes),
    (5, "words per article, strong flags, batch start", _words_and_strong_flags),
    (6, "known narratives per article", _narratives),
    (7, "credibility score and signals", _credibility),
]


def current_version(engine: Engine) -> int:
    if not inspect(engine).has_table("schema_migrations"):
        return 0
    with engine.connect() as conn:
        versions = conn.execute(select(schema.schema_migrations.c.version)).scalars().all()
    return max(versions, default=0)


@contextmanager
def _exclusive(engine: Engine) -> Iterator[Connection]:
    """A transaction that no other process runs at the same time, so each step runs once.

    PostgreSQL takes an advisory lock; SQLite a write lock from the start (``BEGIN
    IMMEDIATE``, which waits out the busy timeout), because by default it locks only at the
    first write, after both processes have read that nothing was migrated yet.
    """
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(7211530)"))
            yield conn
        return
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")  # the driver must not BEGIN itself
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise
        conn.exec_driver_sql("COMMIT")


def migrate(engine: Engine) -> int:
    """Bring the database to the latest version; returns that version."""
    with _exclusive(engine) as conn:
        schema.schema_migrations.create(conn, checkfirst=True)
        done = set(conn.execute(select(schema.schema_migrations.c.version)).scalars())
        for version, name, step in STEPS:
            if version in done:
                continue
            step(conn)
            conn.execute(
                schema.schema_migrations.insert().values(
                    version=version,
                    name=name,
                    applied_at=schema.utc_now(),
                )
            )
    return STEPS[-1][0]
