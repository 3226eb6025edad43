"""Tables of the corpus store.

The full Report is kept as JSON beside a few columns and side tables that the filters and
dashboards query, each with the index that keeps it fast on a million articles. A change
here needs a new step in :mod:`newsaudit.store.migrations`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("doc_id", String(300)),
    Column("source", String(300)),
    Column("url", Text),
    Column("title", Text),
    Column("language", String(16)),
    Column("published", DateTime),
    Column("created_at", DateTime, nullable=False),
    Column("n_chars", Integer, nullable=False),
    Column("n_words", Integer, nullable=False, server_default="0"),
    Column("schema_version", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("report", Text, nullable=False),
    # Report.credibility.score (a style estimate), NULL for reports without one.
    Column("credibility", Float),
)
Index("ix_articles_source_published", articles.c.source, articles.c.published)
Index("ix_articles_language_published", articles.c.language, articles.c.published)
Index("ix_articles_published", articles.c.published)
# A feed monitor asks which links it stored before; a prefix keeps PostgreSQL's index rows small.
URL_PREFIX = 500
Index("ix_articles_url_prefix", func.substr(articles.c.url, 1, URL_PREFIX))


def _count_table(name: str, *columns: Column) -> Table:
    """A side table: one row per (article, key) with how often the key occurs."""
    return Table(
        name,
        metadata,
        Column(
            "article_id",
            Integer,
            ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        *columns,
        Column("n", Integer, nullable=False),
    )


article_techniques = _count_table(
    "article_techniques",
    Column("technique", String(100), primary_key=True),
    # Of the ``n`` flags, how many are strong (all of them in reports without flag levels).
    Column("strong", Integer, nullable=False, server_default="0"),
)
Index(
    "ix_article_techniques_technique",
    article_techniques.c.technique,
    article_techniques.c.article_id,
)

article_entities = _count_table(
    "article_entities",
    Column("key", String(300), primary_key=True),
    Column("label", String(8), primary_key=True),
    Column("name", String(300), nullable=False),
)
Index("ix_article_entities_key", article_entities.c.key, article_entities.c.article_id)

article_speakers = _count_table(
    "article_speakers",
    Column("key", String(300), primary_key=True),
    Column("name", String(300), nullable=False),
)
Index("ix_article_speakers_key", article_speakers.c.key, article_speakers.c.article_id)

# Known-narrative cases an article repeats (Report.narratives), one row per case.
article_narratives = _count_table(
    "article_narratives",
    Column("key", String(300), primary_key=True),
    Column("database", String(100), nullable=False),
    Column("title", Text, nullable=False),
    Column("url", Text),
)
Index("ix_article_narratives_key", article_narratives.c.key, article_narratives.c.article_id)
# Each stored article's numeric credibility signals, for filtering and sorting by signal.
article_signals = Table(
    "article_signals",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("signal", String(64), primary_key=True),
    Column("value", Float, nullable=False),
)
Index("ix_article_signals_signal_value", article_signals.c.signal, article_signals.c.value)
Index("ix_articles_credibility", articles.c.credibility)

batches = Table(
    "batches",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("total", Integer, nullable=False, default=0),
    Column("done", Integer, nullable=False, default=0),
    Column("stored", Integer, nullable=False, default=0),
    Column("skipped", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("message", Text),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("started_at", DateTime),  # when a worker took it up: the clock of its rate
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

# Roll-ups kept current on every insert, so the unfiltered dashboard (and the one filtered by
# outlet or language) reads a few thousand rows instead of aggregating a million articles.
# '' stands for an unknown outlet or language and an undated month; technique '' counts the
# articles themselves.
rollup_counts = Table(
    "rollup_counts",
    metadata,
    Column("source", String(300), primary_key=True),
    Column("language", String(16), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("technique", String(100), primary_key=True),
    Column("articles", Integer, nullable=False),
    Column("flags", Integer, nullable=False),
    # Words of the articles (technique '' rows) and strong flags (technique rows), so the
    # dashboard shows rates per 1,000 words, which do not saturate as shares of articles do.
    Column("words", Integer, nullable=False, server_default="0"),
    Column("strong", Integer, nullable=False, server_default="0"),
)
# People are rolled up per language and, under language '*', over all languages.
rollup_speakers = Table(
    "rollup_speakers",
    metadata,
    Column("language", String(16), primary_key=True),
    Column("key", String(300), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("quotes", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
)
Index("ix_rollup_speakers_quotes", rollup_speakers.c.language, rollup_speakers.c.quotes)
rollup_entities = Table(
    "rollup_entities",
    metadata,
    Column("language", String(16), primary_key=True),
    Column("key", String(300), primary_key=True),
    Column("label", String(8), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
)
Index("ix_rollup_entities_mentions", rollup_entities.c.language, rollup_entities.c.mentions)


def utc_now() -> dt.datetime:
    """Timestamps are stored as naive UTC datetimes."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
