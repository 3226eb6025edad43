"""The corpus store: every analysed article with its Report, in SQLite or PostgreSQL.

One code path (SQLAlchemy Core) for both; see :mod:`newsaudit.store.repository`.
"""

from newsaudit.store.engine import default_db_url
from newsaudit.store.repository import Added, ArticleFilter, Store, content_hash

__all__ = ["Added", "ArticleFilter", "Store", "content_hash", "default_db_url"]
