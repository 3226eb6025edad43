"""Articles in the store: one row per distinct text, its side tables and roll-ups, and the
queries that read them back (by id, by content hash, by filter)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from newsaudit.dates import DATE_KEYS, parse_date
from newsaudit.errors import InputError
from newsaudit.report.flags import is_strong
from newsaudit.report.model import Report
from newsaudit.store import rollups
from newsaudit.store.filters import KEY_LEN, ArticleFilter, conditions, name_key
from newsaudit.store.narrative_rows import narrative_rows
from newsaudit.store.schema import (
    URL_PREFIX,
    article_entities,
    article_narratives,
    article_signals,
    article_speakers,
    article_techniques,
    articles,
    utc_now,
)
from newsaudit.store.signals import signal_rows

MAX_PER_PAGE = 200
MAX_ID = 2**63 - 1  # the largest id (and row offset) a database integer holds


def content_hash(text: str) -> str:
    """The de-duplication key: SHA-256 of the normalised article text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _source_of(metadata: dict[str, Any]) -> str | None:
    for key in ("source", "outlet", "sitename", "site_name", "hostname"):
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:KEY_LEN]
    url = metadata.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")[:KEY_LEN]
    return None


def _published_of(metadata: dict[str, Any]) -> dt.datetime | None:
    for key in DATE_KEYS:
        parsed = parse_date(metadata.get(key))
        if parsed:
            return parsed
    return None


def _entity_counts(report: Report) -> Counter[tuple[str, str]]:
    """(name, label) -> mentions; clusters give canonical names when an analyzer made them."""
    counts: Counter[tuple[str, str]] = Counter()
    if report.entity_clusters:
        for cluster in report.entity_clusters:
            counts[(cluster.canonical, cluster.label)] += max(1, len(cluster.mentions))
    else:
        for entity in report.entities:
            counts[(entity.text, entity.label)] += 1
    return counts


def _speaker_counts(report: Report) -> Counter[str]:
    """Quotes per named speaker. Role phrases ("der Verwaltung", "Experten") and pronouns
    that no person resolves name no one: "die Verwaltung" of one article is not that of the
    next (a role phrase resolved to a person, "die Kanzlerin", counts as that person)."""
    canonical = {c.id: c.canonical for c in report.entity_clusters}
    counts: Counter[str] = Counter()
    for quote in report.quotes:
        if quote.speaker_kind == "role" and not quote.speaker_cluster:
            continue
        said = quote.speaker.text if quote.speaker else None
        if quote.speaker_kind == "pronoun":
            said = quote.speaker_name
        name = canonical.get(quote.speaker_cluster or "") or said
        if name and name.strip():
            counts[name] += 1
    return counts


@dataclass(frozen=True)
class Added:
    id: int
    created: bool
    content_hash: str


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int


_SNIPPET_CHARS = 200  # the start of the text, shown for articles without a title


def _summary(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "doc_id": row.doc_id,
        "title": row.title,
        "source": row.source,
        "url": row.url,
        "language": row.language,
        "published": row.published.isoformat() if row.published else None,
        "created_at": row.created_at.isoformat(),
        "n_chars": row.n_chars,
        "content_hash": row.content_hash,
        "snippet": row._mapping.get("snippet"),
        "credibility": row._mapping.get("credibility"),
    }


def narratives(engine: Engine, top: int = 10) -> dict[str, list[dict[str, Any]]]:
    """The most repeated known narratives (cases by number of articles) and, for each
    outlet, its most repeated ones."""
    n = article_narratives
    with engine.connect() as conn:
        most = conn.execute(
            select(n.c.key, func.min(n.c.title), func.min(n.c.database), func.count())
            .group_by(n.c.key)
            .order_by(func.count().desc(), n.c.key)
            .limit(top)
        ).all()
        by_outlet = conn.execute(
            select(articles.c.source, n.c.key, func.min(n.c.title), func.count())
            .select_from(n.join(articles, articles.c.id == n.c.article_id))
            .group_by(articles.c.source, n.c.key)
            .order_by(func.count().desc(), articles.c.source, n.c.key)
            .limit(top * 10)
        ).all()
    return {
        "most_repeated": [
            {"case_id": k, "title": t, "database": d, "articles": c} for k, t, d, c in most
        ],
        "by_outlet": [
            {"source": s or "", "case_id": k, "title": t, "articles": c} for s, k, t, c in by_outlet
        ],
    }


