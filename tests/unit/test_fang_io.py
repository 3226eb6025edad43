"""FANG-COVID helpers: the seeded per-outlet order and the article text both sides read."""

from __future__ import annotations

from newsaudit.benchmarks.fang import TEST_OUTLETS, article_text, is_reliable, shuffled


def test_article_text_is_headline_blank_line_and_the_body_cut_at_a_line_break():
    record = {"header": " Titel ", "article": "a" * 2000 + "\n" + "b" * 2000, "label": "real"}
    assert article_text(record) == "Titel\n\n" + "a" * 2000
    assert article_text({"header": None, "article": "kurz"}) == "\n\nkurz"
    assert is_reliable(record) and not is_reliable({"label": "fake"})


def test_the_seeded_order_is_the_same_wherever_it_is_drawn():
    by_outlet = {o: [{"id": f"{o}-{i}"} for i in range(20)] for o in ("b.example", "a.example")}
    first, again = shuffled(by_outlet), shuffled(dict(reversed(by_outlet.items())))
    assert first == again
    assert sorted(r["id"] for r in first["a.example"]) == sorted(
        r["id"] for r in by_outlet["a.example"]
    )
    assert "sueddeutsche.de" in TEST_OUTLETS and len(TEST_OUTLETS) == 5
