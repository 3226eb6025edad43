"""Store and query analysed articles: de-duplicated by content hash, filtered by index."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import (
    ColumnElement,
    Engine,
    bindparam,
    distinct,
    exists,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from newsaudit.dates import DATE_KEYS, parse_date
from newsaudit.report.flags import is_strong
from newsaudit.report.model import Report
from newsaudit.store import rollups
from newsaudit.store.engine import default_db_url, make_engine
from newsaudit.store.migrations import POSTGRES_TSVECTOR, migrate
from newsaudit.store.schema import (
    URL_PREFIX,
    article_entities,
    article_speakers,
    article_techniques,
    articles,
    batches,
    rollup_counts,
    rollup_entities,
    rollup_speakers,
)

_KEY_LEN = 300
MAX_PER_PAGE = 200


def content_hash(text: str) -> str:
    """The de-duplication key: SHA-256 of the normalised article text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _source_of(metadata: dict[str, Any]) -> str | None:
    for key in ("source", "outlet", "sitename", "site_name", "hostname"):
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:_KEY_LEN]
    url = metadata.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")[:_KEY_LEN]
    return None


def _published_of(metadata: dict[str, Any]) -> dt.datetime | None:
    for key in DATE_KEYS:
        parsed = parse_date(metadata.get(key))
        if parsed:
            return parsed
    return None


def _key(name: str) -> str:
    return " ".join(name.split()).lower()[:_KEY_LEN]


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
    canonical = {c.id: c.canonical for c in report.entity_clusters}
    counts: Counter[str] = Counter()
    for quote in report.quotes:
        name = canonical.get(quote.speaker_cluster or "") or (
            quote.speaker.text if quote.speaker else None
        )
        if name and name.strip():
            counts[name] += 1
    return counts


@dataclass(frozen=True)
class Added:
    id: int
    created: bool
    content_hash: str


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
    }


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