def narrative_articles(
    engine: Engine, case_id: str, page: int = 1, per_page: int = 25
) -> tuple[dict[str, Any] | None, Page]:
    """One known narrative (case) and the stored articles that repeat it, newest first."""
    n = article_narratives
    page = max(1, min(page, 10**6))
    with engine.connect() as conn:
        case = conn.execute(
            select(n.c.title, n.c.database, n.c.url).where(n.c.key == case_id).limit(1)
        ).first()
        if case is None:
            return None, Page([], 0, page, per_page)
        ids = select(n.c.article_id).where(n.c.key == case_id)
        total = conn.execute(
            select(func.count()).select_from(n).where(n.c.key == case_id)
        ).scalar_one()
        rows = conn.execute(
            select(*[c for c in articles.c if c.name not in ("text", "report")])
            .where(articles.c.id.in_(ids))
            .order_by(articles.c.published.desc(), articles.c.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
    info = {"case_id": case_id, "title": case.title, "database": case.database, "url": case.url}
    return info, Page([_summary(r) for r in rows], total, page, per_page)


def _insert(engine: Engine, table_: Any) -> Any:
    return (pg_insert if engine.dialect.name == "postgresql" else sqlite_insert)(table_)


def add(engine: Engine, report: Report) -> Added:
    """Store ``report`` unless an article with the same text is already there."""
    digest = content_hash(report.text)
    metadata = report.metadata or {}
    url = metadata.get("url") if isinstance(metadata.get("url"), str) else None
    row = {
        "content_hash": digest,
        "doc_id": report.id[:KEY_LEN],
        "source": _source_of(metadata),
        "url": url,
        "title": report.title,
        "language": report.language,
        "published": _published_of(metadata),
        "created_at": utc_now(),
        "n_chars": len(report.text),
        "n_words": rollups.word_count(report.text),
        "schema_version": report.schema_version,
        "text": report.text,
        "report": report.model_dump_json(),
        "credibility": report.credibility.score if report.credibility else None,
    }
    with engine.begin() as conn:
        statement = (
            _insert(engine, articles)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["content_hash"])
            .returning(articles.c.id)
        )
        new_id = conn.execute(statement).scalar()
        if new_id is None:
            existing = conn.execute(
                select(articles.c.id).where(articles.c.content_hash == digest)
            ).scalar_one()
            return Added(id=existing, created=False, content_hash=digest)
        techniques = Counter(flag.technique[:100] for flag in report.techniques)
        strong = Counter(flag.technique[:100] for flag in report.techniques if is_strong(flag))
        if techniques:
            conn.execute(
                article_techniques.insert(),
                [
                    {"article_id": new_id, "technique": t, "n": n, "strong": strong.get(t, 0)}
                    for t, n in techniques.items()
                ],
            )
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for (name, label), n in _entity_counts(report).items():
            key = (name_key(name), label)
            if key[0]:
                entry = merged.setdefault(
                    key,
                    {
                        "article_id": new_id,
                        "key": key[0],
                        "label": label,
                        "name": name[:KEY_LEN],
                        "n": 0,
                    },
                )
                entry["n"] += n
        if merged:
            conn.execute(article_entities.insert(), list(merged.values()))
        speakers: dict[str, dict[str, Any]] = {}
        for name, n in _speaker_counts(report).items():
            key = name_key(name)
            entry = speakers.setdefault(
                key, {"article_id": new_id, "key": key, "name": name[:KEY_LEN], "n": 0}
            )
            entry["n"] += n
        if speakers:
            conn.execute(article_speakers.insert(), list(speakers.values()))
        cases = narrative_rows(new_id, report.narratives)
        if cases:
            conn.execute(article_narratives.insert(), cases)
        _, signals = signal_rows(new_id, row["report"])
        if signals:
            conn.execute(article_signals.insert(), signals)
        rollups.bump(conn, row, techniques, list(merged.values()), list(speakers.values()), strong)
    return Added(id=new_id, created=True, content_hash=digest)


def _stored(engine: Engine, values: Iterable[str], query: Callable[[list[str]], Any]) -> set[str]:
    """Which of ``values`` ``query(chunk)`` finds, asked 500 at a time (bound-parameter limits)."""
    wanted = list(dict.fromkeys(values))
    found: set[str] = set()
    with engine.connect() as conn:
        for i in range(0, len(wanted), 500):
            found.update(conn.execute(query(wanted[i : i + 500])).scalars())
    return found


def known_hashes(engine: Engine, hashes: Iterable[str]) -> set[str]:
    """Which of ``hashes`` are already stored (a resumed batch skips those)."""
    column = articles.c.content_hash
    return _stored(engine, hashes, lambda chunk: select(column).where(column.in_(chunk)))


def known_urls(engine: Engine, urls: Iterable[str]) -> set[str]:
    """Which of ``urls`` an article was stored from (a feed monitor fetches the rest)."""
    prefix = func.substr(articles.c.url, 1, URL_PREFIX)
    return _stored(
        engine,
        urls,
        lambda chunk: select(articles.c.url).where(
            prefix.in_([u[:URL_PREFIX] for u in chunk]), articles.c.url.in_(chunk)
        ),
    )


def find(engine: Engine, digest: str) -> int | None:
    """The id of the article with this content hash, if stored."""
    with engine.connect() as conn:
        return conn.execute(select(articles.c.id).where(articles.c.content_hash == digest)).scalar()


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(articles)).scalar_one()


