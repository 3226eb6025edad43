"""Train the learned comparison (``compare.changes.learned``): a logistic regression over
the evidence of each article unit against its source passage.

Data: the hand-written pairs of the seen parts (TRAIN_PARTS) and distortions made from
their faithful pairs by program (``train.compare_perturb``). A unit is positive when its
sentence holds distorted words. The thresholds are chosen on out-of-fold probabilities
(folds by pair): the lowest that keeps the learned findings' false alarms on the seen
faithful pairs at ``MAX_FALSE_ALARMS``. VALIDATION_PARTS are never trained or tuned on;
they are scored with the whole comparison (rules and model) for the card.
Deterministic for a seed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newsaudit.compare.align import Alignment
from newsaudit.compare.changes import Change, article_view, detect_changes, learned
from newsaudit.compare.changes.base import ArticleView
from newsaudit.compare.comparison import aligned
from newsaudit.compare.evaluate import FIXTURES, read_pairs, score_pairs
from newsaudit.models.compare import MODEL_DIR, MODEL_FILE, load
from newsaudit.train.compare_perturb import Aligned, perturb

TRAIN_PARTS = ("dev", "dev2", "test", "test2", "test3", "test4", "test5")
# Seen (its misses were diagnosed and the rules fixed on it) but never trained on: it
# says how the model carries over to pairs it did not fit.
VALIDATION_PARTS = ("test6",)
SEED = 13
C = 0.5
FOLDS = 5
# At 5% a model fitted on this round's rules (before their last fixes) alarmed 2 of dev2's
# 23 faithful paraphrases (seen, trained on); at 3% none.
MAX_FALSE_ALARMS = 0.03
GRID = tuple(round(x, 2) for x in np.arange(0.3, 0.99, 0.02))


@dataclass
class Sample:
    pair: str
    kind: str
    values: list[float]
    label: bool
    accepted: bool
    taken: bool  # the rules found a change in this unit's sentence
    rules_hit: bool  # the rules' findings already detect the pair


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Prepared:
    """A pair aligned, with the rules' findings and the gold spans in the article text."""

    pair: dict
    view: ArticleView
    alignments: list[Alignment]
    unmatched: list[Alignment]
    rules: list[Change]
    gold: list[tuple[int, int]]


def prepare(pair: dict) -> Prepared:
    report, alignments, unmatched = aligned(pair["article"], [pair["source"]])
    text = report.text
    gold = [(text.find(w), text.find(w) + len(w)) for w in pair["distorted"] if w in text]
    rules = detect_changes(report, alignments, unmatched, learn=False)
    return Prepared(pair, article_view(report, alignments), alignments, unmatched, rules, gold)


def samples(prep: Prepared, directions: dict[str, np.ndarray]) -> list[Sample]:
    """The pair's rows: each unit's features, labelled by its sentence holding gold words."""
    pair, rules, gold = prep.pair, prep.rules, prep.gold
    rules_hit = any(_overlaps(c.article, g) for c in rules for g in gold)
    out = []
    for row in learned.rows(prep.view, prep.alignments, prep.unmatched, directions):
        unit = row.alignment.unit
        sentence = (unit.sentence_start, unit.sentence_end)
        taken = any(
            _overlaps(sentence, (c.alignment.unit.sentence_start, c.alignment.unit.sentence_end))
            for c in rules
        )
        label = any(_overlaps(sentence, g) for g in gold)
        out.append(
            Sample(pair["id"], pair["kind"], row.values, label, row.accepted, taken, rules_hit)
        )
    return out


def perturbable(prep: Prepared) -> tuple[list[Aligned], list[str]]:
    """What perturbations of a faithful pair need: its aligned sentences, and the indirect
    statements of its units (to put in another pair's speaker's mouth)."""
    pair, text = prep.pair, prep.view.text
    info: list[Aligned] = []
    statements: list[str] = []
    if text != pair["article"] or not prep.alignments:
        return info, statements
    if prep.alignments[0].source.text != pair["source"]:
        return info, statements
    for a in prep.alignments:
        sentence = a.source.sentences[a.sentences[0]]
        info.append(
            Aligned(
                (a.unit.sentence_start, a.unit.sentence_end),
                (sentence.start, sentence.end),
                a.unit.designation or a.unit.speaker,
            )
        )
        words = text[a.unit.start : a.unit.end]
        if not a.unit.direct and len(words.split()) >= 4:
            statements.append(words[0].lower() + words[1:])
    return info, statements


