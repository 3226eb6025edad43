"""The store: same suite against SQLite and a real PostgreSQL (``db_url`` is parametrised)."""

from __future__ import annotations

import datetime as dt

import pytest

from newsaudit.errors import InputError
from newsaudit.store import ArticleFilter, Store, content_hash
from newsaudit.store.migrations import STEPS, current_version

TEXT_A = "Die Regierung plant neue Steuern. Anna Berger kritisiert den Plan in Berlin."
TEXT_B = "Der Stadtrat tagt am Montag. Max Roth sagt, die Brücke sei marode."
TEXT_C = "Storms hit the coast. Mayor Jane Doe says the damage is severe."


@pytest.fixture
def store(db_url: str):
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture
def filled(store: Store, make_report) -> Store:
    store.add(
        make_report(
            TEXT_A,
            id="a",
            source="taz.de",
            date="2024-01-15",
            entities=(("Anna Berger", "PER"), ("Berlin", "LOC")),
            speakers=("Anna Berger",),
            techniques=("Loaded_Language", "Doubt"),
        )
    )
    store.add(
        make_report(
            TEXT_B,
            id="b",
            source="spiegel.de",
            date="2024-02-03",
            entities=(("Max Roth", "PER"),),
            speakers=("Max Roth",),
            techniques=("Loaded_Language",),
        )
    )
    store.add(
        make_report(
            TEXT_C,
            id="c",
            source="bbc.co.uk",
            date="2024-02-20",
            language="en",
            entities=(("Jane Doe", "PER"),),
            speakers=("Jane Doe",),
        )
    )
    return store


def test_migrations_run_once_and_reach_latest(db_url: str) -> None:
    first = Store(db_url)
    assert current_version(first.engine) == STEPS[-1][0]
    first.close()
    again = Store(db_url)  # re-opening must not re-run a step (it would fail on existing tables)
    assert again.version == STEPS[-1][0]
    again.close()


def test_add_dedupes_by_content_hash(store: Store, make_report) -> None:
    first = store.add(make_report(TEXT_A, id="x"))
    second = store.add(make_report(TEXT_A, id="y"))
    assert first.created and not second.created
    assert second.id == first.id
    assert store.count() == 1
    assert store.known_hashes([content_hash(TEXT_A), content_hash(TEXT_B)]) == {
        content_hash(TEXT_A)
    }


def test_report_round_trips(store: Store, make_report) -> None:
    report = make_report(
        TEXT_A,
        source="taz.de",
        date="2024-01-15T10:30:00+01:00",
        entities=(("Berlin", "LOC"),),
        techniques=("Doubt",),
    )
    added = store.add(report)
    assert store.get_report(added.id) == report
    article = store.get(added.id)
    assert article["source"] == "taz.de"
    assert article["published"] == "2024-01-15T09:30:00"
    assert article["report"]["techniques"][0]["technique"] == "Doubt"
    assert store.get(added.id + 1000) is None


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ArticleFilter(), ["c", "b", "a"]),
        (ArticleFilter(source="taz.de"), ["a"]),
        (ArticleFilter(language="en"), ["c"]),
        (ArticleFilter(technique="Loaded_Language"), ["b", "a"]),
        (ArticleFilter(technique="Doubt", source="spiegel.de"), []),
        (ArticleFilter(entity="anna  BERGER"), ["a"]),
        (ArticleFilter(entity="Berlin"), ["a"]),
        (ArticleFilter(date_from=dt.date(2024, 2, 1)), ["c", "b"]),
        (ArticleFilter(date_to=dt.date(2024, 2, 3)), ["b", "a"]),
        (ArticleFilter(q="Brücke"), ["b"]),
        (ArticleFilter(q="damage coast"), ["c"]),
        (ArticleFilter(q="damage Brücke"), []),
        (ArticleFilter(q='"); DROP TABLE articles; --'), []),
        (ArticleFilter(q="***"), ["c", "b", "a"]),
    ],
)
def test_filters(filled: Store, filters: ArticleFilter, expected: list[str]) -> None:
    page = filled.search(filters)
    assert [item["doc_id"] for item in page.items] == expected
    assert page.total == len(expected)


def test_pagination(filled: Store) -> None:
    first = filled.search(ArticleFilter(), page=1, per_page=2)
    second = filled.search(ArticleFilter(), page=2, per_page=2)
    assert [i["doc_id"] for i in first.items + second.items] == ["c", "b", "a"]
    assert first.total == second.total == 3
    assert first.items[0]["techniques"] == {}
    assert second.items[0]["techniques"] == {"Loaded_Language": 1, "Doubt": 1}


