"""The SemEval TSV reader and the official metrics, on hand-made inputs."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudit.benchmarks.metrics import multilabel_micro_f1, single_label_macro_f1
from newsaudit.benchmarks.semeval import article_lines, read_prediction_file, read_records

ids = st.integers(min_value=1, max_value=10**9).map(str)
texts = st.text(
    alphabet=st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), max_size=40
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(ids, ids, texts), max_size=8))
def test_read_records_keeps_one_record_per_line(tmp_path_factory, records) -> None:
    path: Path = tmp_path_factory.mktemp("tsv") / "paragraphs.tsv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("".join(f"{a}\t{p}\t{t}\n" for a, p, t in records))
    assert read_records(path) == [tuple(r) for r in records]


def test_read_records_tabs_carriage_returns_and_empty_text(tmp_path) -> None:
    path = tmp_path / "p.tsv"
    path.write_bytes(b"1\t1\tEin\tTab\r\n1\t3\t\n2\t1\tletzte Zeile ohne Umbruch")
    assert read_records(path) == [
        ("1", "1", "Ein\tTab\r"),
        ("1", "3", ""),
        ("2", "1", "letzte Zeile ohne Umbruch"),
    ]


def test_article_lines_trim_carriage_returns() -> None:
    text = "Titel \r\n\r\nErster Absatz.\r\n"
    spans = article_lines(text)
    assert [text[s:e] for s, e in spans] == ["Titel", "", "Erster Absatz.", ""]


def test_micro_f1_on_a_hand_made_example(tmp_path) -> None:
    gold = {("1", "1"): ["A", "B"], ("1", "3"): [], ("2", "1"): ["C"]}
    pred = {("1", "1"): ["A"], ("1", "3"): ["B"], ("2", "1"): ["C"]}
    # tp = 2 (A, C), fp = 1 (B), fn = 1 (B) -> P = R = F1 = 2/3
    result = multilabel_micro_f1(gold, pred)
    assert abs(result["micro_f1"] - 2 / 3) < 1e-9
    assert multilabel_micro_f1(gold, {})["micro_f1"] == 0.0


def test_macro_f1_on_a_hand_made_example() -> None:
    gold = {("1",): ["opinion"], ("2",): ["opinion"], ("3",): ["satire"]}
    pred = {("1",): ["opinion"], ("2",): ["satire"], ("3",): ["satire"]}
    # opinion: tp 1, gold 2, pred 1 -> 2/3; satire: tp 1, gold 1, pred 2 -> 2/3
    assert abs(single_label_macro_f1(gold, pred)["macro_f1"] - 2 / 3) < 1e-9


def test_prediction_file_with_empty_label_column(tmp_path) -> None:
    path = tmp_path / "pred.tsv"
    path.write_text("7\t1\t\n7\t3\tLoaded_Language,Doubt\n", encoding="utf-8")
    assert read_prediction_file(path, 2) == {
        ("7", "1"): [],
        ("7", "3"): ["Loaded_Language", "Doubt"],
    }


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from("abcde"), max_size=40), st.integers(min_value=1, max_value=8))
def test_predict_chunks_cover_every_record_once_and_never_split_an_article(
    articles: list[str], size: int
) -> None:
    from newsaudit.tasks.techniques import article_chunks

    chunks = article_chunks(articles, size)
    assert sorted(i for c in chunks for i in c) == list(range(len(articles)))
    for article in set(articles):
        assert sum(article in {articles[i] for i in c} for c in chunks) == 1
