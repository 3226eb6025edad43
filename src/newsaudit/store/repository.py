"""The Store: one database of analysed articles, de-duplicated by content hash.

It owns the engine and runs the migrations; the work is done by one module per job:
:mod:`~newsaudit.store.articles` (writing and reading articles),
:mod:`~newsaudit.store.stats` (dashboard aggregates) and :mod:`~newsaudit.store.batches`
(the service's batch jobs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine

from newsaudit.report.model import Report
from newsaudit.store import articles, batches, rollups, stats
from newsaudit.store.articles import Added, Page
from newsaudit.store.engine import default_db_url, make_engine
from newsaudit.store.filters import ArticleFilter
from newsaudit.store.migrations import migrate


class Store:
    """One database of analysed articles; safe to share between threads."""

    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.url = url or default_db_url()
        self.engine = engine or make_engine(self.url)
        self.version = migrate(self.engine)
        self.dialect = self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def add(self, report: Report) -> Added:
        """Store ``report`` unless an article with the same text is already there."""
        return articles.add(self.engine, report)

    def rebuild_rollups(self) -> None:
        """Recompute the dashboard roll-ups (after loading rows without :meth:`add`)."""
        with self.engine.begin() as conn:
            rollups.rebuild(conn)

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of ``hashes`` are already stored (a resumed batch skips those)."""
        return articles.known_hashes(self.engine, hashes)

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of ``urls`` an article was stored from (a feed monitor fetches the rest)."""
        return articles.known_urls(self.engine, urls)

    def find(self, digest: str) -> int | None:
        """The id of the article with this content hash, if stored."""
        return articles.find(self.engine, digest)

    def count(self) -> int:
        return articles.count(self.engine)

    def get(self, article_id: int) -> dict[str, Any] | None:
        """The stored article: its summary fields plus ``report`` (a dict)."""
        return articles.get(self.engine, article_id)

    def get_report(self, article_id: int) -> Report | None:
        return articles.get_report(self.engine, article_id)

    def search(self, f: ArticleFilter, page: int = 1, per_page: int = 20) -> Page:
        """Newest first; ``per_page`` is capped at ``articles.MAX_PER_PAGE``."""
        return articles.search(self.engine, f, page, per_page)

    def stats(
        self, f: ArticleFilter | None = None, top: int = 15, use_rollups: bool = True
    ) -> dict[str, Any]:
        """Aggregates for the dashboard over the articles that match ``f``."""
        return stats.stats(self.engine, f, top, use_rollups)

    def narratives(self, top: int = 10) -> dict[str, list[dict[str, Any]]]:
        return articles.narratives(self.engine, top)

    def narrative_articles(
        self, case_id: str, page: int = 1, per_page: int = 25
    ) -> tuple[dict[str, Any] | None, Page]:
        return articles.narrative_articles(self.engine, case_id, page, per_page)

    def create_batch(self, total: int = 0) -> str:
        return batches.create_batch(self.engine, total)

    def update_batch(self, batch_id: str, **values: Any) -> None:
        batches.update_batch(self.engine, batch_id, **values)

    def get_batch(self, batch_id: str) -> dict[str, Any] | None:
        return batches.get_batch(self.engine, batch_id)
