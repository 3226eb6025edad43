"""RSS and Atom feeds to entries: the links a monitor fetches, each through the SSRF guard.

feedparser reads the feed from the bytes our own fetcher returned (it never opens a URL
itself), so feeds obey the same address checks, timeouts and size caps as articles.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from newsaudit.config import Limits
from newsaudit.errors import InputError

# What servers call feeds in practice, including those that serve them as plain XML or text.
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "text/plain",
    "text/html",
)


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None = None
    published: str | None = None  # ISO date, when the feed gives one


def _date(entry: dict) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    return None


def parse_feed(body: bytes, url: str) -> tuple[list[FeedEntry], list[str]]:
    """The entries of a feed document, and one message per entry that had to be skipped."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no RSS or Atom entries"
        raise InputError(f"{url} is not a readable RSS or Atom feed ({reason})")
    entries, skipped = [], []
    for number, entry in enumerate(parsed.entries, start=1):
        link = (entry.get("link") or "").strip()
        title = " ".join((entry.get("title") or "").split()) or None
        if not link.startswith(("http://", "https://")):
            skipped.append(f"entry {number} ({title or 'untitled'}) has no http(s) link")
            continue
        entries.append(FeedEntry(link=link, title=title, published=_date(entry)))
    return entries, skipped


def read_feed(url: str, limits: Limits | None = None) -> tuple[list[FeedEntry], list[str]]:
    """Fetch the feed at ``url`` (SSRF-guarded) and parse it; raises FetchError or InputError."""
    from newsaudit.ingest.url import fetch

    fetched = fetch(url, limits or Limits(), accept=FEED_TYPES)
    return parse_feed(fetched.body, fetched.url)
