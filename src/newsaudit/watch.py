"""``newsaudit watch``: read RSS and Atom feeds, analyse each new article once, store it.

Every round reads each feed, asks the store which entry links it already holds, fetches the
rest through the SSRF-guarded fetcher, analyses and stores them. A broken feed, an
unreachable article or a bad entry is logged and skipped; the next one runs. An article that
could not be fetched is tried again next round; one that was stored never is. Fetching runs
ahead of analysis, which goes through any analyzer of the batch front end (by default the
worker processes on every core).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsaudit.config import Limits
from newsaudit.document import Document, Failure
from newsaudit.errors import InputError, NewsauditError
from newsaudit.pipeline import Pipeline, analyze_many
from newsaudit.report.model import Report
from newsaudit.store import Store

Analyze = Callable[[Iterable[Document | Failure]], Iterator[Report | Failure]]

log = logging.getLogger("newsaudit.watch")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)?\s*$", re.IGNORECASE)
_UNITS = {None: 1, "s": 1, "m": 60, "min": 60, "h": 3600}


def parse_every(value: str) -> float:
    """``15m``, ``1h``, ``90s`` or ``90`` (seconds) as seconds; at least one second."""
    match = _DURATION.match(value)
    if not match:
        raise InputError(f"--every takes a duration like 15m, 1h or 90s, not {value!r}")
    seconds = float(match.group(1)) * _UNITS[match.group(2) and match.group(2).lower()]
    if seconds < 1:
        raise InputError("--every must be at least one second")
    return seconds


def read_feed_list(path: Path) -> list[str]:
    """One feed URL per line; blank lines and ``#`` comments are ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read the feed list {path}: {exc.strerror or exc}") from None
    feeds = [line.split("#", 1)[0].strip() for line in lines]
    feeds = list(dict.fromkeys(f for f in feeds if f))
    if not feeds:
        raise InputError(f"{path} lists no feeds (one http(s) URL per line)")
    bad = [f for f in feeds if not f.startswith(("http://", "https://"))]
    if bad:
        raise InputError(f"{path}: not an http(s) feed URL: {bad[0]!r}")
    return feeds


@dataclass
class Round:
    """What one pass over the feeds did."""

    feeds: int = 0
    broken_feeds: int = 0
    entries: int = 0
    bad_entries: int = 0
    known: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0

    def line(self) -> str:
        return (
            f"{self.feeds} feeds ({self.broken_feeds} skipped), {self.entries} entries "
            f"({self.bad_entries} bad): {self.stored} stored, {self.known} already stored, "
            f"{self.duplicates} same text as a stored article, {self.failed} failed"
        )


class Watcher:
    def __init__(
        self,
        feeds: list[str],
        store: Store,
        *,
        pipeline: Pipeline | None = None,
        analyze: Analyze | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.feeds = feeds
        self.store = store
        self.analyze = analyze or (lambda items: analyze_many(items, pipeline))
        self.limits = limits or Limits()

    def run_round(self) -> Round:
        result = Round(feeds=len(self.feeds))
        links: dict[str, str] = {}
        for report in self.analyze(self._fetched(self._new_entries(result), result, links)):
            self._store(report, links, result)
        log.info("round done: %s", result.line())
        return result

    def _new_entries(self, result: Round) -> list[tuple[str, object]]:
        """(feed, entry) for every entry the store does not hold, each link once."""
        from newsaudit.ingest.feeds import read_feed

        todo: list[tuple[str, object]] = []
        taken: set[str] = set()  # one article listed by two feeds is fetched once
        for feed in self.feeds:
            try:
                entries, skipped = read_feed(feed, self.limits)
            except NewsauditError as exc:
                result.broken_feeds += 1
                log.warning("feed skipped: %s", exc)
                continue
            for message in skipped:
                log.warning("feed %s: %s", feed, message)
            result.entries += len(entries) + len(skipped)
            result.bad_entries += len(skipped)
            fresh = [e for e in entries if e.link not in taken]
            taken.update(e.link for e in fresh)
            known = self.store.known_urls(e.link for e in fresh)
            result.known += len(entries) - len([e for e in fresh if e.link not in known])
            todo.extend((feed, entry) for entry in fresh if entry.link not in known)
        return todo

    def _fetched(
        self, todo: list[tuple[str, object]], result: Round, links: dict[str, str]
    ) -> Iterator[Document]:
        from newsaudit.ingest import load_url

        for feed, entry in todo:
            try:
                document = load_url(entry.link, limits=self.limits)
            except Exception as exc:  # a monitor keeps running whatever one article does
                result.failed += 1
                log.warning("article skipped: %s: %s", entry.link, _reason(exc))
                continue
            # The feed's link names the article, so the next round recognises it.
            document.metadata.update(url=entry.link, feed=feed)
            if entry.published and not document.metadata.get("date"):
                document.metadata["date"] = entry.published
            if entry.title and not document.title:
                document.title = entry.title
            links[document.id] = entry.link
            yield document

    def _store(self, report: Report | Failure, links: dict[str, str], result: Round) -> None:
        link = links.pop(report.id, report.id)
        if isinstance(report, Failure):
            result.failed += 1
            log.warning("article skipped: %s: %s", link, report.error)
            return
        try:
            added = self.store.add(report)
        except Exception as exc:
            result.failed += 1
            log.warning("article not stored: %s: %s", link, _reason(exc))
            return
        if added.created:
            result.stored += 1
            log.info("stored article %d: %s", added.id, link)
        else:
            result.duplicates += 1

    def run(
        self,
        every: float,
        rounds: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> list[Round]:
        """Rounds every ``every`` seconds, forever or ``rounds`` times."""
        done: list[Round] = []
        while rounds is None or len(done) < rounds:
            started = time.monotonic()
            done.append(self.run_round())
            if rounds is not None and len(done) >= rounds:
                break
            wait = max(0.0, every - (time.monotonic() - started))
            log.info("next round in %.0f s", wait)
            sleep(wait)
        return done


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, NewsauditError) else f"{type(exc).__name__}: {exc}"
