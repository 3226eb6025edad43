"""The learned comparison: its packaged model, its kinds, and the perturbations it is
trained on."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsaudit.compare.changes.learned import FEATURES, SOFT_CLASSES, Row, _kind
from newsaudit.errors import ModelError
from newsaudit.models.compare import load, read
from newsaudit.train.compare_perturb import Aligned, perturb

PAIR = {
    "id": "p01",
    "kind": "faithful",
    "source_language": "en",
    "source": (
        'Harbour master Ines Varga said: "If the storm passes, the ferry will sail at 9. '
        'Some 40 cars are booked."'
    ),
    "article": (
        "Wenn der Sturm vorüberzieht, legt die Fähre um 9 Uhr ab, sagte Hafenmeisterin Ines "
        "Varga. Gebucht seien vielleicht 40 Autos, es gebe aber nicht genug Personal."
    ),
    "distorted": [],
}
ALIGNED = [Aligned((0, 89), (33, 79), "Hafenmeisterin Ines Varga")]


def test_the_packaged_model_reads_the_features_of_the_code() -> None:
    model = load()
    assert model.features == FEATURES
    assert set(model.directions) == set(SOFT_CLASSES)
    assert {len(d) for d in model.directions.values()} == {384}
    assert 0 < model.accept < 1 and 0 < model.unmatched < 1


def test_a_missing_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="newsaudit train compare"):
        read(tmp_path / "model.json")


def test_the_kind_of_a_learned_finding_is_the_kind_its_evidence_raises_most() -> None:
    values = [0.0] * len(FEATURES)
    values[FEATURES.index("other_speaker")] = 1.0
    row = Row(alignment=None, accepted=True, values=values, evidence={})  # type: ignore[arg-type]
    assert _kind(load(), row) == "misattribution"


def test_perturbations_are_deterministic_and_mark_their_words() -> None:
    made = perturb(PAIR, ALIGNED, ["die Fähre sei zu alt"], seed=13)
    assert made == perturb(PAIR, ALIGNED, ["die Fähre sei zu alt"], seed=13)
    kinds = {m.kind for m in made}
    assert {"condition_dropped", "hedge_strengthened", "misattribution"} <= kinds
    for m in made:
        assert m.article != PAIR["article"] or m.source != PAIR["source"]
        assert m.article.count(m.distorted[0]) == 1, m
