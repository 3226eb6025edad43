"""The corpus store: every analysed article with its Report, in SQLite or PostgreSQL.

One code path (SQLAlchemy Core) for both; :class:`Store` in :mod:`newsaudit.store.repository`
delegates to one module per job (articles, stats, batches).
"""

from newsaudit.store.articles import Added, content_hash
from newsaudit.store.engine import default_db_url
from newsaudit.store.filters import ArticleFilter
from newsaudit.store.repository import Store

__all__ = ["Added", "ArticleFilter", "Store", "content_hash", "default_db_url"]