def test_stats(filled: Store) -> None:
    stats = filled.stats()
    assert stats["articles"] == 3
    assert stats["languages"] == {"de": 2, "en": 1}
    by_source = {
        (r["source"], r["technique"]): r["articles"] for r in stats["techniques_by_source"]
    }
    assert by_source == {
        ("taz.de", "Loaded_Language"): 1,
        ("taz.de", "Doubt"): 1,
        ("spiegel.de", "Loaded_Language"): 1,
    }
    over_time = {(r["month"], r["technique"]): r["articles"] for r in stats["techniques_over_time"]}
    assert over_time == {
        ("2024-01", "Loaded_Language"): 1,
        ("2024-01", "Doubt"): 1,
        ("2024-02", "Loaded_Language"): 1,
    }
    assert {r["name"] for r in stats["top_speakers"]} == {"Anna Berger", "Max Roth", "Jane Doe"}
    assert {(r["name"], r["label"]) for r in stats["top_entities"]} >= {("Berlin", "LOC")}
    doubt = filled.stats(ArticleFilter(technique="Doubt"))
    assert doubt["articles"] == 1
    assert {(r["source"], r["technique"]) for r in doubt["techniques_by_source"]} == {
        ("taz.de", "Loaded_Language"),
        ("taz.de", "Doubt"),
    }
    assert [r["name"] for r in filled.stats(ArticleFilter(entity="max roth"))["top_speakers"]] == [
        "Max Roth"
    ]
    german = filled.stats(ArticleFilter(language="de"))
    assert german["articles"] == 2
    assert {r["name"] for r in german["top_speakers"]} == {"Anna Berger", "Max Roth"}


@pytest.mark.parametrize(
    "filters", [ArticleFilter(), ArticleFilter(source="taz.de"), ArticleFilter(language="de")]
)
def test_rollups_equal_live_aggregates(filled: Store, make_report, filters: ArticleFilter) -> None:
    filled.add(
        make_report(
            "Undatiert. anna berger spricht.",
            id="d",
            entities=(("anna berger", "PER"),),
            speakers=("anna berger",),
            techniques=("Doubt",),
        )
    )
    live = filled.stats(filters, use_rollups=False)
    assert filled.stats(filters) == live
    filled.rebuild_rollups()
    assert filled.stats(filters) == live
    if filters == ArticleFilter():
        assert live["top_speakers"][0] == {"name": "Anna Berger", "quotes": 2, "articles": 2}


def test_batches(store: Store) -> None:
    batch_id = store.create_batch(total=5)
    store.update_batch(batch_id, status="running", done=2, stored=1, skipped=1)
    batch = store.get_batch(batch_id)
    assert (batch["status"], batch["total"], batch["done"], batch["stored"]) == ("running", 5, 2, 1)
    assert store.get_batch("nope") is None


def test_bad_url_is_an_input_error() -> None:
    with pytest.raises(InputError):
        Store("mysql://nobody@localhost/db")
    with pytest.raises(InputError):
        Store("not a url")


def test_stats_count_words_and_strong_flags(filled: Store) -> None:
    from newsaudit.store.rollups import word_count

    stats = filled.stats()
    words = {s["source"]: s["words"] for s in stats["sources"]}
    assert words == {"taz.de": 12, "spiegel.de": 12, "bbc.co.uk": 12}
    assert word_count(TEXT_A) == 12 and word_count("US-kontrolliertes Netz") == 2
    assert {r["strong"] for r in stats["techniques_by_source"]} == {1}  # no levels: all strong
    assert sum(m["words"] for m in stats["articles_over_time"]) == 36
    assert stats == filled.stats(use_rollups=False)


def test_migration_backfills_words_and_strong_flags(tmp_path, make_report) -> None:
    import sqlalchemy

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    store.add(make_report(TEXT_A, id="a", source="taz.de", techniques=("Doubt", "Doubt")))
    expected = store.stats()
    with store.engine.begin() as conn:  # the database as version 4 left it
        conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version = 5")
        for table, column in (
            ("articles", "n_words"),
            ("article_techniques", "strong"),
            ("rollup_counts", "words"),
            ("rollup_counts", "strong"),
        ):
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    store.close()
    migrated = Store(url)
    assert current_version(migrated.engine) == STEPS[-1][0]
    with migrated.engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT n_words FROM articles")).scalar() == 12
    assert migrated.stats() == expected
    assert migrated.stats()["techniques_by_source"][0] == {
        "source": "taz.de",
        "technique": "Doubt",
        "articles": 1,
        "flags": 2,
        "strong": 2,
    }
    migrated.close()


def test_ids_pages_and_dates_beyond_any_database_integer_are_not_errors(filled: Store) -> None:
    # Regression: ids and page numbers of 2**63 and more, and date_to=9999-12-31, raised.
    assert filled.get(2**63) is None and filled.get_report(2**64) is None
    assert filled.get(-1) is None
    dated = filled.search(ArticleFilter(date_from=dt.date.min)).total
    assert filled.search(ArticleFilter(date_to=dt.date.max)).total == dated
    assert filled.stats(ArticleFilter(date_to=dt.date.max))["articles"] == dated
    with pytest.raises(InputError, match="beyond the last page"):
        filled.search(ArticleFilter(), page=2**63)