def _possible(article_id: int) -> bool:
    """Whether a database integer can hold ``article_id`` (larger ones raise in the driver)."""
    return 0 < article_id <= MAX_ID


def get(engine: Engine, article_id: int) -> dict[str, Any] | None:
    """The stored article: its summary fields plus ``report`` (a dict)."""
    if not _possible(article_id):
        return None
    with engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
    if row is None:
        return None
    article = _summary(row)
    article["report"] = json.loads(row.report)
    return article


def get_report(engine: Engine, article_id: int) -> Report | None:
    if not _possible(article_id):
        return None
    with engine.connect() as conn:
        raw = conn.execute(select(articles.c.report).where(articles.c.id == article_id)).scalar()
    return None if raw is None else Report.model_validate_json(raw)


def _order(sort: str) -> list[Any]:
    """Newest first, or by credibility score (articles without a score last)."""
    if sort == "score":
        return [articles.c.credibility.asc().nulls_last(), articles.c.id.desc()]
    if sort == "-score":
        return [articles.c.credibility.desc().nulls_last(), articles.c.id.desc()]
    return [articles.c.published.desc().nulls_last(), articles.c.id.desc()]


def search(engine: Engine, f: ArticleFilter, page: int = 1, per_page: int = 20) -> Page:
    """Newest first; ``per_page`` is capped at :data:`MAX_PER_PAGE`."""
    page = max(1, page)
    per_page = min(max(1, per_page), MAX_PER_PAGE)
    if (page - 1) * per_page > MAX_ID:
        raise InputError(f"page {page} lies beyond the last page of any corpus")
    conds = conditions(engine.dialect.name, f)
    columns = [c for c in articles.c if c.name not in ("text", "report")]
    columns.append(func.substr(articles.c.text, 1, _SNIPPET_CHARS).label("snippet"))
    query = (
        select(*columns)
        .where(*conds)
        .order_by(*_order(f.sort))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    matching = select(func.count()).select_from(articles).where(*conds)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        total = conn.execute(matching).scalar_one()
        ids = [r.id for r in rows]
        flags: dict[int, dict[str, int]] = {i: {} for i in ids}
        if ids:
            for article_id, technique, n in conn.execute(
                select(
                    article_techniques.c.article_id,
                    article_techniques.c.technique,
                    article_techniques.c.n,
                ).where(article_techniques.c.article_id.in_(ids))
            ):
                flags[article_id][technique] = n
    items = []
    for row in rows:
        item = _summary(row)
        item["techniques"] = flags[row.id]
        items.append(item)
    return Page(items=items, total=total, page=page, per_page=per_page)
