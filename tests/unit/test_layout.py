from hypothesis import given
from hypothesis import strategies as st

from newsaudit.ingest.layout import (
    WINDOW_MAX_CHARS,
    WINDOW_MAX_SENTENCES,
    parse_layout,
    parse_tag_line,
    windows,
)
from newsaudit.nlp.sentences import split_sentences


def test_seed_layout_lead_tags_body() -> None:
    text = (
        "Die Armee eroberte das Lager zurück. Die Lage ist ruhig.\n"
        "kirby, global war\n"
        "Der Sprecher sagte, man werde reagieren.\n\n"
        "Ein weiterer Absatz folgt hier."
    )
    layout = parse_layout(text)
    assert layout.title is None
    assert layout.lead == "Die Armee eroberte das Lager zurück. Die Lage ist ruhig."
    assert layout.tags == ["kirby", "global war"]
    assert [b.role for b in layout.blocks] == ["lead", "tags", "body", "body"]


def test_semeval_layout_title_blank_body() -> None:
    text = (
        "Regierung plant neue Steuer\n\nDie Regierung plant eine neue Steuer.\nKritik kam sofort."
    )
    layout = parse_layout(text)
    assert layout.title == "Regierung plant neue Steuer"
    assert layout.lead == "Die Regierung plant eine neue Steuer."
    assert [b.role for b in layout.blocks] == ["title", "lead", "body"]


def test_plain_paragraphs_and_trailing_tag_line() -> None:
    text = "Erster Absatz mit Text.\nZweiter Absatz mit Text.\nPolitik, Wahlen, Berlin"
    layout = parse_layout(text)
    assert layout.lead == "Erster Absatz mit Text."
    assert layout.tags == ["Politik", "Wahlen", "Berlin"]


def test_tag_line_rules() -> None:
    assert parse_tag_line("kirby, global war") == ["kirby", "global war"]
    assert parse_tag_line("Er kam, sah und siegte.") is None
    assert parse_tag_line("ohne Komma") is None
    assert parse_tag_line("a, this tag has far too many words in it") is None


@given(
    st.lists(st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=60), max_size=12)
)
def test_blocks_reproduce_stripped_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    layout = parse_layout(text)
    expected = [line.strip() for line in lines if line.strip()]
    assert [text[b.start : b.end] for b in layout.blocks] == expected
    assert all(a.end <= b.start for a, b in zip(layout.blocks, layout.blocks[1:], strict=False))


def test_headline_with_a_comma_is_the_title_not_tags() -> None:
    # Regression: the comma made the headline a tag line, so there were two tags and no title.
    for text in (
        "Verstappen siegt, Vettel geht unter\n\nDer Niederländer gewann das Rennen in Monza.",
        "Verstappen siegt, Vettel geht unter\nDer Niederländer gewann das Rennen in Monza.",
    ):
        layout = parse_layout(text)
        assert layout.title == "Verstappen siegt, Vettel geht unter"
        assert layout.tags == []
        assert layout.lead == "Der Niederländer gewann das Rennen in Monza."


def test_headline_ending_in_an_exclamation_mark_is_the_title() -> None:
    layout = parse_layout("Skandal im Rathaus!\n\nDer Stadtrat hat die Sitzung abgebrochen.")
    assert layout.title == "Skandal im Rathaus!"
    assert layout.lead == "Der Stadtrat hat die Sitzung abgebrochen."


def test_a_leading_tag_line_stays_tags() -> None:
    layout = parse_layout("Politik, Wahlen, Berlin\nDer Rat tagte am Montag.\nEr beschloss nichts.")
    assert layout.tags == ["Politik", "Wahlen", "Berlin"]
    assert layout.title is None


_SENTENCES = (
    "Die Stadt plant einen neuen Radweg am Fluss.",
    "Der Rat hat am Montag darüber beraten.",
    "„Wir brauchen sichere Wege“, sagte die Bürgermeisterin.",
    "Kritiker verweisen auf die hohen Kosten von 4,5 Mio. Euro.",
    "Die Arbeiten sollen im Frühjahr beginnen.",
)


def _one_line(n_sentences: int) -> str:
    return " ".join(_SENTENCES[i % len(_SENTENCES)] for i in range(n_sentences))


def test_a_text_without_paragraph_breaks_is_cut_into_marked_windows() -> None:
    text = _one_line(120)
    layout = parse_layout(text)
    assert len(layout.blocks) > 10
    assert all(b.window for b in layout.blocks)
    assert [b.role for b in layout.blocks[:2]] == ["lead", "body"]
    assert layout.lead == text[layout.blocks[0].start : layout.blocks[0].end]
    for block in layout.blocks:
        piece = text[block.start : block.end]
        assert piece == piece.strip() and len(piece) <= WINDOW_MAX_CHARS
        assert piece.endswith((".", "“")), piece  # whole sentences
        assert 1 <= len(split_sentences(text, block.start, block.end)) <= WINDOW_MAX_SENTENCES
    assert "".join(text[b.start : b.end] for b in layout.blocks).replace(" ", "") == text.replace(
        " ", ""
    )


def test_author_paragraphs_are_not_windows() -> None:
    text = "Titel der Meldung\n\n" + _one_line(8) + "\n" + _one_line(3)
    layout = parse_layout(text)
    assert [b.window for b in layout.blocks] == [False, False, False]


def test_a_sentence_longer_than_a_window_is_cut_at_white_space() -> None:
    text = " ".join(["Wort"] * 2000)  # 10,000 characters without a sentence end
    layout = parse_layout(text)
    assert len(layout.blocks) >= len(text) // WINDOW_MAX_CHARS
    assert max(b.end - b.start for b in layout.blocks) <= WINDOW_MAX_CHARS
    assert [w for b in layout.blocks for w in text[b.start : b.end].split(" ")] == ["Wort"] * 2000


def _visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("abc ABC.!?\t„“"), min_size=1, max_size=40),
        min_size=50,
        max_size=200,
    )
)
def test_windows_cover_every_character_once(pieces: list[str]) -> None:
    text = " ".join(pieces)
    found = windows(text, 0, len(text))
    assert all(a < b for a, b in found)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(found, found[1:], strict=False))
    assert all(text[a:b] == text[a:b].strip() for a, b in found)
    assert "".join(_visible(text[a:b]) for a, b in found) == _visible(text)