def test_two_processes_migrating_a_fresh_database_do_not_collide(tmp_path) -> None:
    # Regression: only PostgreSQL took a lock; two processes on a fresh SQLite file both ran
    # the migrations ("table article_speakers already exists").
    import subprocess
    import sys
    from pathlib import Path

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    start = tmp_path / "go"
    script = (
        "import os, sys, time\n"
        f"while not os.path.exists({str(start)!r}): time.sleep(0.001)\n"
        "from newsaudit.store import Store\n"
        f"Store({url!r}).close()\n"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {"PYTHONPATH": src, "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    import time

    time.sleep(3)  # every process has imported SQLAlchemy and waits at the start line
    start.touch()
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    store = Store(url)
    assert current_version(store.engine) == STEPS[-1][0]
    store.close()


def test_role_phrases_and_unresolved_pronouns_are_no_top_speakers(
    store: Store, make_report
) -> None:
    """Regression: "Verwaltung" (from "Nach Angaben der Verwaltung") topped the speakers."""
    text = "Nach Angaben der Verwaltung ist alles gut. Er sagt das auch. Max Roth sagt es."
    report = make_report(text, id="r", speakers=("der Verwaltung", "Er", "Max Roth"))
    for quote, kind in zip(report.quotes, ("role", "pronoun", "name"), strict=True):
        quote.speaker_kind = kind
    store.add(report)
    assert [r["name"] for r in store.stats(ArticleFilter())["top_speakers"]] == ["Max Roth"]


def _scored(report, score: float, framing: int):
    from newsaudit.report.model import Credibility, Signal

    signals = [
        Signal(name="speech_framing", value=framing, explanation="."),
        Signal(name="metadata", value="complete", explanation="."),
    ]
    return report.model_copy(update={"credibility": Credibility(signals=signals, score=score)})


def test_sort_and_filter_by_credibility_score_and_signal(store: Store, make_report) -> None:
    store.add(_scored(make_report(TEXT_A, id="a", source="taz.de", date="2024-01-15"), 0.8, 0))
    store.add(_scored(make_report(TEXT_B, id="b", source="taz.de", date="2024-02-03"), 0.2, 2))
    store.add(make_report(TEXT_C, id="c", source="bbc.co.uk", date="2024-02-20"))

    def ids(**kw) -> list[str]:
        return [item["doc_id"] for item in store.search(ArticleFilter(**kw)).items]

    assert ids(sort="score") == ["b", "a", "c"]  # unscored last
    assert ids(sort="-score") == ["a", "b", "c"]
    assert ids(min_score=0.5) == ["a"]
    assert ids(max_score=0.5) == ["b"]
    assert ids(signal="speech_framing") == ["b"]
    assert ids(signal="speech_framing", signal_min=3) == []
    assert store.search(ArticleFilter(sort="score")).items[0]["credibility"] == 0.2
    assert store.stats()["credibility_by_source"] == [
        {"source": "taz.de", "mean_score": 0.5, "scored": 2}
    ]
    assert store.stats(ArticleFilter(signal="speech_framing"))["articles"] == 1


def test_migration_fills_credibility_from_stored_reports(tmp_path, make_report) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = Store(url)
    store.add(_scored(make_report(TEXT_A, id="a", source="taz.de"), 0.3, 1))
    with store.engine.begin() as conn:  # the database before the credibility step
        conn.exec_driver_sql("DELETE FROM schema_migrations WHERE name LIKE 'credibility%'")
        conn.exec_driver_sql("DROP TABLE article_signals")
        conn.exec_driver_sql("DROP INDEX ix_articles_credibility")
        conn.exec_driver_sql("ALTER TABLE articles DROP COLUMN credibility")
    store.close()
    migrated = Store(url)
    assert [i["credibility"] for i in migrated.search(ArticleFilter()).items] == [0.3]
    assert len(migrated.search(ArticleFilter(signal="speech_framing")).items) == 1
    migrated.close()


def test_a_role_phrase_resolved_to_a_person_counts_as_that_person(
    store: Store, make_report
) -> None:
    text = "Die Kanzlerin sagt, es sei ernst. Angela Merkel sagt es auch."
    report = make_report(
        text,
        id="k",
        entities=(("Angela Merkel", "PER"),),
        speakers=("Die Kanzlerin", "Angela Merkel"),
    )
    report.quotes[0].speaker_kind, report.quotes[0].speaker_cluster = "role", "c0"
    report.quotes[1].speaker_kind, report.quotes[1].speaker_cluster = "name", "c0"
    store.add(report)
    top = store.stats(ArticleFilter())["top_speakers"]
    assert [(r["name"], r["quotes"]) for r in top] == [("Angela Merkel", 2)]
