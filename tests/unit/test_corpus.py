"""Corpus readers: every record is read, a bad one becomes a Failure, memory stays bounded."""

from __future__ import annotations

import csv
import gzip
import io
import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsaudit.ingest.corpus
from newsaudit.config import Limits
from newsaudit.document import Document, Failure
from newsaudit.ingest.corpus import iter_documents
from newsaudit.ingest.records import Oversized, csv_records, jsonl_lines
from newsaudit.pipeline import Pipeline, analyze_many, default_analyzers


def _texts(n: int) -> list[str]:
    return [
        f"Der Rat der Stadt Bonn tagte am Montag zum {i}. Mal über den Haushalt." for i in range(n)
    ]


def test_csv_rows_after_an_oversized_field_are_still_read(tmp_path: Path) -> None:
    # Regression: the first csv.Error (a field above the limit) ended the file silently.
    path = tmp_path / "rows.csv"
    texts = _texts(3)
    huge = "Ein sehr langer Absatz.\n" * 50_000  # 1.2 MB over many lines
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerow(["a", texts[0]])
        writer.writerow(["big", huge])
        writer.writerow(["b", texts[1]])
        writer.writerow(["c", texts[2]])
    items = list(iter_documents([str(path)], Limits(max_bytes=2000)))
    assert [item.id for item in items] == ["a", "big", "b", "c"]
    assert isinstance(items[1], Failure) and "above the limit" in items[1].error
    assert [item.text for item in items if isinstance(item, Document)] == texts


class _Trickle(io.RawIOBase):
    """A stream that returns at most ``size`` bytes per read, so chunks end anywhere."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.pos = data, size, 0

    def read(self, n: int = -1) -> bytes:
        piece = self.data[self.pos : self.pos + min(self.size, n if n >= 0 else self.size)]
        self.pos += len(piece)
        return piece


_FIELD = st.text(alphabet=st.sampled_from('ab ,"\n\r\tä'), max_size=12)


@settings(max_examples=200)
@given(
    st.lists(st.lists(_FIELD, min_size=1, max_size=4), min_size=1, max_size=8), st.integers(1, 7)
)
def test_csv_records_split_where_the_csv_module_would(rows: list[list[str]], chunk: int) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    records = list(csv_records(_Trickle(data, chunk), b",", 10_000))
    expected = [row for row in csv.reader(io.StringIO(data.decode(), newline="")) if row]
    parsed = [next(csv.reader([r.decode()])) for r in records if isinstance(r, bytes)]
    assert [row for row in parsed if row] == expected


def test_quotes_inside_an_unquoted_field_are_characters() -> None:
    data = b'id,text\n1,Er sagte "hallo\n2,"zwei\nZeilen"\n3,drei\n'
    records = list(csv_records(io.BytesIO(data), b",", 1000))
    assert records == [b"id,text\n", b'1,Er sagte "hallo\n', b'2,"zwei\nZeilen"\n', b"3,drei\n"]


def test_a_gigantic_jsonl_line_is_never_read_whole(tmp_path: Path) -> None:
    # Regression: lines were read whole before the size check (a 1 GB line peaked at 2.2 GB).
    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(json.dumps({"id": "a", "text": _texts(1)[0]}).encode() + b"\n")
        handle.write(b'{"id": "huge", "text": "' + b"Wort " * 6_000_000 + b'"}\n')
        handle.write(json.dumps({"id": "b", "text": _texts(2)[1]}).encode() + b"\n")
    tracemalloc.start()
    items = list(iter_documents([str(path)], Limits(max_bytes=10_000)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [item.id for item in items] == ["a", "huge", "b"]
    assert isinstance(items[1], Failure) and "above the limit" in items[1].error
    assert peak < 5_000_000, f"peak {peak / 1e6:.1f} MB while reading a 30 MB line"


def test_jsonl_lines_bound_every_line() -> None:
    lines = list(jsonl_lines(io.BytesIO(b"short\n" + b"x" * 50 + b"\nend"), limit=20))
    assert lines[0] == b"short\n" and lines[2] == b"end"
    assert lines[1] == Oversized(head=b"x" * 21, size=51)


def test_deeply_nested_json_and_control_characters_are_row_errors(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000 + b'\n{"id": "x", "text": "a\x01b"}\n')
    items = list(iter_documents([str(path)]))
    assert [type(item) for item in items] == [Failure, Failure]
    assert "nests too deeply" in items[0].error
    assert items[1].error == "row is not valid JSON: Invalid control character at column 23"


def test_an_ingest_step_that_breaks_on_one_row_fails_only_that_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: an exception that was not a NewsauditError ended the whole batch.
    path = tmp_path / "rows.jsonl"
    path.write_text(
        "".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(_texts(4))),
        encoding="utf-8",
    )
    real = newsaudit.ingest.corpus.record_to_document

    def breaks_on_row_1(record: dict, fallback: str, limits: Limits) -> Document:
        if record["id"] == "1":
            raise KeyError("a bug in a reader")
        return real(record, fallback, limits)

    monkeypatch.setattr(newsaudit.ingest.corpus, "record_to_document", breaks_on_row_1)
    items = list(iter_documents([str(path)]))
    assert [item.id for item in items] == ["0", "1", "2", "3"]
    assert isinstance(items[1], Failure) and items[1].kind == "InternalError"
    assert items[1].error == "internal error: KeyError: 'a bug in a reader'"


def test_a_text_layer_that_breaks_on_one_article_fails_only_that_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newsaudit.nlp.tokens
    from newsaudit.ingest import document_from_text

    real = newsaudit.nlp.tokens.build_text_layer

    def breaks_on_poison(document: Document):
        if "Gift" in document.text:
            raise IndexError("the tokenizer choked")
        return real(document)

    monkeypatch.setattr(newsaudit.nlp.tokens, "build_text_layer", breaks_on_poison)
    texts = [*_texts(2), "Ein Gift im Text der Stadt Bonn.", *_texts(2)]
    documents = [document_from_text(t, id=f"d{i}") for i, t in enumerate(texts)]
    results = list(analyze_many(documents, Pipeline(default_analyzers(["keywords"]))))
    assert [r.id for r in results] == ["d0", "d1", "d2", "d3", "d4"]
    assert [isinstance(r, Failure) for r in results] == [False, False, True, False, False]
    assert results[2].error == "internal error: IndexError: the tokenizer choked"
