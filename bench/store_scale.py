"""Filter and dashboard query times of the corpus store at a million articles.

Fills a store (default: a SQLite file under /work/cache/service/, reused when it already
holds enough rows) with synthetic articles, written straight into the tables so the fill takes
minutes, not days of analysis, then times every filter of ``GET /api/articles`` (first page
plus total count) and ``GET /api/stats``. Baseline in the same run: the same query with no
filter, and for the dashboard, the live aggregate that the roll-ups replace.

    python -m bench.store_scale [--rows 1000000] [--db sqlite:///...|postgresql://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from pathlib import Path

from bench.common import print_table, write_results

TECHNIQUES = (
    "Loaded_Language",
    "Doubt",
    "Name_Calling",
    "Exaggeration",
    "Flag_Waving",
    "Appeal_to_Fear",
    "Repetition",
    "Slogans",
)
SOURCES = [f"outlet{i}.example" for i in range(40)]
PEOPLE = [f"Person {i}" for i in range(5000)]
PLACES = [f"Ort {i}" for i in range(2000)]
WORDS = (
    "Regierung Steuer Brücke Schule Klinik Wahl Gericht Polizei Bahn Energie Klima Preis "
    "Gesetz Stadt Land Bund Haushalt Streit Plan Kritik"
).split()
DEFAULT_DB = f"sqlite:///{Path('/work/cache/service/store_scale.db')}"


def fill(store, rows: int, seed: int = 1) -> float:
    from newsaudit.store import content_hash
    from newsaudit.store.schema import (
        article_entities,
        article_speakers,
        article_techniques,
        articles,
    )

    have = store.count()
    if have >= rows:
        return 0.0
    rng = random.Random(seed + have)
    report = json.dumps({"id": "x", "text": "x"})
    start = dt.datetime(2015, 1, 1)
    began = time.perf_counter()
    batch = 5000
    for offset in range(have, rows, batch):
        arts, techs, ents, spks = [], [], [], []
        for i in range(offset, min(rows, offset + batch)):
            person, place = rng.choice(PEOPLE), rng.choice(PLACES)
            text = f"{person} in {place}: " + " ".join(rng.choices(WORDS, k=30)) + f" {i}"
            arts.append(
                {
                    "id": i + 1,
                    "content_hash": content_hash(text),
                    "doc_id": f"s{i}",
                    "source": rng.choice(SOURCES),
                    "url": None,
                    "title": text[:60],
                    "language": "de" if rng.random() < 0.8 else "en",
                    "published": start + dt.timedelta(minutes=rng.randrange(10 * 365 * 24 * 60)),
                    "created_at": start,
                    "n_chars": len(text),
                    "schema_version": "1.0",
                    "text": text,
                    "report": report,
                }
            )
            for t in rng.sample(TECHNIQUES, rng.randint(0, 3)):
                techs.append({"article_id": i + 1, "technique": t, "n": rng.randint(1, 3)})
            ents.append(
                {
                    "article_id": i + 1,
                    "key": person.lower(),
                    "label": "PER",
                    "name": person,
                    "n": rng.randint(1, 4),
                }
            )
            ents.append(
                {"article_id": i + 1, "key": place.lower(), "label": "LOC", "name": place, "n": 1}
            )
            spks.append({"article_id": i + 1, "key": person.lower(), "name": person, "n": 1})
        with store.engine.begin() as conn:
            conn.execute(articles.insert(), arts)
            if techs:
                conn.execute(article_techniques.insert(), techs)
            conn.execute(article_entities.insert(), ents)
            conn.execute(article_speakers.insert(), spks)
        done = min(rows, offset + batch)
        if done % 100_000 == 0:
            print(f"  filled {done} rows", flush=True)
    store.rebuild_rollups()  # the rows went in without Store.add, which keeps them current
    if store.dialect == "postgresql":
        with store.engine.begin() as conn:
            conn.exec_driver_sql("SELECT setval('articles_id_seq', (SELECT max(id) FROM articles))")
            conn.exec_driver_sql("ANALYZE")
    else:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return time.perf_counter() - began


def timed(fn, repeat: int = 3) -> float:
    fn()  # warm the page cache
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return round(1000 * statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", default=DEFAULT_DB)
    args = parser.parse_args()

    from newsaudit.store import ArticleFilter, Store

    store = Store(args.db)
    fill_s = fill(store, args.rows)
    total = store.count()
    cases = {
        "none": ArticleFilter(),
        "source": ArticleFilter(source="outlet7.example"),
        "language": ArticleFilter(language="en"),
        "date range (1 month)": ArticleFilter(
            date_from=dt.date(2020, 3, 1), date_to=dt.date(2020, 3, 31)
        ),
        "technique": ArticleFilter(technique="Appeal_to_Fear"),
        "entity": ArticleFilter(entity="Person 42"),
        "full text (2 words)": ArticleFilter(q="Klinik Gericht"),
        "source + technique + month": ArticleFilter(
            source="outlet3.example",
            technique="Doubt",
            date_from=dt.date(2019, 6, 1),
            date_to=dt.date(2019, 6, 30),
        ),
    }
    figures: dict = {
        "rows": total,
        "fill_seconds": round(fill_s, 1),
        "search_ms": {},
        "matches": {},
        "stats_ms": {},
    }
    rows = []
    for name, f in cases.items():
        figures["search_ms"][name] = timed(lambda f=f: store.search(f, per_page=20))
        figures["matches"][name] = store.search(f, per_page=1).total
        rows.append(
            (
                f"search {name}",
                f"{figures['search_ms'][name]} ms ({figures['matches'][name]} match)",
            )
        )
    for name in ("none", "source", "language", "entity", "source + technique + month"):
        figures["stats_ms"][name] = timed(lambda f=cases[name]: store.stats(f), repeat=1)
        rows.append((f"stats {name}", f"{figures['stats_ms'][name]} ms"))
    # Baseline: the unfiltered dashboard aggregated live over every article (no roll-ups).
    began = time.perf_counter()
    store.stats(ArticleFilter(), use_rollups=False)
    figures["stats_ms"]["none, live baseline"] = round(1000 * (time.perf_counter() - began), 1)
    rows.append(("stats none, live baseline", f"{figures['stats_ms']['none, live baseline']} ms"))
    print_table([("store", store.dialect), ("rows", str(total))] + rows)
    path = write_results(
        f"store_scale_{store.dialect}",
        figures,
        f"{total} synthetic articles (40 outlets, 10 years, 0-3 of 8 techniques, 1 person and 1 "
        f"place entity each) in {store.dialect}; median of 3 warm runs (stats: 1 warm run)",
    )
    print(f"wrote {path}")
    store.close()


if __name__ == "__main__":
    main()
