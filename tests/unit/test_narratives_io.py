"""EUvsDisinfo merging, the predict narratives TSV formats, the evaluation sets and the
matching metrics."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudit.benchmarks.metrics import match_scores
from newsaudit.benchmarks.narratives import (
    MAX_SHOWN,
    cknabs_cases,
    format_predictions,
    is_truncated,
    kalkun_cases,
    merge_cases,
    parse_gold,
    parse_predictions,
    parse_queries,
    read_euvsdisinfo,
    read_gold,
)
from newsaudit.errors import InputError

BENCH = Path(__file__).resolve().parents[2] / "bench" / "narratives"

REPORT = {
    "date": "2016-09-28",
    "id": "https://euvsdisinfo.eu/report/washington-supports-terrorists/",
    "title": "Washington  supports terrorists in Syria",
    "countries": "Syria+US",
    "keywords": "Terrorism+Syrian war",
    "languages": "Russian",
    "outlets": "Outlet A",
}


def _detail(day: str, outlet: str, summary: str = "", disproof: str = "") -> dict[str, str]:
    return {
        "date": day,
        "outlet": outlet,
        "language": "Russian",
        "origin": "Syria, US",
        "keywords": "Terrorism, Aleppo",
        "source": "http://example.invalid/a",
        "title": "Washington supports terrorists in Syria.",
        "summary": summary,
        "disproof": disproof,
    }


def test_a_claim_in_both_files_is_one_case_with_url_date_outlets_and_disproof() -> None:
    reports = cknabs_cases([REPORT])
    details = kalkun_cases(
        [
            _detail(
                "26.09.2016", "Outlet B", summary="The US backs them.", disproof="No evidence."
            ),
            _detail("09/27/16", "Outlet C"),
        ]
    )
    [case] = merge_cases(reports, details)
    assert case.case_id == "washington-supports-terrorists"
    assert case.title == "Washington supports terrorists in Syria"
    assert case.url == REPORT["id"]
    assert case.date == "2016-09-26"  # the earliest sighting
    assert case.outlets == ("Outlet A", "Outlet B", "Outlet C")
    assert case.keywords == ("Terrorism", "Syrian war", "Aleppo")
    assert (case.summary, case.disproof) == ("The US backs them.", "No evidence.")


def test_a_claim_only_in_the_details_is_a_case_of_its_own_and_reports_keep_their_order() -> None:
    other = {**REPORT, "id": "https://euvsdisinfo.eu/report/other/", "title": "Other claim"}
    reports = cknabs_cases([other, REPORT])
    detail = {**_detail("01.01.2016", "X"), "title": "A third claim"}
    cases = merge_cases(reports, kalkun_cases([detail]))
    assert [c.case_id for c in cases[:2]] == ["other", "washington-supports-terrorists"]
    assert cases[2].title == "A third claim" and cases[2].url is None
    assert cases[2].case_id.startswith("kalkun-")


def test_a_truncated_report_title_gets_the_full_title_of_its_details() -> None:
    cut = {**REPORT, "title": "Washington supports terrorists in…"}
    [case] = merge_cases(cknabs_cases([cut]), kalkun_cases([_detail("26.09.2016", "B")]))
    assert case.title == "Washington supports terrorists in Syria."
    assert case.case_id == "washington-supports-terrorists" and case.outlets == ("Outlet A", "B")


def test_a_repeated_report_title_takes_the_details_at_the_nearest_date() -> None:
    late = {**REPORT, "id": "https://euvsdisinfo.eu/report/late/", "date": "2020-01-01"}
    cases = merge_cases(
        cknabs_cases([late, REPORT]), kalkun_cases([_detail("26.09.2016", "B", disproof="D")])
    )
    assert [c.disproof for c in cases] == ["", "D"]


def test_queries_skip_a_header_ignore_extra_columns_and_refuse_bad_lines() -> None:
    text = "query_id\ttext\textra\nq1\tEin Satz\tx\ty\r\n\nq2\tNoch einer\n"
    assert [(q.query_id, q.text) for q in parse_queries(text)] == [
        ("q1", "Ein Satz"),
        ("q2", "Noch einer"),
    ]
    with pytest.raises(InputError, match="line 1"):
        parse_queries("q1 without a tab\n")
    with pytest.raises(InputError, match="twice"):
        parse_queries("q1\ta\nq1\tb\n")


def test_predictions_collapse_whitespace_and_show_at_most_ten() -> None:
    titles = [f"Title\n {i}  here" for i in range(12)]
    text = format_predictions([("q1", titles), ("q2", [])])
    lines = text.split("\n")
    assert lines[0].split("\t") == ["q1", *[f"Title {i} here" for i in range(MAX_SHOWN)]]
    assert lines[1] == "q2" and text.endswith("\n")


cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1
).filter(lambda s: s.strip() and s.strip() != "|")
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=8).filter(
    lambda s: not s.startswith("query_id")
)


@given(st.dictionaries(ids, st.lists(cell, max_size=12), max_size=6))
@settings(max_examples=80, deadline=None)
def test_predictions_round_trip(rows: dict[str, list[str]]) -> None:
    parsed = parse_predictions(format_predictions(rows.items()))
    assert list(parsed) == list(rows)
    for query_id, titles in rows.items():
        assert parsed[query_id] == [" ".join(t.split()) for t in titles][:MAX_SHOWN]


@given(st.lists(st.tuples(ids, cell), max_size=6, unique_by=lambda r: r[0]))
@settings(max_examples=80, deadline=None)
def test_queries_round_trip(rows: list[tuple[str, str]]) -> None:
    text = "".join(f"{q}\t{t}\n" for q, t in rows)
    assert [(q.query_id, q.text) for q in parse_queries(text)] == rows


def test_gold_negatives_alternatives_and_errors() -> None:
    gold = parse_gold("query_id\ttext\tcase_id\ttitle\na\tSatz\tc1\tT one | T  two\nb\tNein\t\t\n")
    assert gold[0].titles == ("T one", "T two") and not gold[0].is_negative
    assert gold[1].is_negative
    with pytest.raises(InputError, match="both"):
        parse_gold("a\tSatz\tc1\t\n")


def test_match_scores_count_hits_in_the_first_k_and_any_shown_title_on_a_negative() -> None:
    gold = [("p1", ("A", "A2")), ("p2", ("B",)), ("n1", ()), ("n2", ())]
    predicted = {"p1": ["x", "a2"], "p2": ["1", "2", "3", "4", "5", "B"], "n1": ["z"]}
    scores = match_scores(gold, predicted)
    assert (scores.success_at_1, scores.success_at_5, scores.success_at_10) == (0.0, 0.5, 1.0)
    assert scores.false_match_rate == 0.5
    assert (scores.paraphrases, scores.negatives) == (2, 2)


@pytest.mark.parametrize("split", ["dev", "test"])
def test_the_evaluation_sets_have_enough_paraphrases_and_hard_negatives(split: str) -> None:
    gold = read_gold(BENCH / f"{split}.tsv")
    assert sum(not g.is_negative for g in gold) >= 50
    assert sum(g.is_negative for g in gold) >= 30
    assert len({g.query_id for g in gold}) == len(gold)


def test_dev_and_test_share_no_paraphrased_case() -> None:
    dev, test = (read_gold(BENCH / f"{s}.tsv") for s in ("dev", "test"))
    assert not {g.case_id for g in dev if g.case_id} & {g.case_id for g in test if g.case_id}
    assert not {g.text for g in dev} & {g.text for g in test}


@pytest.mark.needs_shared_data
def test_the_database_reads_into_one_case_per_claim(shared_data: Path) -> None:
    cases = read_euvsdisinfo(shared_data / "narratives-euvsdisinfo")
    ids = [c.case_id for c in cases]
    assert len(ids) == len(set(ids))
    assert 11_000 < len(cases) < 13_963  # 10,892 reports + kalkun claims not among them
    assert sum(is_truncated(c.title) for c in cases) < 500  # most cut titles get their full one
    assert sum(bool(c.url) for c in cases) == 10_892
    assert sum(bool(c.disproof) for c in cases) > 2_400
    gold = {g.case_id for s in ("dev", "test") for g in read_gold(BENCH / f"{s}.tsv")}
    assert gold - {""} <= set(ids)
