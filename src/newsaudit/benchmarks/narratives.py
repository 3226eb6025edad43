"""Known narratives: the EUvsDisinfo database as one list of cases, and the TSV formats of
``newsaudit predict narratives`` and of the project's German evaluation sets.

- Cases: ``cknabs_posts_2015-2021.csv`` (10,892 reports: URL, date, title, keywords, countries,
  languages, outlets, ``+``-separated) and the two kalkun exports of 2015-2017 (the same 3,071
  rows, ``;``-separated with dd.mm.yyyy dates and ``,``-separated with mm/dd/yy: title,
  summary, disproof, outlet, keywords). One claim often has several kalkun rows (one per
  outlet) and a cknabs report; rows with the same normalised title are one case, so a case
  keeps the report URL and date where cknabs knows them and the summary and disproof where
  kalkun does.
- Queries in: ``query_id<TAB>text``, an optional header line starting with ``query_id``,
  extra columns ignored. Predictions out: ``query_id<TAB>title1<TAB>title2...``, best first,
  at most ten, whitespace in titles collapsed.
- Gold (the evaluation sets under ``bench/narratives``): ``query_id, text, case_id, title``
  with a header; an empty ``case_id`` marks a hard negative (repeats no case). ``title`` may
  list equivalent case titles separated by `` | `` (the database often documents one claim
  several times); a paraphrase is found when any of them is shown.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from newsaudit.config import shared_data_dir
from newsaudit.errors import InputError

MAX_SHOWN = 10
DATABASE = "EUvsDisinfo"
CKNABS_FILE = "cknabs_posts_2015-2021.csv"
KALKUN_FILES = ("kalkun_full_dataset_2015-2017.csv", "kalkun_full_dataset_formatted_2015-2017.csv")
_ALTERNATIVES = " | "
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Case:
    """One documented disinformation claim. ``url`` is the database's own report page (the
    debunk) when known; ``source_url`` is where the claim appeared; ``summary`` and
    ``disproof`` are empty when the database export lacks them."""

    case_id: str
    title: str
    date: str | None = None  # ISO yyyy-mm-dd
    url: str | None = None
    keywords: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    summary: str = ""
    disproof: str = ""
    source_url: str | None = None
    database: str = DATABASE


def collapse(text: str) -> str:
    """Internal whitespace as single spaces, no leading or trailing space."""
    return _SPACE.sub(" ", text).strip()


def title_key(title: str) -> str:
    """A title as compared across files: NFKC, lower case, letters and digits only."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", text))


def _split(value: str | None, separator: str) -> tuple[str, ...]:
    parts = (collapse(p) for p in (value or "").split(separator))
    return tuple(dict.fromkeys(p for p in parts if p))


def _iso(value: str | None, formats: Sequence[str]) -> str | None:
    value = (value or "").strip()
    for fmt in formats:
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _slug(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def _read_csv(path: Path, delimiter: str) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle, delimiter=delimiter))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def cknabs_cases(rows: Iterable[Mapping[str, str]]) -> list[Case]:
    """Cases of the cknabs export (report URL as id, no summaries)."""
    out = []
    for row in rows:
        url, title = (row.get("id") or "").strip(), collapse(row.get("title") or "")
        if not url or not title:
            continue
        out.append(
            Case(
                case_id=_slug(url),
                title=title,
                date=_iso(row.get("date"), ("%Y-%m-%d",)),
                url=url,
                keywords=_split(row.get("keywords"), "+"),
                outlets=_split(row.get("outlets"), "+"),
                countries=_split(row.get("countries"), "+"),
                languages=_split(row.get("languages"), "+"),
            )
        )
    return out


def kalkun_cases(rows: Iterable[Mapping[str, str]]) -> list[Case]:
    """Cases of a kalkun export, one per row (either file's date format); a row without a
    title (the few with shifted columns) is dropped."""
    out = []
    for row in rows:
        title = collapse(row.get("title") or "")
        if not title or len(title) > 300:
            continue
        day = _iso(row.get("date"), ("%d.%m.%Y", "%m/%d/%y"))
        digest = hashlib.sha1(f"{title_key(title)}|{day}".encode()).hexdigest()[:10]
        source = (row.get("source") or "").strip()
        out.append(
            Case(
                case_id=f"kalkun-{digest}",
                title=title,
                date=day,
                keywords=_split(row.get("keywords"), ","),
                outlets=_split(row.get("outlet"), "+"),
                countries=_split(row.get("origin"), ","),
                languages=_split(row.get("language"), ","),
                summary=collapse(row.get("summary") or ""),
                disproof=(row.get("disproof") or "").strip(),
                source_url=source if source.startswith("http") else None,
            )
        )
    return out


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


def _absorb(case: Case, other: Case) -> Case:
    """``case`` with what ``other`` (the same claim) adds: lists unioned, the earliest date,
    texts and URLs where ``case`` has none."""
    dates = [d for d in (case.date, other.date) if d]
    return replace(
        case,
        date=min(dates) if dates else None,
        url=case.url or other.url,
        keywords=_union(case.keywords, other.keywords),
        outlets=_union(case.outlets, other.outlets),
        countries=_union(case.countries, other.countries),
        languages=_union(case.languages, other.languages),
        summary=case.summary or other.summary,
        disproof=case.disproof or other.disproof,
        source_url=case.source_url or other.source_url,
    )


