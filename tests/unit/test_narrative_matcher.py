"""The narratives matcher: int8 vectors, name overlap across spellings, candidate features,
the verifier's plain-data round trip, thresholds, one title per match, user cases searched
with the packaged ones, and the packaged model's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from newsaudit.analyzers.narrative_matcher import (
    FEATURES,
    PIECE_DIM,
    CaseInfo,
    Match,
    NarrativeModel,
    QueryGate,
    TitlePieces,
    Verifier,
    best_of,
    candidate_features,
    dequantize,
    names,
    quantize,
    query_texts,
    shared_names,
    unit,
    without_loose_quotes,
    without_source,
)
from newsaudit.errors import ModelError
from newsaudit.models import narratives


def test_int8_rows_keep_cosines() -> None:
    rng = np.random.default_rng(0)
    vectors = unit(rng.normal(size=(50, 384)))
    rows, scale = quantize(vectors)
    assert rows.dtype == np.int8 and scale.dtype == np.float16
    again = unit(dequantize(rows, scale))
    assert np.abs(again @ vectors.T - vectors @ vectors.T).max() < 0.02


def test_names_meet_across_spellings_and_inflections() -> None:
    title = names("Navalny was poisoned with Novichok")
    transliterated = shared_names(names("Nawalny wurde mit Nowitschok vergiftet"), title)
    assert transliterated > 2 * shared_names(names("Merkel wurde mit Lawrow gesehen"), title)
    assert shared_names(names("Skripals Tochter"), names("Skripal")) > 0.5
    assert shared_names(names("ohne Namen hier"), title) == 0.0


def test_candidate_features_rank_best_first() -> None:
    centred = np.array([0.1, 0.9, 0.5, 0.7], dtype=np.float32)
    found = candidate_features(centred, centred, [], [[]] * 4, k=3)
    assert found.rows.tolist() == [1, 3, 2]
    assert found.features.shape == (3, len(FEATURES))
    np.testing.assert_allclose(found.features[:, 1], [0.0, -0.2, -0.4], atol=1e-6)
    assert candidate_features(centred[:0], centred[:0], [], [], k=3).rows.size == 0


def _verifier(weight_on_cosine: float) -> Verifier:
    coef = np.zeros(len(FEATURES), np.float32)
    coef[0] = weight_on_cosine
    return Verifier(
        np.zeros(len(FEATURES), np.float32), np.ones(len(FEATURES), np.float32), coef, 0.0
    )


def test_verifier_round_trips_through_json() -> None:
    verifier = Verifier(
        np.arange(len(FEATURES), dtype=np.float32), np.ones(len(FEATURES), np.float32),
        np.full(len(FEATURES), 0.5, np.float32), -1.0, (2.0, 0.5),
    )  # fmt: skip
    again = Verifier.from_json(verifier.to_json())
    x = np.random.default_rng(1).normal(size=(4, len(FEATURES))).astype(np.float32)
    np.testing.assert_allclose(again.probability(x), verifier.probability(x), rtol=1e-6)
    with pytest.raises(ValueError, match="features"):
        Verifier.from_json({**verifier.to_json(), "features": ["other"]})


def test_a_missing_feature_counts_as_its_training_mean() -> None:
    # A user's case has no stored title pieces: its late-interaction features are NaN.
    verifier = Verifier(
        np.full(len(FEATURES), 0.3, np.float32), np.ones(len(FEATURES), np.float32),
        np.ones(len(FEATURES), np.float32), 0.0,
    )  # fmt: skip
    x = np.full((1, len(FEATURES)), 0.3, np.float32)
    missing = x.copy()
    missing[0, -2:] = np.nan
    assert verifier.logit(missing)[0] == pytest.approx(verifier.logit(x)[0]) == 0.0


def _pieces(rng: np.random.Generator, titles: list[np.ndarray], hidden: int = 8) -> TitlePieces:
    """Title pieces with a projection that keeps the first PIECE_DIM of the 2 * hidden
    dimensions and no centring."""
    projection = np.eye(2 * hidden, PIECE_DIM, dtype=np.float32)
    means = {"en": np.zeros(2 * hidden, np.float32), "de": np.zeros(2 * hidden, np.float32)}
    empty = TitlePieces(projection, means, np.zeros((0, PIECE_DIM), np.int8), np.zeros(1))
    rows = np.concatenate([empty.project(t, "en") for t in titles])
    offsets = np.cumsum([0, *(len(t) for t in titles)])
    return TitlePieces(projection, means, np.round(rows * 127).astype(np.int8), offsets)


def test_late_interaction_is_the_mean_best_piece_cosine_of_the_title() -> None:
    rng = np.random.default_rng(4)
    hidden = 2 * PIECE_DIM
    titles = [rng.normal(size=(3, 4, hidden)), rng.normal(size=(2, 4, hidden))]
    pieces = _pieces(rng, titles, hidden)
    # A sentence that holds the first title's pieces among others: each finds itself.
    sentence = np.concatenate([rng.normal(size=(4, 4, hidden)), titles[0]])
    query = pieces.project(sentence, "de")
    assert pieces.maxsim(query, 0) == pytest.approx(1.0, abs=0.02)
    title = pieces.project(titles[1], "en")
    expected = float((title @ query.T).max(axis=1).mean())
    assert pieces.maxsim(query, 1) == pytest.approx(expected, abs=0.02) and expected < 0.9
    assert np.isnan(pieces.maxsim(query, 2))  # a case beyond the stored ones
    assert np.isnan(pieces.maxsim(query[:0], 0))


def test_late_interaction_features_of_candidates() -> None:
    centred = unit(np.random.default_rng(5).normal(size=(4, 6))) @ np.ones(6) / 6
    late = {0: 0.9, 1: 0.5, 2: float("nan"), 3: 0.7}
    found = candidate_features(centred, centred, [], [[]] * 4, late.__getitem__, k=4)
    column = {name: found.features[:, i] for i, name in enumerate(FEATURES)}
    for j, row in enumerate(found.rows.tolist()):
        if np.isnan(late[row]):
            assert np.isnan(column["maxsim"][j]) and np.isnan(column["maxsim_below_best"][j])
        else:
            assert column["maxsim"][j] == pytest.approx(late[row])
            assert column["maxsim_below_best"][j] == pytest.approx(late[row] - 0.9)


def _tiny_model(threshold: float) -> NarrativeModel:
    rng = np.random.default_rng(2)
    vectors = unit(rng.normal(size=(4, 16)))
    cases = [
        CaseInfo("a", "Claim A"),
        CaseInfo("b", "Claim  A"),  # the same title again, other whitespace
        CaseInfo("c", "Claim C"),
        CaseInfo("d", "Claim D"),
    ]
    means = {"en": np.zeros(16, np.float32), "de": np.zeros(16, np.float32)}
    return NarrativeModel(vectors, cases, means, _verifier(20.0), threshold)


def test_match_applies_the_threshold_and_shows_a_title_once() -> None:
    model = _tiny_model(threshold=0.5)
    query = model.raw[0]
    found = model.match(query, "Claim A", "de")
    assert found and found[0].case.case_id == "a" and found[0].probability >= 0.5
    assert [m.case.title.split() for m in found].count(["Claim", "A"]) == 1
    assert _tiny_model(threshold=1.01).match(query, "Claim A", "de") == []


def test_user_cases_are_searched_with_the_packaged_ones() -> None:
    model = _tiny_model(threshold=0.5)
    extra = unit(np.random.default_rng(3).normal(size=(1, 16)))
    merged = model.with_cases(extra, [CaseInfo("mine:0", "My claim", database="mine")], ["de"])
    found = merged.match(extra[0], "My claim", "de")
    assert found[0].case.database == "mine"
    group, count, _, _ = merged.group_of(found[0].row)
    assert count == 1 and group not in model.groups.tolist()


def test_the_packaged_model_loads_once_and_is_small() -> None:
    assert narratives.load() is narratives.load()
    size = sum((narratives.MODEL_DIR / name).stat().st_size for name in narratives.FILES)
    assert size <= 15 * 2**20
    model = narratives.load()
    assert len(model.cases) > 11_000 and 0.0 < model.threshold < 1.0
    assert model.pieces is not None and model.pieces.cases == len(model.cases)


def test_loading_makes_no_case_or_name_until_one_is_read() -> None:
    # Regression (cold start): the trigram names of all 11,500 titles were made at load.
    model = narratives.read()
    assert not model.entry_names._made and not model.cases._made
    row = int(model.entry_case[5])
    assert model.entry_names[5] == names(model.cases[row].title)
    assert model.cases[row].title == model.cases.records[row]["title"]


def test_a_missing_or_broken_file_is_a_model_error(tmp_path: Path) -> None:
    for name in narratives.FILES[1:]:
        shutil.copy(narratives.MODEL_DIR / name, tmp_path / name)
    with pytest.raises(ModelError, match="missing"):
        narratives.read(tmp_path)
    shutil.copy(narratives.MODEL_DIR / "index.npz", tmp_path / "index.npz")
    (tmp_path / "verifier.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be read"):
        narratives.read(tmp_path)


def test_paragraph_scores_are_the_best_centred_cosine_of_each_paragraph() -> None:
    model = _tiny_model(threshold=0.5)
    scores = model.paragraph_scores(model.raw[[2, 0]], "de")
    np.testing.assert_allclose(scores, [1.0, 1.0], atol=1e-5)
    assert model.paragraph_scores(np.zeros((0, 16), np.float32), "de").shape == (0,)
    assert narratives.load().gate > -1.0  # the packaged model gates paragraphs


def test_paragraph_scores_of_a_long_text_are_made_in_chunks(monkeypatch) -> None:
    # Regression: the gate held every paragraph's cosine to every entry at once (280 MB
    # for the 5,000 windows of a 2 MB text).
    from newsaudit.analyzers import narrative_matcher

    model = _tiny_model(threshold=0.5)
    vectors = np.random.default_rng(3).normal(size=(7, 16)).astype(np.float32)
    whole = model.paragraph_scores(vectors, "de")
    monkeypatch.setattr(narrative_matcher, "GATE_CHUNK", 3)
    np.testing.assert_allclose(model.paragraph_scores(vectors, "de"), whole, rtol=1e-6)
    assert whole.shape == (7,)


def _gate(threshold: float, facts: np.ndarray) -> QueryGate:
    # margin weighs alone: a sentence closer to a fact than to its best case is gated out
    return QueryGate(
        facts=facts, probe=np.zeros(16, np.float32), probe_intercept=0.0,
        mean=np.zeros(3, np.float32), scale=np.ones(3, np.float32),
        coef=np.array([50.0, 0.0, 0.0], np.float32), intercept=0.0, threshold=threshold,
    )  # fmt: skip


def test_the_query_gate_hides_a_sentence_closer_to_a_fact() -> None:
    base = _tiny_model(threshold=0.5)
    fact = unit(np.random.default_rng(5).normal(size=(1, 16)))
    gated = NarrativeModel(
        base.raw, base.cases, base.means, base.verifier, 0.5, query_gate=_gate(0.5, fact)
    )
    assert gated.match(base.raw[0], "Claim A", "de")  # the case itself: its best cosine is 1
    assert gated.match(fact[0], "a fact", "de") == []
    assert gated.gate_probability(fact[0], "de", gated.candidates(fact[0], "x", "de")) < 0.5


def test_at_most_max_shown_cases_per_sentence() -> None:
    base = _tiny_model(threshold=0.0)
    capped = NarrativeModel(base.raw, base.cases, base.means, base.verifier, 0.0, max_shown=2)
    assert len(base.match(base.raw[0], "Claim A", "de")) == 3  # four cases, two share a title
    assert len(capped.match(base.raw[0], "Claim A", "de")) == 2


def test_the_query_gate_round_trips_through_json() -> None:
    facts = unit(np.random.default_rng(6).normal(size=(3, 16)))
    gate = _gate(0.4, facts)
    again = QueryGate.from_json(gate.to_json(), facts)
    x = np.array([[0.1, -1.0, 0.5]], np.float32)
    np.testing.assert_allclose(again.probability(x), gate.probability(x), rtol=1e-6)
    assert again.threshold == 0.4
    with pytest.raises(ValueError, match="features"):
        QueryGate.from_json({**gate.to_json(), "features": ["other"]}, facts)


def test_the_packaged_model_gates_queries_with_its_fact_bank() -> None:
    model = narratives.load()
    assert model.query_gate is not None and len(model.query_gate.facts) > 2000
    assert 0.0 < model.query_gate.threshold < 1.0 and model.max_shown == 3


def test_a_framed_and_hedged_claim_is_also_queried_bare() -> None:
    text = (
        "Der Bericht ist ein Beweis, dass die Regierung, die angeblich frei gewählt wurde, "
        "in Wirklichkeit vom Ausland gesteuert wird."
    )
    # The hedged relative clause is what the writer denies: it goes whole (without the
    # hedge alone it would assert "die frei gewählt wurde").
    assert query_texts(text) == [text, "die Regierung vom Ausland gesteuert wird."]
    hedged = "Die Wahl wurde in Wahrheit schon Wochen vorher in Moskau entschieden."
    assert query_texts(hedged) == [
        hedged,
        "Die Wahl wurde schon Wochen vorher in Moskau entschieden.",
    ]


def test_a_passage_without_frame_or_hedge_is_queried_as_written() -> None:
    for text in (
        "Die NATO bereitet einen Angriff auf Russland vor.",
        "Dass die Gespräche nicht vorankommen, liegt allein an der Regierung in Kiew.",
        "Er sagte, dass es regnet.",  # a clause too short to stand alone
    ):
        assert query_texts(text) == [text]


def test_the_attribution_of_a_claim_is_not_queried() -> None:
    # test5 (blind): the writers put who holds a claim before or after it.
    for said, claim in (
        (
            "Schwule Männer und Frauen werden in Russland nicht verfolgt, heißt es im Kreml.",
            "Schwule Männer und Frauen werden in Russland nicht verfolgt.",
        ),
        (
            "Die Sowjetunion trägt keine Schuld am Zweiten Weltkrieg, betonte ein Sprecher des "
            "russischen Außenministeriums in Moskau vor Journalisten.",
            "Die Sowjetunion trägt keine Schuld am Zweiten Weltkrieg.",
        ),
        (
            "Die NATO plant einen Angriff auf Weißrussland, wie die Agentur Belta meldete!",
            "Die NATO plant einen Angriff auf Weißrussland!",
        ),
        (
            "Wie der Kreml nicht müde wird zu betonen, steht auf ukrainischem Gebiet kein "
            "einziger russischer Soldat.",
            "steht auf ukrainischem Gebiet kein einziger russischer Soldat.",
        ),
    ):
        assert without_source(said) == claim
        assert query_texts(said) == [claim]
    # Too little would remain, or the last clause is no attribution.
    for text in (
        "Das ist falsch, sagt er.",
        "Die Impfung ist gefährlich, obwohl die Behörden sie empfehlen.",
    ):
        assert without_source(text) == text
    said = "Die Wahl war gefälscht, heißt es in Moskau."
    assert query_texts(said) == ["Die Wahl war gefälscht, heißt es in Moskau."]


def test_what_follows_a_framing_colon_is_queried_bare() -> None:
    text = (
        "Die Fahndungsfotos sind eine Farce: Bei den beiden Männern handelt es sich in "
        "Wirklichkeit um Schauspieler, berichtet ein Staatssender."
    )
    assert query_texts(text) == [
        "Die Fahndungsfotos sind eine Farce: Bei den beiden Männern handelt es sich in "
        "Wirklichkeit um Schauspieler.",
        "Bei den beiden Männern handelt es sich um Schauspieler.",
    ]
    # An interview's speaker label frames no claim.
    answer = "Spahn: Ich bin seit über zwanzig Jahren politisch aktiv."
    assert query_texts(answer) == [answer]


def test_best_of_keeps_each_case_at_its_most_probable_query() -> None:
    a, a_again, c = CaseInfo("a", "Claim A"), CaseInfo("b", "Claim  A"), CaseInfo("c", "Claim C")
    found = best_of(
        [
            [Match(0, a, 0.5, 0.3), Match(2, c, 0.4, 0.2)],
            [Match(2, c, 0.6, 0.9), Match(1, a_again, 0.5, 0.25)],
        ],
        limit=3,
    )
    assert [(m.case.case_id, m.probability) for m in found] == [("c", 0.9), ("a", 0.3)]
    assert len(best_of([[Match(0, a, 0.5, 0.3), Match(2, c, 0.4, 0.2)]], limit=1)) == 1


def test_a_clause_cut_out_of_a_quotation_keeps_no_loose_quotation_mark() -> None:
    quoted = (
        "Der Sprecher nannte das „ein Zeichen, dass die Regierung, die angeblich frei "
        "gewählt wurde, in Wahrheit vom Ausland gesteuert wird“."
    )
    assert query_texts(quoted)[1] == "die Regierung vom Ausland gesteuert wird."
    assert without_loose_quotes("Sie nennt das eine „Filtration der Nation“.") == (
        "Sie nennt das eine „Filtration der Nation“."
    )
    assert without_loose_quotes("„Die Wahl ist gefälscht.") == "Die Wahl ist gefälscht."


def test_candidates_of_several_texts_equal_each_text_alone() -> None:
    model = _tiny_model(threshold=0.1)
    rng = np.random.default_rng(3)
    vectors = [model.raw[0] + 0.1 * rng.standard_normal(model.raw.shape[1]) for _ in range(3)]
    texts = ["Claim A", "ein Satz", "Claim C hier"]
    together = model.candidates_of(vectors, texts, "de")
    for vector, text, found in zip(vectors, texts, together, strict=True):
        alone = model.candidates(vector, text, "de")
        assert found.rows.tolist() == alone.rows.tolist()
        np.testing.assert_allclose(found.features, alone.features, atol=1e-5)
    assert model.match_of(vectors, texts, "de") == [
        model.match(v, t, "de") for v, t in zip(vectors, texts, strict=True)
    ]
