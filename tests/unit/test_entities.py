"""Entity clusters (hand-made mentions) and the packaged NER model on hand-written text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.analyzers.clusters import cluster_entities, name_tokens, tokens_match
from newsaudit.analyzers.entities import EntityAnalyzer, tag_sentences
from newsaudit.api import analyze
from newsaudit.pipeline import Pipeline
from newsaudit.report.model import Entity


def _mentions(text: str, labelled: list[tuple[str, str]]) -> list[Entity]:
    """Entities for each (surface, label), found left to right in ``text``."""
    out, pos = [], 0
    for surface, label in labelled:
        m = re.compile(re.escape(surface)).search(text, pos)
        assert m, surface
        out.append(Entity(start=m.start(), end=m.end(), text=surface, label=label))
        pos = m.end()
    return out


TEXT = (
    "Kirby sprach. John Kirby drohte Russland. Kirbys Worte empörten Igor Konashenkov. "
    "Konaschenkow sagte, Russland werde reagieren. Russlands Armee blieb in Aleppo. "
    "Kirby Street liegt in London."
)


def _clusters() -> tuple[list[Entity], dict[str, list[str]]]:
    entities = _mentions(
        TEXT,
        [
            ("Kirby", "PER"),
            ("John Kirby", "PER"),
            ("Russland", "LOC"),
            ("Kirbys", "PER"),
            ("Igor Konashenkov", "PER"),
            ("Konaschenkow", "PER"),
            ("Russland", "LOC"),
            ("Russlands", "LOC"),
            ("Aleppo", "LOC"),
            ("Kirby", "LOC"),
            ("London", "LOC"),
        ],
    )
    clusters = cluster_entities(entities)
    by_canonical = {c.canonical: [m.text for m in c.mentions] for c in clusters}
    return entities, by_canonical


def test_kirby_mentions_form_one_cluster_named_john_kirby() -> None:
    _, by_canonical = _clusters()
    assert by_canonical["John Kirby"] == ["Kirby", "John Kirby", "Kirbys"]


def test_transliteration_variants_merge() -> None:
    _, by_canonical = _clusters()
    assert by_canonical["Igor Konashenkov"] == ["Igor Konashenkov", "Konaschenkow"]


def test_genitive_merges_and_canonical_is_bare_form() -> None:
    _, by_canonical = _clusters()
    assert by_canonical["Russland"] == ["Russland", "Russland", "Russlands"]


def test_cluster_never_mixes_labels() -> None:
    entities, _ = _clusters()
    clusters = cluster_entities(entities)
    for cluster in clusters:
        labels = {e.label for e in entities if e.cluster == cluster.id}
        assert labels == {cluster.label}
    kirby_loc = next(e for e in entities if e.label == "LOC" and e.text == "Kirby")
    kirby_per = next(e for e in entities if e.label == "PER" and e.text == "Kirby")
    assert kirby_loc.cluster != kirby_per.cluster


def test_every_mention_is_in_exactly_one_cluster() -> None:
    entities, _ = _clusters()
    clusters = cluster_entities(entities)
    assert sum(len(c.mentions) for c in clusters) == len(entities)
    assert all(e.cluster for e in entities)


def test_short_or_dissimilar_names_do_not_merge() -> None:
    assert not tokens_match("müller", "möller")
    assert not tokens_match("kirby", "kirk")
    assert not tokens_match("bundesregierung", "landesregierung")
    assert tokens_match("konashenkov", "konaschenkow")


GERMAN = (
    "Bundeskanzlerin Angela Merkel traf am Montag in Berlin den französischen Präsidenten "
    "Emmanuel Macron. Merkel und Macron sprachen über die Europäische Union und die "
    "Lage in der Ukraine. Danach reiste Macron nach Paris zurück."
)


@pytest.mark.slow
def test_packaged_model_finds_names_with_exact_offsets() -> None:
    report = analyze(GERMAN, pipeline=Pipeline([EntityAnalyzer()]))
    assert report.language == "de"
    found = {(e.text, e.label) for e in report.entities}
    assert {("Angela Merkel", "PER"), ("Berlin", "LOC"), ("Paris", "LOC")} <= found
    for entity in report.entities:
        assert report.text[entity.start : entity.end] == entity.text
    for cluster in report.entity_clusters:
        for mention in cluster.mentions:
            assert report.text[mention.start : mention.end] == mention.text
    merkel = next(c for c in report.entity_clusters if c.canonical == "Angela Merkel")
    assert [m.text for m in merkel.mentions] == ["Angela Merkel", "Merkel"]


@pytest.mark.slow
def test_english_is_reported_unsupported_without_entities() -> None:
    text = (
        "The president met the prime minister in Washington on Monday. They talked about "
        "trade, security and the war, and they agreed to meet again next month in London."
    )
    report = analyze(text, pipeline=Pipeline([EntityAnalyzer()]))
    assert report.language == "en"
    assert report.entities == []
    info = next(a for a in report.analyzers if a.name == "entities")
    assert info.status == "skipped"


@pytest.mark.slow
def test_tag_sentences_keeps_given_tokens() -> None:
    tokens = [["Olaf", "Scholz", "war", "in", "Hamburg", "."], ["Danke", "!"]]
    tags = tag_sentences(tokens)
    assert [len(t) for t in tags] == [6, 2]
    assert tags[0][:2] == ["B-PER", "I-PER"]
    assert tags[0][4] == "B-LOC"


def test_propagate_adds_untagged_repeats_of_tagged_names() -> None:
    from newsaudit.analyzers.base import Context
    from newsaudit.analyzers.entities import propagate, tokens_by_sentence
    from newsaudit.ingest import document_from_text
    from newsaudit.nlp.tokens import build_text_layer

    text = (
        "Generalmajor Igor Konashenkov sprach am Morgen vor der Presse in Moskau. "
        "Konashenkov sagte, der Sprecher Kirby habe Kirbys eigene Pläne gelobt. "
        "Die kirby-Fans und Aleppo blieben unerwähnt."
    )
    document = document_from_text(text)
    context = Context(document, build_text_layer(document))
    tagged = _mentions(document.text, [("Igor Konashenkov", "PER"), ("Kirby", "PER")])
    result = propagate(tagged, tokens_by_sentence(context), document.text)
    assert [(e.text, e.label) for e in result] == [
        ("Igor Konashenkov", "PER"),
        ("Konashenkov", "PER"),
        ("Kirby", "PER"),
        ("Kirbys", "PER"),
    ]
    for entity in result:
        assert document.text[entity.start : entity.end] == entity.text


def _accepts(group: tuple[str, list[str]], label: str, tokens: list[str]) -> bool:
    group_label, group_tokens = group
    if label != group_label or not tokens:
        return False
    if len(tokens) == len(group_tokens):
        return all(tokens_match(a, b) for a, b in zip(tokens, group_tokens, strict=True))
    if label != "PER" or len(tokens) > len(group_tokens):
        return False
    rest = iter(group_tokens)  # every token matches a distinct later token, in order
    return all(any(tokens_match(token, other) for other in rest) for token in tokens)


def _clusters_by_scanning_every_group(entities: list[Entity]) -> list[list[int]]:
    """The clustering rule stated plainly: each mention joins the first group accepting it."""
    order = sorted(
        range(len(entities)), key=lambda i: (-len(name_tokens(entities[i].text)), entities[i].start)
    )
    groups: list[tuple[tuple[str, list[str]], list[int]]] = []
    for i in order:
        tokens = name_tokens(entities[i].text)
        found = next((g for g in groups if _accepts(g[0], entities[i].label, tokens)), None)
        if found is None:
            found = ((entities[i].label, tokens), [])
            groups.append(found)
        found[1].append(i)
    return sorted(sorted(members) for _, members in groups)


_NAMES = (
    "John Kirby",
    "Kirby",
    "Kirbys",
    "Igor Konashenkov",
    "Konaschenkow",
    "Konashenkov",
    "Moskau",
    "Moskaus",
    "Anna Berger",
    "Berger",
    "Anna",
    "Max Roth",
    "Roth",
    "Bergers",
    "Kiew",
    "Kyiv",
    "Department of State",
    "State",
    ".",
    "Karl Kirby",
)


@given(
    st.lists(
        st.tuples(st.sampled_from(_NAMES), st.sampled_from(("PER", "LOC", "ORG"))), max_size=60
    )
)
def test_indexed_clustering_equals_scanning_every_group(mentions: list[tuple[str, str]]) -> None:
    entities, text = [], ""
    for name, label in mentions:
        entities.append(Entity(start=len(text), end=len(text) + len(name), text=name, label=label))
        text += name + " "
    expected = _clusters_by_scanning_every_group(entities)
    clusters = cluster_entities(entities)
    found = sorted(sorted(i for i, e in enumerate(entities) if e.cluster == c.id) for c in clusters)
    assert found == expected
