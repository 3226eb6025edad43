"""Training the narratives query gate (``narrative_matcher.QueryGate``): its fact bank, the
claim-likeness probe, the cross-fitted gate regression and the thresholds.

1. Fact bank: factual sentences a disinformation case is not. One seeded sentence of each
   EUvsDisinfo disproof (50-260 characters, no link, not "No evidence given"), German
   everyday news (sentences of FANG-COVID's training outlets tagesspiegel.de and zeit.de,
   other articles than those of the verifier's negatives) and the training set's hard
   negatives; each centred by its language's mean.
2. Claim-likeness probe: a logistic regression on centred e5 vectors, 3,000 seeded case
   titles and the training paraphrases against the fact bank.
3. Gate: a logistic regression over ``GATE_FEATURES`` of the training queries, cross-fitted
   (each fold's features come from a verifier and a probe trained without the fold, and
   a fact bank without the fold's own negatives), plus held-out news sentences as
   negatives; it is the gate's calibration (probabilities on train, out of fold).
4. Thresholds on dev only: of the (verifier, gate) threshold pairs whose dev false-match
   rate is at most the target, the one with the best dev success@5, the higher gate
   threshold on a tie (precision first).
Deterministic: seeded folds and samples, liblinear.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from newsaudit.analyzers.narrative_matcher import (
    GATE_FEATURES,
    QueryGate,
    Verifier,
    best_of,
    unit,
)
from newsaudit.benchmarks.metrics import match_scores
from newsaudit.benchmarks.narratives import collapse

FOLDS = 5
PROBE_TITLES = 3000
MAX_SHOWN = 3
GATE_THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.951, 0.05))
VERIFIER_THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
# The gates the card compares on dev: columns of GATE_FEATURES.
DESIGNS = {
    "gate: best_logit": [1],
    "gate: margin + best_logit": [0, 1],
    "gate: margin + claim_likeness": [0, 2],
    "gate: margin + best_logit + claim_likeness (shipped)": [0, 1, 2],
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def disproof_sentences(disproofs: Sequence[str], seed: int) -> list[str]:
    """One seeded sentence of each disproof that states a fact (no link, no "No evidence
    given", 50-260 characters), without repeats."""
    rng = random.Random(seed)
    out = []
    for text in disproofs:
        parts = [
            s
            for s in _SENTENCE.split(collapse(text))
            if 50 <= len(s) <= 260 and "http" not in s and "evidence" not in s.lower()
        ]
        if parts:
            out.append(rng.choice(parts))
    return list(dict.fromkeys(out))


@dataclass
class Query:
    """One training or dev sentence: its centred vector, candidates, candidate labels and
    whether it paraphrases a case."""

    centred: np.ndarray
    found: object  # narrative_matcher.Candidates
    labels: np.ndarray
    positive: bool


def fit_probe(claims: np.ndarray, facts: np.ndarray, seed: int) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([claims, facts])
    y = np.r_[np.ones(len(claims)), np.zeros(len(facts))]
    lr = LogisticRegression(
        C=1.0, max_iter=3000, solver="liblinear", random_state=seed, class_weight="balanced"
    )
    lr.fit(x, y)
    return lr.coef_[0].astype(np.float32), float(lr.intercept_[0])


_IDENTITY = (
    np.zeros(len(GATE_FEATURES), np.float32),
    np.ones(len(GATE_FEATURES), np.float32),
    np.zeros(len(GATE_FEATURES), np.float32),
    0.0,
)


def gate_features(
    centred: np.ndarray, found, verifier: Verifier, facts: np.ndarray, probe
) -> np.ndarray:
    """A sentence's ``GATE_FEATURES`` as the shipped gate computes them."""
    gate = QueryGate(facts, probe[0], probe[1], *_IDENTITY, threshold=0.0)
    return gate.features(
        centred, float(found.features[0, 0]), float(verifier.logit(found.features).max())
    )


def folds_of(n: int, seed: int) -> np.ndarray:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    folds = np.empty(n, dtype=int)
    folds[order] = np.arange(n) % FOLDS
    return folds


def cross_fitted_features(
    train: Sequence[Query],
    folds: np.ndarray,
    fit_verifier: Callable[[list[int]], Verifier],
    facts: np.ndarray,
    fact_owner: np.ndarray,
    titles: np.ndarray,
    seed: int,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each training query's gate features and candidate logits from a verifier, a probe
    and a fact bank that never saw its fold (``folds``: each query's, the fold of its
    sentence; ``fact_owner``: the training query a bank row is, -1 for the others)."""
    features = np.zeros((len(train), len(GATE_FEATURES)), np.float32)
    logits: list[np.ndarray] = [np.zeros(0)] * len(train)
    for k in range(FOLDS):
        inside = [i for i in range(len(train)) if folds[i] != k]
        verifier = fit_verifier(inside)
        bank = facts[np.array([o < 0 or folds[o] != k for o in fact_owner])]
        claims = np.vstack([titles, *[train[i].centred[None] for i in inside if train[i].positive]])
        probe = fit_probe(claims, bank, seed)
        for i in range(len(train)):
            if folds[i] == k:
                features[i] = gate_features(train[i].centred, train[i].found, verifier, bank, probe)
                logits[i] = verifier.logit(train[i].found.features)
    return features, logits


def fit_gate(
    features: np.ndarray, labels: np.ndarray, facts: np.ndarray, probe, seed: int
) -> QueryGate:
    from sklearn.linear_model import LogisticRegression

    mean, scale = features.mean(axis=0), features.std(axis=0) + 1e-6
    lr = LogisticRegression(C=1.0, solver="liblinear", random_state=seed)
    lr.fit((features - mean) / scale, labels)
    return QueryGate(
        facts, probe[0], probe[1], mean.astype(np.float32), scale.astype(np.float32),
        lr.coef_[0].astype(np.float32), float(lr.intercept_[0]), threshold=0.5,
    )  # fmt: skip


def shown(model, found, probabilities: np.ndarray, threshold: float, limit: int):
    """The (title, probability) pairs a query shows: candidates at or over ``threshold``,
    most probable first, a title once, at most ``limit``."""
    out, seen = [], set()
    for j in np.argsort(-probabilities, kind="stable"):
        if probabilities[j] < threshold or len(out) == limit:
            break
        title = collapse(model.cases[int(model.entry_case[found.rows[j]])].title)
        if title.casefold() not in seen:
            seen.add(title.casefold())
            out.append((title, float(probabilities[j])))
    return out


def by_sentence(gold, shown_per_query, limit: int) -> tuple[list, dict[str, list[str]]]:
    """The titles each sentence shows from what its queries (``narrative_matcher.
    query_texts``, one ``gold`` row each, sharing the sentence's query_id) show, as
    ``narrative_matcher.best_of`` combines them in the analyzer; and the sentences' gold for
    ``match_scores``."""
    found: dict[str, list] = {}
    sentences: dict[str, tuple[str, ...]] = {}
    for q, pairs in zip(gold, shown_per_query, strict=True):
        sentences.setdefault(q.query_id, q.titles)
        found.setdefault(q.query_id, []).append(pairs)
    predicted = {
        qid: [t for t, _ in best_of(pairs, limit, itemgetter(0), itemgetter(1))]
        for qid, pairs in found.items()
    }
    return list(sentences.items()), predicted


def gated_scores(model, gold, queries, verifier_p, gate_p, tv, tg, limit=MAX_SHOWN):
    """success@k and false-match rate of the sentences of ``gold`` (one row per query of a
    sentence) when a query shows matches only with a gate probability of at least ``tg``."""
    shown_per_query = [
        shown(model, query.found, verifier_p[i], tv, limit) if gate_p[i] >= tg else []
        for i, query in enumerate(queries)
    ]
    return match_scores(*by_sentence(gold, shown_per_query, limit))


def choose_thresholds(model, gold, queries, verifier_p, gate_p, max_false: float):
    """The (verifier, gate) thresholds with the best success@5 at a false-match rate of
    at most ``max_false``; ties go to the higher gate, then verifier, threshold."""
    sweep = {
        (tv, tg): gated_scores(model, gold, queries, verifier_p, gate_p, tv, tg)
        for tv in VERIFIER_THRESHOLDS
        for tg in GATE_THRESHOLDS
    }
    allowed = [k for k, s in sweep.items() if s.false_match_rate <= max_false]
    if not allowed:
        best = max(sweep, key=lambda k: (-sweep[k].false_match_rate, k[1], k[0]))
    else:
        best = max(allowed, key=lambda k: (sweep[k].success_at_5, k[1], k[0]))
    return best, sweep[best]


def centred_rows(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    return unit(unit(vectors) - mean)


def subset_probabilities(
    train_x: np.ndarray, train_y: np.ndarray, other_x: np.ndarray, columns, seed: int
) -> np.ndarray:
    """A gate over some of the features (the designs the card compares)."""
    from sklearn.linear_model import LogisticRegression

    x = train_x[:, columns]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    lr = LogisticRegression(C=1.0, solver="liblinear", random_state=seed)
    lr.fit((x - mean) / scale, train_y)
    return lr.predict_proba((other_x[:, columns] - mean) / scale)[:, 1]
