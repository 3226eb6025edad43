"""Training the narratives gate on the queries the analyzer makes: a sentence's queries
share its id, and the sentence shows each title by its most probable query."""

from __future__ import annotations

import pytest

from newsaudit.benchmarks.narratives import GoldQuery
from newsaudit.train.narrative_gate import by_sentence
from newsaudit.train.narratives import query_forms


def test_a_sentence_is_scored_by_the_best_of_its_queries() -> None:
    right = GoldQuery("q1", "as written", "a", ("Claim A",))
    negative = GoldQuery("q2", "a fact")
    gold, predicted = by_sentence(
        [right, right, negative],
        [[("Claim B", 0.4)], [("Claim A", 0.9), ("claim b", 0.2)], []],
        limit=3,
    )
    assert gold == [("q1", ("Claim A",)), ("q2", ())]
    assert predicted == {"q1": ["Claim A", "Claim B"], "q2": []}
    _, one = by_sentence([right, right], [[("Claim B", 0.4)], [("Claim A", 0.9)]], limit=1)
    assert one == {"q1": ["Claim A"]}


def test_each_training_sentence_gets_the_queries_of_the_analyzer() -> None:
    framed = GoldQuery(
        "t1",
        "Das Video ist ein Beleg, dass die Regierung in Kiew in Wahrheit von Washington "
        "gesteuert wird, heißt es in Moskau.",
        "c",
        ("Kyiv is controlled by Washington",),
    )
    plain = GoldQuery("t2", "Die Regierung hat am Montag den Haushalt beschlossen.")
    forms, owner = query_forms([framed, plain])
    assert [f.text for f in forms] == [
        "Das Video ist ein Beleg, dass die Regierung in Kiew in Wahrheit von Washington "
        "gesteuert wird.",
        "die Regierung in Kiew von Washington gesteuert wird.",
        "Die Regierung hat am Montag den Haushalt beschlossen.",
    ]
    assert owner.tolist() == [0, 0, 1]
    assert {f.query_id for f in forms[:2]} == {"t1"} and forms[1].titles == framed.titles


def test_training_must_not_paraphrase_a_case_of_a_held_out_set(tmp_path) -> None:
    from newsaudit.train.narratives import check_held_out

    header = "query_id\ttext\tcase_id\ttitle\n"
    (tmp_path / "dev.tsv").write_text(
        header + "dev-1\tDie NATO plant einen Angriff.\tnato\tNATO plans an attack\n", "utf-8"
    )
    (tmp_path / "test6.tsv").write_text(
        header + "t6-1\tKiew wird von Washington gesteuert.\tkyiv\tKyiv is run by the US\n",
        "utf-8",
    )
    clean = [GoldQuery("tr-1", "Die EU zerfällt bald.", "eu", ("The EU will collapse",))]
    check_held_out(clean, tmp_path)
    shared = [GoldQuery("tr-2", "Die USA lenken Kiew.", "kyiv", ("kyiv is run by the US",))]
    with pytest.raises(ValueError, match="tr-2"):
        check_held_out(shared, tmp_path)
