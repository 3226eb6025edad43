"""Dashboard roll-ups: bumped in the same transaction as each insert, rebuilt on demand."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from newsaudit.store.schema import (
    article_entities,
    article_speakers,
    article_techniques,
    articles,
    rollup_counts,
    rollup_entities,
    rollup_speakers,
)

ALL_LANGUAGES = "*"
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def word_count(text: str) -> int:
    """Words as a reader counts them (a hyphenated compound is one)."""
    return len(_WORD.findall(text))


def month_of(published: dt.datetime | None) -> str:
    return published.strftime("%Y-%m") if published else ""


def _month_sql(conn: Connection) -> Any:
    if conn.dialect.name == "postgresql":
        month = func.to_char(articles.c.published, "YYYY-MM")
    else:
        month = func.strftime("%Y-%m", articles.c.published)
    return func.coalesce(month, "")


def _smaller(conn: Connection, a: Any, b: Any) -> Any:
    """The smaller of two names, so a roll-up names a key as the live query's min() does."""
    return func.least(a, b) if conn.dialect.name == "postgresql" else func.min(a, b)


def _upsert(
    conn: Connection,
    table: Any,
    rows: list[dict[str, Any]],
    keys: list[str],
    sums: list[str],
    name: bool = False,
) -> None:
    if not rows:
        return
    insert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)
    updates = {c: table.c[c] + insert.excluded[c] for c in sums}
    if name:
        updates["name"] = _smaller(conn, table.c.name, insert.excluded.name)
    # Sorted, so concurrent writers lock roll-up rows in the same order (no deadlocks).
    rows = sorted(rows, key=lambda r: tuple(r[k] for k in keys))
    conn.execute(insert.on_conflict_do_update(index_elements=keys, set_=updates), rows)


def bump(
    conn: Connection,
    article: Mapping[str, Any],
    techniques: Mapping[str, int],
    entities: list[dict[str, Any]],
    speakers: list[dict[str, Any]],
    strong: Mapping[str, int],
) -> None:
    """Count one newly stored article into every roll-up."""
    where = {
        "source": article["source"] or "",
        "language": article["language"] or "",
        "month": month_of(article["published"]),
    }
    counts = [
        {
            **where,
            "technique": "",
            "articles": 1,
            "flags": 0,
            "words": article["n_words"],
            "strong": 0,
        }
    ]
    counts += [
        {**where, "technique": t, "articles": 1, "flags": n, "words": 0, "strong": strong.get(t, 0)}
        for t, n in techniques.items()
    ]
    _upsert(
        conn,
        rollup_counts,
        counts,
        ["source", "language", "month", "technique"],
        ["articles", "flags", "words", "strong"],
    )
    languages = sorted({ALL_LANGUAGES, where["language"]})
    _upsert(
        conn,
        rollup_speakers,
        [
            {"language": lang, "key": s["key"], "name": s["name"], "quotes": s["n"], "articles": 1}
            for s in speakers
            for lang in languages
        ],
        ["language", "key"],
        ["quotes", "articles"],
        name=True,
    )
    _upsert(
        conn,
        rollup_entities,
        [
            {
                "language": lang,
                "key": e["key"],
                "label": e["label"],
                "name": e["name"],
                "mentions": e["n"],
                "articles": 1,
            }
            for e in entities
            for lang in languages
        ],
        ["language", "key", "label"],
        ["mentions", "articles"],
        name=True,
    )


def rebuild(conn: Connection) -> None:
    """Recompute every roll-up from the side tables (migration backfill, bulk loads)."""
    for table in (rollup_counts, rollup_speakers, rollup_entities):
        conn.execute(delete(table))
    source = func.coalesce(articles.c.source, "")
    language = func.coalesce(articles.c.language, "")
    month = _month_sql(conn)
    columns = ["source", "language", "month", "technique", "articles", "flags", "words", "strong"]
    conn.execute(
        rollup_counts.insert().from_select(
            columns,
            select(
                source,
                language,
                month,
                literal(""),
                func.count(),
                literal(0),
                func.sum(articles.c.n_words),
                literal(0),
            ).group_by(source, language, month),
        )
    )
    t = article_techniques
    conn.execute(
        rollup_counts.insert().from_select(
            columns,
            select(
                source,
                language,
                month,
                t.c.technique,
                func.count(),
                func.sum(t.c.n),
                literal(0),
                func.sum(t.c.strong),
            )
            .select_from(t.join(articles, articles.c.id == t.c.article_id))
            .group_by(source, language, month, t.c.technique),
        )
    )
    s, e = article_speakers, article_entities
    for by_language in (False, True):
        lang = language if by_language else literal(ALL_LANGUAGES)
        speakers = select(lang, s.c.key, func.min(s.c.name), func.sum(s.c.n), func.count())
        entities = select(
            lang, e.c.key, e.c.label, func.min(e.c.name), func.sum(e.c.n), func.count()
        )
        if by_language:
            speakers = speakers.select_from(s.join(articles, articles.c.id == s.c.article_id))
            entities = entities.select_from(e.join(articles, articles.c.id == e.c.article_id))
        conn.execute(
            rollup_speakers.insert().from_select(
                ["language", "key", "name", "quotes", "articles"],
                speakers.group_by(lang, s.c.key),
            )
        )
        conn.execute(
            rollup_entities.insert().from_select(
                ["language", "key", "label", "name", "mentions", "articles"],
                entities.group_by(lang, e.c.key, e.c.label),
            )
        )