class Store:
    """One database of analysed articles; safe to share between threads."""

    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.url = url or default_db_url()
        self.engine = engine or make_engine(self.url)
        self.version = migrate(self.engine)
        self.dialect = self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # --- writing -----------------------------------------------------------------------

    def _insert(self, table_: Any) -> Any:
        return (pg_insert if self.dialect == "postgresql" else sqlite_insert)(table_)

    def add(self, report: Report) -> Added:
        """Store ``report`` unless an article with the same text is already there."""
        digest = content_hash(report.text)
        metadata = report.metadata or {}
        url = metadata.get("url") if isinstance(metadata.get("url"), str) else None
        row = {
            "content_hash": digest,
            "doc_id": report.id[:_KEY_LEN],
            "source": _source_of(metadata),
            "url": url,
            "title": report.title,
            "language": report.language,
            "published": _published_of(metadata),
            "created_at": _now(),
            "n_chars": len(report.text),
            "n_words": rollups.word_count(report.text),
            "schema_version": report.schema_version,
            "text": report.text,
            "report": report.model_dump_json(),
        }
        with self.engine.begin() as conn:
            statement = (
                self._insert(articles)
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
                key = (_key(name), label)
                if key[0]:
                    entry = merged.setdefault(
                        key,
                        {
                            "article_id": new_id,
                            "key": key[0],
                            "label": label,
                            "name": name[:_KEY_LEN],
                            "n": 0,
                        },
                    )
                    entry["n"] += n
            if merged:
                conn.execute(article_entities.insert(), list(merged.values()))
            speakers: dict[str, dict[str, Any]] = {}
            for name, n in _speaker_counts(report).items():
                key = _key(name)
                entry = speakers.setdefault(
                    key, {"article_id": new_id, "key": key, "name": name[:_KEY_LEN], "n": 0}
                )
                entry["n"] += n
            if speakers:
                conn.execute(article_speakers.insert(), list(speakers.values()))
            rollups.bump(
                conn, row, techniques, list(merged.values()), list(speakers.values()), strong
            )
        return Added(id=new_id, created=True, content_hash=digest)

    def rebuild_rollups(self) -> None:
        """Recompute the dashboard roll-ups (after loading rows without :meth:`add`)."""
        with self.engine.begin() as conn:
            rollups.rebuild(conn)

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` are already stored (a resumed batch skips those)."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                found.update(
                    conn.execute(
                        select(articles.c.content_hash).where(articles.c.content_hash.in_(chunk))
                    ).scalars()
                )
        return found

    # --- reading -----------------------------------------------------------------------

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of ``urls`` an article was stored from (a feed monitor fetches the rest)."""
        wanted = list(dict.fromkeys(urls))
        prefix = func.substr(articles.c.url, 1, URL_PREFIX)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                found.update(
                    conn.execute(
                        select(articles.c.url).where(
                            prefix.in_([u[:URL_PREFIX] for u in chunk]), articles.c.url.in_(chunk)
                        )
                    ).scalars()
                )
        return found

    def find(self, digest: str) -> int | None:
        """The id of the article with this content hash, if stored."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(articles.c.id).where(articles.c.content_hash == digest)
            ).scalar()

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()

    def get(self, article_id: int) -> dict[str, Any] | None:
        """The stored article: its summary fields plus ``report`` (a dict)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None:
            return None
        article = _summary(row)
        article["report"] = json.loads(row.report)
        return article

    def get_report(self, article_id: int) -> Report | None:
        with self.engine.connect() as conn:
            raw = conn.execute(
                select(articles.c.report).where(articles.c.id == article_id)
            ).scalar()
        return None if raw is None else Report.model_validate_json(raw)

    def _full_text(self, query: str) -> ColumnElement[bool] | None:
        words = re.findall(r"\w+", query)
        if not words:
            return None
        if self.dialect == "postgresql":
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

    def _conditions(self, f: ArticleFilter) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = []
        if f.source:
            conds.append(articles.c.source == f.source)
        if f.language:
            conds.append(articles.c.language == f.language)
        if f.date_from:
            conds.append(articles.c.published >= dt.datetime.combine(f.date_from, dt.time.min))
        if f.date_to:
            end = dt.datetime.combine(f.date_to, dt.time.min) + dt.timedelta(days=1)
            conds.append(articles.c.published < end)
        # Uncorrelated IN subqueries: the database reads the few matching ids from the side
        # table's (key, article_id) index instead of probing it once per article.
        if f.technique and (f.source or f.date_from or f.date_to):
            # An outlet or date index already narrows the rows: probe each one's techniques
            # (aliased, so it never auto-correlates with the side table in stats()).
            t = article_techniques.alias("ft")
            conds.append(
                exists().where(t.c.article_id == articles.c.id, t.c.technique == f.technique)
            )
        elif f.technique:
            conds.append(
                articles.c.id.in_(
                    select(article_techniques.c.article_id).where(
                        article_techniques.c.technique == f.technique
                    )
                )
            )
        if f.entity and _key(f.entity):
            key = _key(f.entity)
            conds.append(
                articles.c.id.in_(
                    select(article_entities.c.article_id)
                    .where(article_entities.c.key == key)
                    .union(
                        select(article_speakers.c.article_id).where(article_speakers.c.key == key)
                    )
                )
            )
        if f.q:
            condition = self._full_text(f.q)
            if condition is not None:
                conds.append(condition)
        return conds

    def search(self, f: ArticleFilter, page: int = 1, per_page: int = 20) -> Page:
        """Newest first; ``per_page`` is capped at :data:`MAX_PER_PAGE`."""
        page = max(1, page)
        per_page = min(max(1, per_page), MAX_PER_PAGE)
        conds = self._conditions(f)
        columns = [c for c in articles.c if c.name not in ("text", "report")]
        columns.append(func.substr(articles.c.text, 1, _SNIPPET_CHARS).label("snippet"))
        query = (
            select(*columns)
            .where(*conds)
            .order_by(articles.c.published.desc().nulls_last(), articles.c.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
        count = select(func.count()).select_from(articles).where(*conds)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            total = conn.execute(count).scalar_one()
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

    def _month(self) -> ColumnElement[str]:
        if self.dialect == "postgresql":
            return func.to_char(articles.c.published, "YYYY-MM")
        return func.strftime("%Y-%m", articles.c.published)

    def stats(
        self, f: ArticleFilter | None = None, top: int = 15, use_rollups: bool = True
    ) -> dict[str, Any]:
        """Aggregates for the dashboard over the articles that match ``f``.

        Read from the roll-ups when ``f`` filters by outlet and language at most (people only
        when it does not filter by outlet); otherwise aggregated live.
        """
        f = f or ArticleFilter()
        coarse = not (f.date_from or f.date_to or f.technique or f.entity or f.q)
        if use_rollups and coarse:
            result = self._rollup_stats(f, top)
            if f.source:
                result.update(self._live_stats(f, top, people_only=True))
            return result
        return self._live_stats(f, top)

    def _rollup_stats(self, f: ArticleFilter, top: int) -> dict[str, Any]:
        rc, rs, re_ = rollup_counts, rollup_speakers, rollup_entities
        where = []
        if f.source:
            where.append(rc.c.source == f.source)
        if f.language:
            where.append(rc.c.language == f.language)
        totals = [*where, rc.c.technique == ""]
        flagged = [*where, rc.c.technique != ""]
        articles_ = func.sum(rc.c.articles)
        with self.engine.connect() as conn:
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

    def _live_stats(self, f: ArticleFilter, top: int, people_only: bool = False) -> dict[str, Any]:
        conds = self._conditions(f)
        t, e, s = article_techniques, article_entities, article_speakers
        with self.engine.connect() as conn:
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
            month = self._month().label("month")
            total = conn.execute(
                select(func.count()).select_from(articles).where(*conds)
            ).scalar_one()
            per_source = conn.execute(
                select(articles.c.source, func.count(), func.sum(articles.c.n_words))
                .where(*conds)
                .group_by(articles.c.source)
                .order_by(func.count().desc(), articles.c.source)
            ).all()
            languages = conn.execute(
                select(articles.c.language, func.count())
                .where(*conds)
                .group_by(articles.c.language)
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

    # --- batches -----------------------------------------------------------------------

    def create_batch(self, total: int = 0) -> str:
        batch_id = uuid.uuid4().hex
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                batches.insert().values(
                    id=batch_id,
                    status="queued",
                    total=total,
                    done=0,
                    stored=0,
                    skipped=0,
                    failed=0,
                    created_at=now,
                    updated_at=now,
                )
            )
        return batch_id

    def update_batch(self, batch_id: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                batches.update().where(batches.c.id == batch_id).values(updated_at=_now(), **values)
            )

    def get_batch(self, batch_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(batches).where(batches.c.id == batch_id)).first()
        if row is None:
            return None
        batch = dict(row._mapping)
        for key in ("created_at", "updated_at", "started_at"):
            batch[key] = batch[key].isoformat() if batch[key] else None
        return batch
