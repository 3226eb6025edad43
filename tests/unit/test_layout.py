from hypothesis import given
from hypothesis import strategies as st

from newsaudit.ingest.layout import parse_layout, parse_tag_line


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
