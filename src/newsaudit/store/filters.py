"""Which stored articles a query means: the corpus page's and the API's filters in SQL."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, exists, literal_column, select, table, text

from newsaudit.store.migrations import POSTGRES_TSVECTOR
from newsaudit.store.schema import (
    article_entities,
    article_signals,
    article_speakers,
    article_techniques,
    articles,
)

SORTS = ("newest", "score", "-score")

KEY_LEN = 300


def name_key(name: str) -> str:
    """How names are matched: white space collapsed, lower case, cut to the column width."""
    return " ".join(name.split()).lower()[:KEY_LEN]


@dataclass
class ArticleFilter:
    """What the corpus page and ``GET /api/articles`` filter by; None means any."""

    source: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    language: str | None = None
    technique: str | None = None
    entity: str | None = None
    q: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    signal: str | None = None
    signal_min: float | None = None
    sort: str = "newest"


def _full_text(dialect: str, query: str) -> ColumnElement[bool] | None:
    words = re.findall(r"\w+", query)
    if not words:
        return None
    if dialect == "postgresql":
        return text(f"{POSTGRES_TSVECTOR} @@ plainto_tsquery('simple', :fts_query)").bindparams(
            fts_query=" ".join(words)
        )
    match = " ".join(f'"{w}"' for w in words)
    matching = (
        select(literal_column("rowid"))
        .select_from(table("articles_fts"))
        .where(literal_column("articles_fts").op("MATCH")(bindparam("fts_query", match)))
    )
    return articles.c.id.in_(matching)


def conditions(dialect: str, f: ArticleFilter) -> list[ColumnElement[bool]]:
    """The conditions on ``articles`` that select what ``f`` asks for."""
    conds: list[ColumnElement[bool]] = []
    if f.source:
        conds.append(articles.c.source == f.source)
    if f.language:
        conds.append(articles.c.language == f.language)
    if f.date_from:
        conds.append(articles.c.published >= dt.datetime.combine(f.date_from, dt.time.min))
    if f.date_to == dt.date.max:  # the day after it has no datetime
        conds.append(articles.c.published.is_not(None))
    elif f.date_to:
        end = dt.datetime.combine(f.date_to, dt.time.min) + dt.timedelta(days=1)
        conds.append(articles.c.published < end)
    # Uncorrelated IN subqueries: the database reads the few matching ids from the side
    # table's (key, article_id) index instead of probing it once per article.
    if f.technique and (f.source or f.date_from or f.date_to):
        # An outlet or date index already narrows the rows: probe each one's techniques
        # (aliased, so it never auto-correlates with the side table in stats()).
        t = article_techniques.alias("ft")
        conds.append(exists().where(t.c.article_id == articles.c.id, t.c.technique == f.technique))
    elif f.technique:
        conds.append(
            articles.c.id.in_(
                select(article_techniques.c.article_id).where(
                    article_techniques.c.technique == f.technique
                )
            )
        )
    if f.entity and name_key(f.entity):
        name = name_key(f.entity)
        conds.append(
            articles.c.id.in_(
                select(article_entities.c.article_id)
                .where(article_entities.c.key == name)
                .union(select(article_speakers.c.article_id).where(article_speakers.c.key == name))
            )
        )
    if f.min_score is not None:
        conds.append(articles.c.credibility >= f.min_score)
    if f.max_score is not None:
        conds.append(articles.c.credibility <= f.max_score)
    if f.signal:
        # Articles where the signal was raised: its value above 0, or at least signal_min.
        value = article_signals.c.value
        conds.append(
            articles.c.id.in_(
                select(article_signals.c.article_id).where(
                    article_signals.c.signal == f.signal,
                    value >= f.signal_min if f.signal_min is not None else value > 0,
                )
            )
        )
    if f.q:
        condition = _full_text(dialect, f.q)
        if condition is not None:
            conds.append(condition)
    return conds