def directions(prepared: list[Prepared]) -> dict[str, np.ndarray]:
    """Per soft class: the unit-length difference between the mean word state of its
    listed words and the mean state of all words, over every passage of the pairs."""
    total = None
    count = 0
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, int] = dict.fromkeys(learned.SOFT_CLASSES, 0)
    for prep in prepared:
        passages = [(a.passage, prep.view.text) for a in prep.alignments + prep.unmatched]
        sources = {id(a.source): a.source for a in prep.alignments + prep.unmatched}
        passages += [(p, s.text) for s in sources.values() for p in s.passages]
        for passage, text in passages:
            if not passage.tokens:
                continue
            states = passage.states
            total = states.sum(axis=0) if total is None else total + states.sum(axis=0)
            count += len(states)
            for name, found in learned.class_positions(passage.tokens, text).items():
                if found:
                    sums[name] = sums.get(name, 0) + states[found].sum(axis=0)
                    counts[name] += len(found)
    mean = total / max(1, count)
    out = {}
    for name in learned.SOFT_CLASSES:
        d = sums[name] / max(1, counts[name]) - mean
        out[name] = (d / max(np.linalg.norm(d), 1e-9)).astype(np.float32)
    return out


def collect(
    parts: tuple[str, ...], seed: int, fixtures: Path
) -> tuple[list[Sample], dict[str, np.ndarray]]:
    """Rows of the parts' pairs and of their faithful pairs' perturbations, and the soft
    classes' directions fitted on them."""
    pairs = [p for part in parts for p in read_pairs(fixtures / f"{part}.json")]
    prepared = [prepare(pair) for pair in pairs]
    faithful = [p for p in prepared if p.pair["kind"] == "faithful"]
    needs = {p.pair["id"]: perturbable(p) for p in faithful}
    for prep in faithful:
        info = needs[prep.pair["id"]][0]
        others = [
            s for pid, (_, said) in sorted(needs.items()) if pid != prep.pair["id"] for s in said
        ]
        for n, made in enumerate(perturb(prep.pair, info, others, seed)):
            synthetic = {
                "id": f"{prep.pair['id']}-p{n}",
                "kind": made.kind,
                "source_language": prep.pair["source_language"],
                "source": made.source,
                "article": made.article,
                "distorted": made.distorted,
            }
            prepared.append(prepare(synthetic))
    found = directions(prepared)
    return [r for prep in prepared for r in samples(prep, found)], found


def _fit(x: np.ndarray, y: np.ndarray, seed: int):
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed)
    # the "bias" feature is the intercept
    return model.fit(x[:, 1:], y)


def _coef(model) -> list[float]:
    return [float(model.intercept_[0]), *map(float, model.coef_[0])]


def _folds(rows: list[Sample]) -> np.ndarray:
    """Out-of-fold probabilities, folds by original pair (its perturbations go with it)."""
    owners = sorted({r.pair.split("-p")[0] for r in rows})
    fold_of = {p: i % FOLDS for i, p in enumerate(owners)}
    x = np.array([r.values for r in rows])
    y = np.array([r.label for r in rows])
    folds = np.array([fold_of[r.pair.split("-p")[0]] for r in rows])
    out = np.zeros(len(rows))
    for f in range(FOLDS):
        model = _fit(x[folds != f], y[folds != f], SEED)
        out[folds == f] = model.predict_proba(x[folds == f][:, 1:])[:, 1]
    return out


def _pair_outcomes(rows: list[Sample], p: np.ndarray, accept: float, unmatched: float):
    """(detected distorted pairs, distorted pairs, faithful pairs alarmed by the model,
    faithful pairs) with the rules' findings plus the model's at the thresholds."""
    detected: dict[str, bool] = {}
    alarmed: dict[str, bool] = {}
    for r, prob in zip(rows, p, strict=True):
        fires = not r.taken and prob >= (accept if r.accepted else unmatched)
        if r.kind == "faithful":
            alarmed[r.pair] = alarmed.get(r.pair, False) or fires
        else:
            detected[r.pair] = detected.get(r.pair, r.rules_hit) or (fires and r.label)
    return sum(detected.values()), len(detected), sum(alarmed.values()), len(alarmed)


def choose(rows: list[Sample], p: np.ndarray) -> tuple[float, float, dict]:
    """The thresholds that detect most distorted pairs (rules plus model, out of fold)
    while the model alarms at most ``MAX_FALSE_ALARMS`` of the faithful pairs."""
    rules, n, _, _ = _pair_outcomes(rows, p, 2.0, 2.0)
    best = None
    for accept in GRID:
        for unmatched in GRID:
            hit, n, alarms, m = _pair_outcomes(rows, p, accept, unmatched)
            if alarms > MAX_FALSE_ALARMS * m:
                continue
            key = (hit, -alarms, accept + unmatched)
            if best is None or key > best[0]:
                outcome = {
                    "distorted_pairs_detected_by_rules": f"{rules}/{n}",
                    "with_the_model": f"{hit}/{n}",
                    "faithful_pairs_alarmed_by_the_model": f"{alarms}/{m}",
                }
                best = (key, accept, unmatched, outcome)
    assert best is not None
    return best[1], best[2], best[3]


