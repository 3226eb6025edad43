"""Dashboard aggregates over the stored articles: from the roll-ups when the filter allows,
else aggregated live, in the same shape either way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Engine, distinct, func, select

from newsaudit.store import rollups
from newsaudit.store.filters import ArticleFilter, conditions
from newsaudit.store.schema import (
    article_entities,
    article_speakers,
    article_techniques,
    articles,
    rollup_counts,
    rollup_entities,
    rollup_speakers,
)


def _stats_dict(
    total: int,
    per_source: Any,
    languages: Any,
    by_source: Any,
    over_time: Any,
    per_month: Any,
    speakers: Any,
    entities: Any,
) -> dict[str, Any]:
    # Sorted here, not in SQL, so both dialects (and roll-ups vs live) agree on NULL order.
    per_source = sorted(per_source, key=lambda r: (-r[1], r[0] or ""))
    by_source = sorted(by_source, key=lambda r: (r[0] or "", r[1]))
    over_time = sorted(over_time, key=lambda r: (r[0], r[1]))
    return {
        "articles": total,
        "sources": [
            {"source": src, "articles": n, "words": int(words or 0)} for src, n, words in per_source
        ],
        "languages": {lang or "unknown": n for lang, n in languages},
        "techniques_by_source": [
            {
                "source": src,
                "technique": tech,
                "articles": n,
                "flags": int(flags),
                "strong": int(strong or 0),
            }
            for src, tech, n, flags, strong in by_source
        ],
        "techniques_over_time": [
            {"month": m, "technique": tech, "articles": n, "strong": int(strong or 0)}
            for m, tech, n, strong in over_time
        ],
        "articles_over_time": [
            {"month": m, "articles": n, "words": int(words or 0)} for m, n, words in per_month
        ],
        "top_speakers": [
            {"name": name, "quotes": int(n), "articles": a} for name, n, a in speakers
        ],
        "top_entities": [
            {"name": name, "label": label, "mentions": int(n), "articles": a}
            for name, label, n, a in entities
        ],
    }


def _month(engine: Engine) -> ColumnElement[str]:
    if engine.dialect.name == "postgresql":
        return func.to_char(articles.c.published, "YYYY-MM")
    return func.strftime("%Y-%m", articles.c.published)


def stats(
    engine: Engine, f: ArticleFilter | None = None, top: int = 15, use_rollups: bool = True
) -> dict[str, Any]:
    """Aggregates for the dashboard over the articles that match ``f``.

    Read from the roll-ups when ``f`` filters by outlet and language at most (people only
    when it does not filter by outlet); otherwise aggregated live.
    """
    f = f or ArticleFilter()
    coarse = not (f.date_from or f.date_to or f.technique or f.entity or f.q or f.signal) and (
        f.min_score is None and f.max_score is None
    )
    if use_rollups and coarse:
        result = _rollup_stats(engine, f, top)
        if f.source:
            result.update(_live_stats(engine, f, top, people_only=True))
    else:
        result = _live_stats(engine, f, top)
    result["credibility_by_source"] = credibility_by_source(engine, f)
    return result


def credibility_by_source(engine: Engine, f: ArticleFilter) -> list[dict[str, Any]]:
    """Mean credibility score (a style estimate) per outlet over its scored articles."""
    conds = conditions(engine.dialect.name, f)
    with engine.connect() as conn:
        rows = conn.execute(
            select(articles.c.source, func.avg(articles.c.credibility), func.count())
            .where(*conds, articles.c.credibility.is_not(None))
            .group_by(articles.c.source)
        ).all()
    return sorted(
        (
            {"source": source, "mean_score": round(float(mean), 4), "scored": n}
            for source, mean, n in rows
        ),
        key=lambda r: (r["mean_score"], r["source"] or ""),
    )


def _rollup_stats(engine: Engine, f: ArticleFilter, top: int) -> dict[str, Any]:
    rc, rs, re_ = rollup_counts, rollup_speakers, rollup_entities
    where = []
    if f.source:
        where.append(rc.c.source == f.source)
    if f.language:
        where.append(rc.c.language == f.language)
    totals = [*where, rc.c.technique == ""]
    flagged = [*where, rc.c.technique != ""]
    articles_ = func.sum(rc.c.articles)
    with engine.connect() as conn:
        total = conn.execute(select(func.coalesce(articles_, 0)).where(*totals)).scalar_one()
        per_source = conn.execute(
            select(rc.c.source, articles_, func.sum(rc.c.words))
            .where(*totals)
            .group_by(rc.c.source)
            .order_by(articles_.desc(), rc.c.source)
        ).all()
        languages = conn.execute(
            select(rc.c.language, articles_).where(*totals).group_by(rc.c.language)
        ).all()
        by_source = conn.execute(
            select(
                rc.c.source,
                rc.c.technique,
                articles_,
                func.sum(rc.c.flags),
                func.sum(rc.c.strong),
            )
            .where(*flagged)
            .group_by(rc.c.source, rc.c.technique)
        ).all()
        over_time = conn.execute(
            select(rc.c.month, rc.c.technique, articles_, func.sum(rc.c.strong))
            .where(*flagged, rc.c.month != "")
            .group_by(rc.c.month, rc.c.technique)
            .order_by(rc.c.month)
        ).all()
        per_month = conn.execute(
            select(rc.c.month, articles_, func.sum(rc.c.words))
            .where(*totals, rc.c.month != "")
            .group_by(rc.c.month)
            .order_by(rc.c.month)
        ).all()
        language = f.language or rollups.ALL_LANGUAGES
        speakers = conn.execute(
            select(rs.c.name, rs.c.quotes, rs.c.articles)
            .where(rs.c.language == language)
            .order_by(rs.c.quotes.desc(), rs.c.name)
            .limit(top)
        ).all()
        entities = conn.execute(
            select(re_.c.name, re_.c.label, re_.c.mentions, re_.c.articles)
            .where(re_.c.language == language)
            .order_by(re_.c.mentions.desc(), re_.c.name)
            .limit(top)
        ).all()
    return _stats_dict(
        int(total),
        [(src or None, int(n), words) for src, n, words in per_source],
        [(lang or None, int(n)) for lang, n in languages],
        [(src or None, t, int(n), flags, strong) for src, t, n, flags, strong in by_source],
        [(m, t, int(n), strong) for m, t, n, strong in over_time],
        [(m, int(n), words) for m, n, words in per_month],
        speakers,
        entities,
    )


def _live_stats(
    engine: Engine, f: ArticleFilter, top: int, people_only: bool = False
) -> dict[str, Any]:
    conds = conditions(engine.dialect.name, f)
    t, e, s = article_techniques, article_entities, article_speakers
    with engine.connect() as conn:
        speakers = conn.execute(
            select(func.min(s.c.name), func.sum(s.c.n), func.count(distinct(s.c.article_id)))
            .select_from(s.join(articles, articles.c.id == s.c.article_id))
            .where(*conds)
            .group_by(s.c.key)
            .order_by(func.sum(s.c.n).desc(), func.min(s.c.name))
            .limit(top)
        ).all()
        entities = conn.execute(
            select(
                func.min(e.c.name),
                e.c.label,
                func.sum(e.c.n),
                func.count(distinct(e.c.article_id)),
            )
            .select_from(e.join(articles, articles.c.id == e.c.article_id))
            .where(*conds)
            .group_by(e.c.key, e.c.label)
            .order_by(func.sum(e.c.n).desc(), func.min(e.c.name))
            .limit(top)
        ).all()
        if people_only:
            people = _stats_dict(0, [], [], [], [], [], speakers, entities)
            return {k: people[k] for k in ("top_speakers", "top_entities")}
        month = _month(engine).label("month")
        total = conn.execute(select(func.count()).select_from(articles).where(*conds)).scalar_one()
        per_source = conn.execute(
            select(articles.c.source, func.count(), func.sum(articles.c.n_words))
            .where(*conds)
            .group_by(articles.c.source)
            .order_by(func.count().desc(), articles.c.source)
        ).all()
        languages = conn.execute(
            select(articles.c.language, func.count()).where(*conds).group_by(articles.c.language)
        ).all()
        by_source = conn.execute(
            select(
                articles.c.source,
                t.c.technique,
                func.count(),
                func.sum(t.c.n),
                func.sum(t.c.strong),
            )
            .select_from(t.join(articles, articles.c.id == t.c.article_id))
            .where(*conds)
            .group_by(articles.c.source, t.c.technique)
        ).all()
        over_time = conn.execute(
            select(month, t.c.technique, func.count(), func.sum(t.c.strong))
            .select_from(t.join(articles, articles.c.id == t.c.article_id))
            .where(*conds, articles.c.published.is_not(None))
            .group_by(month, t.c.technique)
            .order_by(month)
        ).all()
        per_month = conn.execute(
            select(month, func.count(), func.sum(articles.c.n_words))
            .where(*conds, articles.c.published.is_not(None))
            .group_by(month)
            .order_by(month)
        ).all()
    return _stats_dict(
        total, per_source, languages, by_source, over_time, per_month, speakers, entities
    )