def _days_apart(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 10**6
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def is_truncated(title: str) -> bool:
    """cknabs cut about 1,900 titles of 2015-2017 mid-sentence with an ellipsis."""
    return title.rstrip().endswith(("…", "..."))


def _truncated_key(title: str) -> str:
    return title_key(title.rstrip().rstrip(".…"))


def merge_cases(reports: Sequence[Case], details: Sequence[Case]) -> list[Case]:
    """Reports (cknabs) with the details (kalkun) of the same claim merged in.

    Detail rows with the same title are one claim (kalkun has a row per outlet). A claim whose
    title a report has joins the report nearest in date (cknabs repeats a few titles as
    separate reports), and so does a claim whose title begins with a report's truncated
    title, which then gets the full title; the others become cases of their own. Reports keep
    their order, the detail-only cases follow in file order.
    """
    grouped: dict[str, Case] = {}
    for case in details:
        key = title_key(case.title)
        grouped[key] = _absorb(grouped[key], case) if key in grouped else case
    by_title: dict[str, list[int]] = {}
    for i, case in enumerate(reports):
        by_title.setdefault(title_key(case.title), []).append(i)
    truncated: dict[str, list[int]] = {}
    for i, case in enumerate(reports):
        if is_truncated(case.title) and len(_truncated_key(case.title)) >= 20:
            truncated.setdefault(_truncated_key(case.title), []).append(i)
    merged = list(reports)
    extra = []
    for key, case in grouped.items():
        if key in by_title:
            i = min(by_title[key], key=lambda j: _days_apart(reports[j].date, case.date))
            merged[i] = _absorb(merged[i], case)
            continue
        prefixes = [p for p in truncated if key.startswith(p)]
        if prefixes:
            rows = truncated[max(prefixes, key=len)]
            i = min(rows, key=lambda j: _days_apart(reports[j].date, case.date))
            if is_truncated(merged[i].title):
                merged[i] = replace(_absorb(merged[i], case), title=case.title)
                continue
        extra.append(case)
    return merged + extra


def euvsdisinfo_dir() -> Path:
    return shared_data_dir() / "narratives-euvsdisinfo"


def read_euvsdisinfo(folder: Path | None = None) -> list[Case]:
    """Every case of the EUvsDisinfo exports in ``folder``, duplicates merged."""
    folder = folder or euvsdisinfo_dir()
    if not folder.is_dir():
        raise InputError(f"no EUvsDisinfo data at {folder}")
    reports = cknabs_cases(_read_csv(folder / CKNABS_FILE, ","))
    details: list[Case] = []
    for name, delimiter in zip(KALKUN_FILES, (";", ","), strict=True):
        if (folder / name).is_file():
            details += kalkun_cases(_read_csv(folder / name, delimiter))
    return merge_cases(reports, details)


@dataclass(frozen=True)
class Query:
    query_id: str
    text: str


@dataclass(frozen=True)
class GoldQuery:
    """One line of an evaluation set; no ``titles`` means a hard negative."""

    query_id: str
    text: str
    case_id: str = ""
    titles: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_negative(self) -> bool:
        return not self.titles


def _lines(text: str) -> list[list[str]]:
    """Non-empty lines split on tabs, without a header line that starts with query_id."""
    rows = [line.rstrip("\r").split("\t") for line in text.split("\n")]
    rows = [r for r in rows if any(c.strip() for c in r)]
    if rows and rows[0][0].strip().lower().startswith("query_id"):
        rows = rows[1:]
    return rows


def parse_queries(text: str, name: str = "input") -> list[Query]:
    """``query_id<TAB>text`` lines; raise InputError on a line without both or a repeated id."""
    out, seen = [], set()
    for n, row in enumerate(_lines(text), start=1):
        query_id = row[0].strip()
        if len(row) < 2 or not query_id:
            raise InputError(f"{name}: line {n} needs query_id<TAB>text")
        if query_id in seen:
            raise InputError(f"{name}: query_id {query_id!r} appears twice")
        seen.add(query_id)
        out.append(Query(query_id, row[1]))
    return out


def parse_gold(text: str, name: str = "gold") -> list[GoldQuery]:
    """An evaluation set: ``query_id, text, case_id, title`` (``case_id`` empty for a
    negative)."""
    out = []
    for n, row in enumerate(_lines(text), start=1):
        row = [*row, "", "", ""]
        query_id, body, case_id, titles = (c.strip() for c in row[:4])
        if not query_id or not body:
            raise InputError(f"{name}: line {n} needs query_id<TAB>text")
        if bool(case_id) != bool(titles):
            raise InputError(f"{name}: line {n} needs both case_id and title, or neither")
        alternatives = tuple(collapse(t) for t in titles.split(_ALTERNATIVES.strip()) if t.strip())
        out.append(GoldQuery(query_id, body, case_id, alternatives))
    return out


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc


def read_queries(path: Path) -> list[Query]:
    return parse_queries(_read(path), str(path))


def read_gold(path: Path) -> list[GoldQuery]:
    return parse_gold(_read(path), str(path))


def format_predictions(rows: Iterable[tuple[str, Sequence[str]]]) -> str:
    """One line per query: its id, then at most ten shown titles, whitespace collapsed (a
    title never holds a tab or a line break)."""
    lines = []
    for query_id, titles in rows:
        shown = [collapse(t) for t in titles if collapse(t)][:MAX_SHOWN]
        lines.append("\t".join([query_id, *shown]))
    return "\n".join(lines) + ("\n" if lines else "")


def parse_predictions(text: str, name: str = "predictions") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for n, row in enumerate(_lines(text), start=1):
        query_id = row[0].strip()
        if not query_id:
            raise InputError(f"{name}: line {n} has no query_id")
        out[query_id] = [collapse(t) for t in row[1:] if t.strip()]
    return out


def read_predictions(path: Path) -> dict[str, list[str]]:
    return parse_predictions(_read(path), str(path))
