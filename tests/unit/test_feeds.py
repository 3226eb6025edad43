"""Feed parsing and the watch command's inputs."""

from __future__ import annotations

import pytest

from newsaudit.errors import InputError
from newsaudit.ingest.feeds import parse_feed
from newsaudit.watch import parse_every, read_feed_list

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Eins</title><link>https://example.org/1</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Ohne Link</title></item>
<item><title>Relativ</title><link>/3</link></item>
<item><title>Mail</title><link>mailto:x@example.org</link></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
<id>x</id><updated>2024-01-01T00:00:00Z</updated>
<entry><title>Zwei</title><link href="https://example.org/2"/><id>2</id>
<updated>2024-01-02T00:00:00Z</updated></entry></feed>"""


def test_rss_entries_with_links_dates_and_skipped_ones() -> None:
    entries, skipped = parse_feed(RSS, "https://example.org/feed.xml")
    assert [(e.link, e.title, e.published) for e in entries] == [
        ("https://example.org/1", "Eins", "2024-03-05"),
        ("https://example.org/3", "Relativ", None),  # resolved against the feed's address
    ]
    assert skipped == [
        "entry 2 (Ohne Link) has no http(s) link",
        "entry 4 (Mail) has no http(s) link",
    ]


def test_atom_and_broken_feeds() -> None:
    (entry,), skipped = parse_feed(ATOM, "https://example.org/atom")
    assert (entry.link, entry.published, skipped) == ("https://example.org/2", "2024-01-02", [])
    for body in (b"<html><body>Wartung</body></html>", b"\x00\xff garbage", b""):
        with pytest.raises(InputError, match="not a readable RSS or Atom feed"):
            parse_feed(body, "https://example.org/x")


def test_every_and_feed_list(tmp_path) -> None:
    assert parse_every("15m") == 900 and parse_every("1h") == 3600 and parse_every("90") == 90
    for bad in ("soon", "0s", "-5m"):
        with pytest.raises(InputError):
            parse_every(bad)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("# mine\nhttps://a.example/rss\n\nhttps://a.example/rss  # again\n")
    assert read_feed_list(feeds) == ["https://a.example/rss"]
    feeds.write_text("ftp://a.example/rss\n")
    with pytest.raises(InputError, match="not an http"):
        read_feed_list(feeds)
    with pytest.raises(InputError, match="cannot read"):
        read_feed_list(tmp_path / "missing.txt")