def train(out_dir: Path = MODEL_DIR, seed: int = SEED, fixtures: Path = FIXTURES) -> dict:
    began = time.time()
    rows, found = collect(TRAIN_PARTS, seed, fixtures)
    oof = _folds(rows)
    accept, unmatched, chosen = choose(rows, oof)
    x = np.array([r.values for r in rows])
    y = np.array([r.label for r in rows])
    model = _fit(x, y, seed)
    data = {
        "features": list(learned.FEATURES),
        "coef": [round(w, 6) for w in _coef(model)],
        "accept": accept,
        "unmatched": unmatched,
        "directions": {k: [round(float(x), 5) for x in v] for k, v in found.items()},
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MODEL_FILE.name).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    load.cache_clear()
    validation = {}
    if out_dir == MODEL_DIR:
        for part in VALIDATION_PARTS + TRAIN_PARTS:
            validation[part] = score_pairs(read_pairs(fixtures / f"{part}.json")).summary()
    metrics = {
        "seed": seed,
        "train_parts": list(TRAIN_PARTS),
        "rows": len(rows),
        "positive_rows": int(y.sum()),
        "pairs": len({r.pair for r in rows}),
        "synthetic_pairs": len({r.pair for r in rows if "-p" in r.pair}),
        "out_of_fold_at_thresholds": chosen,
        "validation": validation,
        "seconds": round(time.time() - began, 1),
    }
    (out_dir / "metrics.json").write_text(
        json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out_dir / "MODEL_CARD.md").write_text(card(metrics, data), encoding="utf-8")
    return metrics


def card(metrics: dict, data: dict) -> str:
    """The model card: data, features, thresholds and the scores of the validation parts,
    and of held-out parts when ``metrics`` has them ("held_out": summaries of parts scored
    once with this very model, recorded after that scoring; a retrain has none)."""
    chosen = metrics["out_of_fold_at_thresholds"]
    lines = [
        "# compare: learned comparison of an article unit with its source passage",
        "",
        "A logistic regression over the evidence of one article unit (quote or attributed",
        "claim) against the source passage it is aligned with (`compare.changes.learned`).",
        "It adds a finding only on units where no rule found one. Trained by",
        f"`newsaudit train compare --seed {metrics['seed']}` (deterministic).",
        "",
        "## Data",
        f"- Hand-written pairs of the seen parts {', '.join(metrics['train_parts'])}",
        "  (`tests/fixtures/compare/`, written for the purpose, invented people and events;",
        "  MIT like the project) and distortions made from their faithful pairs by program",
        f"  (`train.compare_perturb`): {metrics['pairs']} pairs, {metrics['synthetic_pairs']}",
        f"  of them synthetic; {metrics['rows']} units, {metrics['positive_rows']} positive",
        "  (the unit's sentence holds distorted words).",
        "- Never trained on: " + ", ".join(VALIDATION_PARTS) + " (validation: seen, its",
        "  misses were diagnosed for the rules, but the model never fitted it), test7",
        "  (held out, scored once after every choice) and test8 (never read).",
        "- Labels: a unit is positive or not; the kind of a finding is the kind whose",
        "  features raise its score most (`FEATURE_KINDS`). Scikit-learn logistic",
        f"  regression, C={C}, balanced class weights.",
        "",
        "## Features",
        ", ".join(f"`{f}`" for f in data["features"]),
        "",
        "Word-class directions (hedge, condition, negation, universal, partial) are fitted",
        "on the same passages: mean e5 word state (layers 8-10) of the listed words minus",
        "the mean of all words.",
        "",
        "## Thresholds",
        f"accepted alignments {data['accept']}, units no passage renders {data['unmatched']};",
        "chosen on out-of-fold probabilities (5 folds by original pair) as the ones that",
        f"detect most while the model alarms at most {MAX_FALSE_ALARMS:.0%} of the seen",
        f"faithful pairs: {json.dumps(chosen)}. The budget is the",
        "lower of 5% and 3%: at 5% a model fitted on this round's rules (before their last",
        "fixes) alarmed 2 of dev2's 23 faithful paraphrases; the shipped one at 3% alarms",
        "none.",
        "",
        "## Validation (whole comparison: rules and model)",
        "| part | status | detected | false alarms |",
        "|---|---|---|---|",
    ]
    for part, summary in metrics["validation"].items():
        status = "validation, not trained on" if part in VALIDATION_PARTS else "trained on"
        lines.append(
            f"| {part} | {status} | {summary['detection_rate']:.1%} | "
            f"{summary['false_alarm_rate']:.1%} |"
        )
    for part, summary in metrics.get("held_out", {}).items():
        lines.append(
            f"| {part} | held out, scored once after every choice | "
            f"{summary['detection_rate']:.1%} | {summary['false_alarm_rate']:.1%} |"
        )
    lines += [
        "",
        "Speed: a dot product per unit and the input embeddings of the outlet's words; no",
        "encoder pass of its own.",
        "",
    ]
    return "\n".join(lines)
