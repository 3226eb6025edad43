"""Training the narratives gate on the queries the analyzer makes: a sentence's queries
share its id, and the sentence shows each title by its most probable query."""

from __future__ import annotations

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
