"""Shared fixtures: the sample article and ../shared/data (skipped with a reason if absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSAUDIT_SHARED", REPO.parent / "shared"))
SAMPLE = SHARED / "samples" / "seed-article-de.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    if not SAMPLE.is_file():
        pytest.skip(f"the sample article is not at {SAMPLE}")
    return SAMPLE


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests marked ``needs_shared_data`` skip when it is missing."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"../shared/data is not at {data} (set NEWSAUDIT_SHARED to its parent)")
    return data


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


def postgres_url() -> str | None:
    """The test server from ``.ci/setup-services``; in CI its absence is an error, not a skip."""
    url = os.environ.get("NEWSAUDIT_TEST_POSTGRES_URL")
    if not url and os.environ.get("CI"):
        pytest.fail('CI must set NEWSAUDIT_TEST_POSTGRES_URL: eval "$(bash .ci/setup-services)"')
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty database of each kind: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = postgres_url()
    if not base:
        pytest.skip('no PostgreSQL: run `eval "$(bash .ci/setup-services)"` to start one')
    import uuid

    import sqlalchemy

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sqlalchemy.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


def _span(text: str, needle: str, after: int = 0) -> dict:
    start = text.index(needle, after)
    return {"start": start, "end": start + len(needle), "text": needle}


def build_report(
    text: str,
    *,
    id: str = "a1",
    source: str | None = None,
    date: str | None = None,
    language: str = "de",
    entities: tuple[tuple[str, str], ...] = (),
    speakers: tuple[str, ...] = (),
    techniques: tuple[str, ...] = (),
):
    """A hand-made Report whose spans are real offsets into ``text`` (for store and UI tests)."""
    from newsaudit.report.model import Report

    metadata = {k: v for k, v in (("source", source), ("date", date)) if v}
    clusters = []
    found = []
    for i, (name, label) in enumerate(entities):
        span = _span(text, name)
        found.append({**span, "label": label, "cluster": f"c{i}"})
        clusters.append({"id": f"c{i}", "canonical": name, "label": label, "mentions": [span]})
    quotes = []
    for name in speakers:
        speaker = _span(text, name)
        quotes.append({**speaker, "kind": "reported", "speaker": speaker, "message": speaker})
    flags = [
        {
            **_span(text, text.split()[0]),
            "technique": t,
            "paragraph": 0,
            "score": 0.9,
            "definition": f"definition of {t}",
        }
        for t in techniques
    ]
    return Report.model_validate(
        {
            "id": id,
            "text": text,
            "language": language,
            "title": text.split(".")[0],
            "metadata": metadata,
            "entities": found,
            "entity_clusters": clusters,
            "quotes": quotes,
            "techniques": flags,
        }
    )


@pytest.fixture(scope="session")
def make_report():
    return build_report


_NAMES = ("Anna Berger", "Max Roth", "Lena Vogel", "Paul Kern", "Eva Lind", "Jonas Hart")
_PLACES = ("Berlin", "Hamburg", "Köln", "Leipzig", "Bremen", "Kassel")
_TOPICS = ("Brücke", "Schule", "Klinik", "Bahnstrecke", "Bibliothek", "Kläranlage")
_OUTLETS = ("nordblatt.example", "suedkurier.example", "westpost.example")


def synthetic_articles(n: int, seed: int = 7) -> list[dict]:
    """``n`` distinct short German articles made up from templates (no real news text)."""
    import random

    rng = random.Random(seed)
    rows = []
    for i in range(n):
        name, other = rng.sample(_NAMES, 2)
        place, topic = rng.choice(_PLACES), rng.choice(_TOPICS)
        cost = rng.randint(2, 90)
        text = (
            f"Streit um die {topic} in {place}\n\n"
            f"Die Stadt {place} will die {topic} für {cost} Millionen Euro sanieren. "
            f"„Das ist eine Katastrophe für alle Bürger“, sagte {name} am Montag. "
            f"{other} widersprach: Die Pläne seien seit Jahren bekannt.\n\n"
            f"Nach Angaben der Verwaltung beginnen die Arbeiten im Frühjahr {2020 + i % 6}. "
            f"Kritiker sprechen von einem Skandal. Vorgang {i}."
        )
        rows.append(
            {
                "id": f"syn-{i}",
                "text": text,
                "source": _OUTLETS[i % len(_OUTLETS)],
                "date": f"{2020 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            }
        )
    return rows


@pytest.fixture(scope="session")
def synthetic():
    return synthetic_articles


# Hand-written German sentences (not news) recombined into long texts without line breaks.
_PROSE = (
    "Die Stadtverwaltung von Kassel hat am Montag einen neuen Plan für den Busverkehr vorgestellt.",
    "Nach Angaben der Behörde sollen die Linien ab dem Frühjahr häufiger fahren.",
    "„Wir wollen, dass mehr Menschen das Auto stehen lassen“, sagte Bürgermeisterin Anna Berger.",
    "Kritiker halten den Plan für zu teuer und verweisen auf die leeren Kassen der Stadt.",
    "Der Verkehrsverbund rechnet mit Kosten von rund zwölf Millionen Euro pro Jahr.",
    "Max Roth vom Fahrgastverband erklärte, die Taktung sei seit Jahren ein Ärgernis.",
    "Ob die neuen Busse rechtzeitig geliefert werden, ist noch offen.",
    "Die Gewerkschaft fordert zugleich mehr Personal und höhere Löhne für die Fahrer.",
)


def german_prose(n_chars: int, seed: int = 3) -> str:
    """About ``n_chars`` characters of German sentences on one line (no paragraph breaks)."""
    import random

    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n_chars:
        sentence = rng.choice(_PROSE)
        out.append(sentence)
        size += len(sentence) + 1
    return " ".join(out)


@pytest.fixture(scope="session")
def prose():
    return german_prose
