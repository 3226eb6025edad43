"""Compare: two of TEST4's misses called for these, each on a hand-written pair: a unit
given by "Das hat X mitgeteilt", and a direct quote the speaker takes back in part in the
next sentence."""

from __future__ import annotations

from newsaudit.compare import compare
from newsaudit.compare.comparison import article_pipeline
from newsaudit.compare.inputs import load_given
from newsaudit.compare.units import article_units


def _findings(article: str, source: str) -> list[tuple[str, str]]:
    return [(f.kind, f.article_text) for f in compare(article, [source]).findings]


def test_das_hat_x_mitgeteilt_gives_the_sentence_before_to_x() -> None:
    article = "Die Fähre fährt ab Mai stündlich. Das hat Bürgermeisterin Ina Kluge mitgeteilt."
    report = article_pipeline().run(load_given(article, "article", None).document)
    said = {article[u.start : u.end]: u.speaker for u in article_units(report)}
    assert said.get("Die Fähre fährt ab Mai stündlich") == "Ina Kluge"


def test_a_direct_quote_the_next_sentence_negates_in_part_is_cut() -> None:
    source = (
        'Surgeon Dr Paul Hewitt said: "The new implant works well in the knee. In the hip it '
        'has not helped a single patient."'
    )
    cut = "Chirurg Paul Hewitt sagte: „Das neue Implantat wirkt gut.“"
    whole = (
        "Das neue Implantat wirke im Knie gut, im Hüftgelenk habe es jedoch keinem einzigen "
        "Patienten geholfen, sagte Chirurg Paul Hewitt."
    )
    assert [kind for kind, _ in _findings(cut, source)] == ["quote_cut"]
    assert _findings(whole, source) == []
