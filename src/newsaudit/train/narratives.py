"""Build the packaged known-narratives model: the EUvsDisinfo index and the trained verifier.

1. Cases: every case of ``../shared/data/narratives-euvsdisinfo`` (duplicates merged, see
   ``benchmarks.narratives``); each title is embedded as an e5 query ("query: ", the
   symmetric setting: on the German dev set it beats "passage: " titles, success@5 0.91 vs
   0.84 zero-shot).
2. Language means: the mean e5 vector of the case titles (English) and of a seeded sample of
   1,000 sentences of German everyday news (tagesspiegel.de and zeit.de, FANG-COVID training
   outlets; never the five test outlets).
3. Title pieces for the late interaction (``narrative_matcher.TitlePieces``): every case
   title's e5 piece states of layers 8-12, centred per language and reduced by a PCA of title
   and German news pieces (``fit_pieces``). WHY a PCA and not a trained projection: one
   trained on the training sentences and on EUvsDisinfo summary openings against their
   titles ranked the dev candidates worse with every epoch (see MODEL_CARD.md).
4. Verifier: a logistic regression over ``narrative_matcher.FEATURES`` of the top 20
   candidates of each query (``query_forms``: the queries the analyzer makes of a sentence)
   of the hand-written German training sets (``TRAINING_SETS``: ``train.tsv`` and the test
   sets read before, paraphrases of other cases than dev's, and hard negatives), plus 300
   of the news sentences as negatives (everyday news must not match). WHY the seen test
   sets too: trained on train.tsv alone (101 paraphrases, short sentences), the blind
   set test5 kept 0.69 at 0.0; trained with test..test4 as well, 0.80 at 0.057. WHY German
   training sentences and not EUvsDisinfo's own summaries as queries: the summaries are
   English and often repeat their title, so their positives sit at cosines no German
   paraphrase reaches; a verifier trained on them (with the same features) kept 46% of
   the dev paraphrases at 9% false matches, below zero-shot retrieval.
5. Calibration on ``bench/narratives/dev.tsv``: Platt scaling of the verifier's logit over
   the dev candidates.
6. Query gate (``train.narrative_gate``): fact bank, claim-likeness probe and a
   cross-fitted gate regression; the verifier and gate thresholds are chosen on dev and
   the cross-validated training sentences pooled. The held-out set (``HELD_OUT_SPLITS``)
   is scored by ``bench/narratives_heldout.py``, never here.
Deterministic: fixed seeds, e5 in one thread, liblinear.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from newsaudit.analyzers.narrative_matcher import PIECE_DIM
from newsaudit.benchmarks.metrics import match_scores
from newsaudit.benchmarks.narratives import (
    DATABASE,
    GoldQuery,
    collapse,
    is_truncated,
    read_euvsdisinfo,
    read_gold,
)
from newsaudit.config import shared_data_dir
from newsaudit.models.narratives import FILES, MODEL_DIR, case_record
from newsaudit.train import narrative_gate as ng
from newsaudit.train.narrative_gate import MAX_SHOWN

SEED = 13
NEWS_OUTLETS = ("tagesspiegel.de", "zeit.de")
NEWS_SENTENCES = 1000
NEWS_NEGATIVES = 300
# News sentences 300-599 are the query gate's held-out negatives; the fact bank's news come
# after the first NEWS_SENTENCES.
GATE_NEWS = 600
# Where the query gate's thresholds are chosen: "dev" alone, or "dev+train" (dev and the
# cross-validated training sentences pooled: 435 paraphrases and 292 negatives, not 56 and 35).
THRESHOLD_RULE = "dev+train"
FACT_NEWS = 1400
MAX_FALSE_MATCH = 0.10
GROUP_COSINE = 0.94
SUMMARY_CHARS = 1500
GATE_QUANTILE = 0.02
THRESHOLDS = tuple(round(t, 3) for t in np.arange(0.05, 0.951, 0.025))
BENCH = Path(__file__).resolve().parents[3] / "bench" / "narratives"
# The sets no training sentence may paraphrase a case of (those present; the training sets
# among them are exempt): dev, and the blind held-out test6 and test7 (once it is in the
# repository).
EVALUATION_SETS = ("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7")
# The hand-written sets the verifier and the gate are trained on (no case of dev or of an
# evaluation set outside them: the training command checks).
TRAINING_SETS = ("train", "test", "test2", "test3", "test4", "test5")
# Held-out splits scored once (newest last) and the scores measured after training
# (``bench/narratives_heldout.py``, ``bench/narratives.py``): kept in metrics.json by a retrain
# only while the model stays the same, since they describe that model.
HELD_OUT_SPLITS = ("test6", "test7")
# Sets read before (each scored once when it was held out, diagnosed since): scored again
# with every model (``bench/narratives_heldout.py --seen``), never as held-out figures.
SEEN_SPLITS = ("test", "test2", "test3", "test4", "test5")
MEASURED = (
    *HELD_OUT_SPLITS,
    *(f"{name}_zero_shot" for name in HELD_OUT_SPLITS),
    "seen",
    "bench",
    "sample",
)


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def news_sentences(data: Path, n: int = NEWS_SENTENCES, seed: int = SEED) -> list[str]:
    """A seeded sample of sentences (60-260 characters), one per article, of German
    everyday news from FANG-COVID training outlets."""
    path = data / "news-fang-covid" / "fang-covid-text-only.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rows = [r for r in rows if r.get("source") in NEWS_OUTLETS]
    rng = random.Random(seed)
    rng.shuffle(rows)
    out = []
    for row in rows:
        parts = [
            s for s in re.split(r"(?<=[.!?])\s+", row.get("article") or "") if 60 <= len(s) <= 260
        ]
        if parts:
            out.append(rng.choice(parts))
        if len(out) == n:
            break
    return out


def encode(texts: list[str], cache: Path | None, name: str) -> np.ndarray:
    """e5 query vectors of ``texts``; with ``cache``, vectors of texts encoded before are
    reused (``NAME.json`` holds the texts, ``NAME.npy`` their vectors)."""
    from newsaudit.encoder.embedder import Embedder

    known: dict[str, np.ndarray] = {}
    if cache is not None and (cache / f"{name}.json").is_file():
        old_texts = json.loads((cache / f"{name}.json").read_text(encoding="utf-8"))
        known = dict(zip(old_texts, np.load(cache / f"{name}.npy"), strict=True))
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        _log(f"encoding {len(missing)} {name}")
        embedder = Embedder(threads=1)
        for text in missing:
            known[text] = embedder.encode(text, "query").vector
    vectors = np.stack([known[t] for t in texts]).astype(np.float32)
    if cache is not None and missing:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"{name}.json").write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        np.save(cache / f"{name}.npy", vectors)
    return vectors


def encode_pieces(texts: list[str], cache: Path | None, name: str) -> list[np.ndarray]:
    """Each text's e5 query piece states as ``narrative_matcher.piece_rows`` (float16); with
    ``cache``, kept in ``NAME-pieces.npz`` for the same texts."""
    from newsaudit.analyzers.narrative_matcher import piece_rows
    from newsaudit.encoder.embedder import Embedder

    path = cache / f"{name}-pieces.npz" if cache is not None else None
    if path is not None and path.is_file():
        with np.load(path) as arrays:
            if json.loads(str(arrays["texts"])) == texts:
                rows, offsets = arrays["rows"], arrays["offsets"]
                return [rows[a:b] for a, b in zip(offsets[:-1], offsets[1:], strict=True)]
    _log(f"encoding the pieces of {len(texts)} {name}")
    embedder = Embedder(threads=1)
    out = [piece_rows(embedder.encode(t, "query").states).astype(np.float16) for t in texts]
    if path is not None:
        cache.mkdir(parents=True, exist_ok=True)
        offsets = np.cumsum([0, *(len(r) for r in out)])
        np.savez(path, rows=np.concatenate(out), offsets=offsets, texts=json.dumps(texts))
    return out


def fit_pieces(titles: list[np.ndarray], news: list[np.ndarray]):
    """The late interaction's ``TitlePieces``: each language's mean piece row (the case
    titles' for English, the news sentences' for German), a PCA to ``PIECE_DIM`` of the
    centred unit rows of every third title and all news sentences (WHY both: the projection
    must keep what German and English pieces share), and the titles' projected int8 rows."""
    from newsaudit.analyzers.narrative_matcher import TitlePieces, unit

    all_titles = np.concatenate(titles).astype(np.float32)
    means = {"en": all_titles.mean(axis=0), "de": np.concatenate(news).astype(np.float32).mean(0)}
    sample = np.vstack(
        [unit(np.concatenate(titles[::3]).astype(np.float32) - means["en"])]
        + [unit(np.concatenate(news).astype(np.float32) - means["de"])]
    )
    _, _, vt = np.linalg.svd(sample, full_matrices=False)
    projection = vt[:PIECE_DIM].T.astype(np.float32)
    # One sign per component (the SVD's is arbitrary): the largest loading positive.
    projection *= np.sign(projection[np.abs(projection).argmax(axis=0), np.arange(PIECE_DIM)])
    pieces = TitlePieces(projection, means, np.zeros((0, PIECE_DIM), np.int8), np.zeros(1))
    rows = pieces.project(all_titles, "en")
    return TitlePieces(
        projection,
        {k: v.astype(np.float32) for k, v in means.items()},
        np.round(rows * 127).astype(np.int8),
        np.cumsum([0, *(len(t) for t in titles)]).astype(np.int64),
    )


def _labelled_candidates(
    model, gold: list[GoldQuery], vectors: np.ndarray, language: str, pieces: list[np.ndarray]
):
    """Per query: its candidates' features and whether each candidate is a right case."""
    out = []
    for query, vector, states in zip(gold, vectors, pieces, strict=True):
        found = model.candidates(vector, query.text, language, states)
        wanted = {t.casefold() for t in query.titles}
        labels = np.array(
            [
                collapse(model.cases[model.entry_case[r]].title).casefold() in wanted
                for r in found.rows
            ],
            dtype=int,
        )
        out.append((found, labels))
    return out


def _scores(model, gold, candidates, probability, threshold):
    shown = [
        ng.shown(model, found, probability(found.features), threshold, 10)
        for found, _ in candidates
    ]
    return match_scores(*ng.by_sentence(gold, shown, 10))


def query_forms(gold: list[GoldQuery]) -> tuple[list[GoldQuery], np.ndarray]:
    """Each sentence's queries as the analyzer makes them (``narrative_matcher.query_texts``:
    without attribution, and its bare claim), one row each with the sentence's id and
    titles, and the sentence of each row.
    WHY: the verifier and the gate are applied to these queries at run time; trained on
    whole sentences only, the gate never saw a bare claim (the sample's got 0.24 against
    0.4 in session 7)."""
    from newsaudit.analyzers.narrative_matcher import query_texts

    forms, owner = [], []
    for i, query in enumerate(gold):
        for text in query_texts(query.text):
            forms.append(replace(query, text=text))
            owner.append(i)
    return forms, np.array(owner, dtype=np.int64)


def check_held_out(train_gold: list[GoldQuery], bench: Path) -> None:
    """Raise ValueError when a training sentence paraphrases a case (any title it lists) of
    an evaluation set in ``bench`` that is not a training set. WHY: test6 is written blind
    while test..test5 became training sentences; a shared case would make its score a
    training-set figure."""
    evaluated = [name for name in EVALUATION_SETS if name not in TRAINING_SETS]
    held = {
        t.casefold()
        for name in evaluated
        if (bench / f"{name}.tsv").is_file()
        for q in read_gold(bench / f"{name}.tsv")
        for t in q.titles
    }
    overlap = [q.query_id for q in train_gold if {t.casefold() for t in q.titles} & held]
    if overlap:
        raise ValueError(f"training queries {overlap} paraphrase cases of {evaluated}")


def train(data: Path | None = None, out: Path = MODEL_DIR, cache: Path | None = None) -> dict:
    from sklearn.linear_model import LogisticRegression

    from newsaudit.analyzers.narrative_matcher import (
        FEATURES,
        CaseInfo,
        NarrativeModel,
        Verifier,
        dequantize,
        quantize,
    )

    data = data or shared_data_dir()
    cases = read_euvsdisinfo(data / "narratives-euvsdisinfo")
    _log(f"{len(cases)} cases")
    titles = encode([c.title for c in cases], cache, "titles")
    # A title cut off mid-claim is no claim to match: such a case is found by its summary
    # or not at all.
    whole = [i for i, c in enumerate(cases) if not is_truncated(c.title)]
    with_summary = [i for i, c in enumerate(cases) if c.summary]
    summaries = encode([cases[i].summary[:SUMMARY_CHARS] for i in with_summary], cache, "summaries")
    entry_case = np.array([*whole, *with_summary], dtype=np.int32)
    entries = np.vstack([titles[whole], summaries])
    news = news_sentences(data)
    news_vectors = encode(news, cache, "news")
    rows, scale = quantize(entries)
    means = {"en": titles.mean(axis=0), "de": news_vectors.mean(axis=0)}
    news_pieces = encode_pieces(news, cache, "news")
    pieces = fit_pieces(encode_pieces([c.title for c in cases], cache, "titles"), news_pieces)
    infos = [
        CaseInfo(c.case_id, c.title, c.url, c.date, c.disproof, DATABASE, c.keywords, c.outlets)
        for c in cases
    ]
    identity = Verifier(
        np.zeros(len(FEATURES), np.float32), np.ones(len(FEATURES), np.float32),
        np.zeros(len(FEATURES), np.float32), 0.0,
    )  # fmt: skip
    model = NarrativeModel(
        dequantize(rows, scale), infos, means, identity, 1.0, entry_case=entry_case,
        pieces=pieces,
    )  # fmt: skip

    train_gold = [q for name in TRAINING_SETS for q in read_gold(BENCH / f"{name}.tsv")]
    dev_gold = read_gold(BENCH / "dev.tsv")
    check_held_out(train_gold, BENCH)
    train_forms, train_of = query_forms(train_gold)
    dev_forms, _ = query_forms(dev_gold)
    train_vectors = encode([q.text for q in train_forms], cache, "train")
    dev_vectors = encode([q.text for q in dev_forms], cache, "dev")
    train_pieces = encode_pieces([q.text for q in train_forms], cache, "train")
    dev_pieces = encode_pieces([q.text for q in dev_forms], cache, "dev")
    train_candidates = _labelled_candidates(model, train_forms, train_vectors, "de", train_pieces)
    news_candidates = [
        model.candidates(v, t, "de", p)
        for v, t, p in zip(
            news_vectors[:NEWS_NEGATIVES],
            news[:NEWS_NEGATIVES],
            news_pieces[:NEWS_NEGATIVES],
            strict=True,
        )
    ]

    def fit_verifier(inside) -> Verifier:
        """The verifier over the candidates of the training queries ``inside`` and of the
        news negatives."""
        x = np.vstack(
            [train_candidates[i][0].features for i in inside]
            + [f.features for f in news_candidates]
        )
        y = np.concatenate(
            [train_candidates[i][1] for i in inside]
            + [np.zeros(len(f.rows)) for f in news_candidates]
        )
        mean, sd = x.mean(axis=0), x.std(axis=0) + 1e-6
        lr = LogisticRegression(C=1.0, max_iter=5000, solver="liblinear", random_state=SEED)
        lr.fit((x - mean) / sd, y)
        return Verifier(mean, sd, lr.coef_[0].astype(np.float32), float(lr.intercept_[0]))

    verifier = fit_verifier(range(len(train_forms)))
    mean, sd = verifier.mean, verifier.scale
    y_right = sum(int(y.sum()) for _, y in train_candidates)
    n_candidates = sum(len(f.rows) for f, _ in train_candidates + [(f, 0) for f in news_candidates])
    _log(f"verifier trained on {n_candidates} candidates, {y_right} right")

    dev_candidates = _labelled_candidates(model, dev_forms, dev_vectors, "de", dev_pieces)
    logits = np.concatenate([verifier.logit(f.features) for f, _ in dev_candidates])
    labels = np.concatenate([y for _, y in dev_candidates])
    platt = LogisticRegression(C=1e4, solver="liblinear", random_state=SEED)
    platt.fit(logits[:, None], labels)
    calibrated = Verifier(
        mean, sd, verifier.coef, verifier.intercept,
        (float(platt.coef_[0, 0]), float(platt.intercept_[0])),
    )  # fmt: skip
    sweep = {
        t: _scores(model, dev_forms, dev_candidates, calibrated.probability, t) for t in THRESHOLDS
    }
    allowed = [t for t, s in sweep.items() if s.false_match_rate <= MAX_FALSE_MATCH]
    ungated = max(allowed, key=lambda t: (sweep[t].success_at_5, t))
    zero_shot = _zero_shot(
        model, dev_gold, encode([q.text for q in dev_gold], cache, "dev-sentences"), len(whole)
    )
    probabilities = calibrated.probability(np.vstack([f.features for f, _ in dev_candidates]))

    query_gate, gate_metrics = _train_query_gate(
        model, cases, data, cache, news, news_vectors, means, fit_verifier, calibrated,
        (train_forms, train_vectors, train_candidates, train_of),
        (dev_forms, dev_vectors, dev_candidates), news_pieces,
    )  # fmt: skip
    threshold = gate_metrics["verifier_threshold"]
    dev = gate_metrics["dev"]
    metrics = {
        "cases": len(cases),
        "threshold": threshold,
        "dev": dev,
        "dev_verifier_only": {**sweep[ungated].__dict__, "threshold": ungated},
        "dev_zero_shot": zero_shot,
        "dev_brier": round(float(np.mean((probabilities - labels) ** 2)), 4),
        "dev_sweep_verifier_only": {
            str(t): [s.success_at_5, s.false_match_rate] for t, s in sweep.items()
        },
        "training": {
            "sets": list(TRAINING_SETS),
            "queries": len(train_gold),
            "paraphrases": sum(not q.is_negative for q in train_gold),
            "negatives": sum(q.is_negative for q in train_gold),
            "forms": len(train_forms),
            "candidates": n_candidates,
            "right": y_right,
        },
        "verifier": calibrated.to_json(),
        "query_gate": gate_metrics,
        "seed": SEED,
    }
    model = NarrativeModel(
        dequantize(rows, scale), infos, means, calibrated, threshold, entry_case=entry_case,
        query_gate=query_gate, max_shown=MAX_SHOWN, pieces=pieces,
    )  # fmt: skip
    gate, gate_stats = choose_gate(
        model, train_gold + dev_gold, train_forms + dev_forms,
        np.vstack([train_vectors, dev_vectors]), train_pieces + dev_pieces,
        news[NEWS_NEGATIVES:],
    )  # fmt: skip
    metrics["gate"] = gate_stats
    groups = narrative_groups(titles, cases)
    metrics["narratives"] = int(groups.max()) + 1
    metrics |= kept_measurements(out, metrics)
    _write(
        out, rows, scale, means, infos, calibrated, threshold, metrics, groups, entry_case, gate,
        query_gate, pieces,
    )  # fmt: skip
    write_card(out, metrics)
    _log(f"dev success@5 {dev['success_at_5']} at false-match rate {dev['false_match_rate']}")
    return metrics


def _train_query_gate(
    model, cases, data, cache, news, news_vectors, means, fit_verifier, calibrated, train, dev,
    news_pieces,
):  # fmt: skip
    """The query gate (``train.narrative_gate``): fact bank, probe, cross-fitted gate and
    the dev thresholds; its metrics include the designs compared on dev and a
    cross-validated train score at the chosen thresholds."""
    from newsaudit.analyzers.narrative_matcher import dequantize, quantize, unit

    train_gold, train_vectors, train_candidates, train_of = train
    dev_gold, dev_vectors, dev_candidates = dev
    disproofs = ng.disproof_sentences([c.disproof for c in cases if c.disproof], SEED)
    fact_news = news_sentences(data, NEWS_SENTENCES + FACT_NEWS)[NEWS_SENTENCES:]
    negatives = [i for i, q in enumerate(train_gold) if q.is_negative]
    facts = np.vstack(
        [
            ng.centred_rows(encode(disproofs, cache, "facts-disproof"), means["en"]),
            ng.centred_rows(encode(fact_news, cache, "facts-news"), means["de"]),
            ng.centred_rows(train_vectors[negatives], means["de"]),
        ]
    )
    # As shipped (int8 rows, ``_write``), so that training scores what `predict` shows.
    facts = unit(dequantize(*quantize(facts)))
    fact_owner = np.array([-1] * (len(facts) - len(negatives)) + negatives)
    _log(f"fact bank of {len(facts)} sentences")
    rng = np.random.default_rng(SEED)
    first_entry = {}
    for entry, case in enumerate(model.entry_case.tolist()):
        first_entry.setdefault(case, entry)
    sampled = rng.choice(len(cases), ng.PROBE_TITLES, replace=False)
    titles = model.centred[[first_entry[c] for c in sampled.tolist() if c in first_entry]]

    def queries(gold, vectors, candidates):
        centred = ng.centred_rows(vectors, means["de"])
        return [
            ng.Query(centred[i], found, y, not q.is_negative)
            for i, (q, (found, y)) in enumerate(zip(gold, candidates, strict=True))
        ]

    train_q = queries(train_gold, train_vectors, train_candidates)
    dev_q = queries(dev_gold, dev_vectors, dev_candidates)
    # Folds by sentence: the queries of one sentence are in the same fold.
    folds = ng.folds_of(int(train_of.max()) + 1, SEED)[train_of]
    oof, oof_logits = ng.cross_fitted_features(
        train_q, folds, fit_verifier, facts, fact_owner, titles, SEED
    )
    positives = np.vstack([q.centred for q in train_q if q.positive])
    probe = ng.fit_probe(np.vstack([titles, positives]), facts, SEED)
    held = [
        model.candidates(v, t, "de", p)
        for v, t, p in zip(
            news_vectors[NEWS_NEGATIVES:GATE_NEWS],
            news[NEWS_NEGATIVES:GATE_NEWS],
            news_pieces[NEWS_NEGATIVES:GATE_NEWS],
            strict=True,
        )
    ]
    held_centred = ng.centred_rows(news_vectors[NEWS_NEGATIVES:GATE_NEWS], means["de"])
    held_x = np.array(
        [
            ng.gate_features(c, f, calibrated, facts, probe)
            for c, f in zip(held_centred, held, strict=True)
        ]
    )
    dev_x = np.array(
        [ng.gate_features(q.centred, q.found, calibrated, facts, probe) for q in dev_q]
    )
    y_train = np.array([int(q.positive) for q in train_q])
    gate_x = np.vstack([oof, held_x])
    gate_y = np.r_[y_train, np.zeros(len(held_x))]
    gate = ng.fit_gate(gate_x, gate_y, facts, probe, SEED)
    dev_vp = [calibrated.probability(q.found.features) for q in dev_q]
    a, b = calibrated.calibration
    train_vp = [1.0 / (1.0 + np.exp(-(a * lg + b))) for lg in oof_logits]

    def cross_validated(columns) -> np.ndarray:
        """Train queries' gate probabilities, each fold's gate fitted without the fold."""
        out = np.zeros(len(train_q))
        for k in range(ng.FOLDS):
            inside = np.r_[folds != k, np.ones(len(held_x), bool)]
            out[folds == k] = ng.subset_probabilities(
                gate_x[inside], gate_y[inside], oof[folds == k], columns, SEED
            )
        return out

    pooled_gold, pooled_q = [*dev_gold, *train_gold], [*dev_q, *train_q]

    def thresholds(rule: str, dev_p: np.ndarray, train_p: np.ndarray) -> tuple[float, float]:
        """Verifier and gate thresholds chosen on dev alone or on dev + cross-validated train."""
        if rule == "dev":
            chosen, _ = ng.choose_thresholds(model, dev_gold, dev_q, dev_vp, dev_p, MAX_FALSE_MATCH)
        else:
            chosen, _ = ng.choose_thresholds(
                model, pooled_gold, pooled_q, [*dev_vp, *train_vp],
                np.r_[dev_p, train_p], MAX_FALSE_MATCH,
            )  # fmt: skip
        return chosen

    designs = {}
    for name, columns in ng.DESIGNS.items():
        dev_p = ng.subset_probabilities(gate_x, gate_y, dev_x, columns, SEED)
        train_p = cross_validated(columns)
        for rule in ("dev", "dev+train"):
            tv, tg = thresholds(rule, dev_p, train_p)
            on_dev = ng.gated_scores(model, dev_gold, dev_q, dev_vp, dev_p, tv, tg)
            on_train = ng.gated_scores(model, train_gold, train_q, train_vp, train_p, tv, tg)
            designs[f"{name}, thresholds on {rule}"] = {
                "dev": [on_dev.success_at_5, on_dev.false_match_rate],
                "train_cv": [on_train.success_at_5, on_train.false_match_rate],
                "verifier_threshold": tv,
                "gate_threshold": tg,
            }
    dev_gate_p = gate.probability(dev_x)
    train_gate_p = cross_validated(list(range(len(ng.GATE_FEATURES))))
    tv, tg = thresholds(THRESHOLD_RULE, dev_gate_p, train_gate_p)
    dev_scores = ng.gated_scores(model, dev_gold, dev_q, dev_vp, dev_gate_p, tv, tg)
    train_cv = ng.gated_scores(model, train_gold, train_q, train_vp, train_gate_p, tv, tg)
    return replace(gate, threshold=tg), {
        "fact_bank": {
            "disproof_sentences": len(disproofs),
            "news_sentences": len(fact_news),
            "train_negatives": len(negatives),
        },
        "features": list(ng.GATE_FEATURES),
        "coef": gate.coef.tolist(),
        "verifier_threshold": tv,
        "gate_threshold": tg,
        "threshold_rule": THRESHOLD_RULE,
        "max_shown": ng.MAX_SHOWN,
        "dev": dev_scores.__dict__,
        "train_cross_validated": train_cv.__dict__,
        "designs": designs,
    }


def _zero_shot(model, gold: list[GoldQuery], vectors: np.ndarray, titles: int) -> dict:
    """One cosine threshold on raw e5 vectors, the issue's baseline: success@5 without a
    threshold, and at the threshold where 10% of the negatives get a match."""
    cases_of = model.entry_case[:titles]  # the first entries are the whole titles
    sims = vectors / np.linalg.norm(vectors, axis=1, keepdims=True) @ model.raw[:titles].T
    top = np.argsort(-sims, axis=1)[:, :10]
    best = sims[np.arange(len(sims)), top[:, 0]]
    negatives = [i for i, q in enumerate(gold) if q.is_negative]
    cut = float(np.quantile(best[negatives], 1 - MAX_FALSE_MATCH))

    def found(i: int, threshold: float) -> bool:
        wanted = {t.casefold() for t in gold[i].titles}
        shown = [cases_of[j] for j in top[i, :5] if sims[i, j] > threshold]
        return any(collapse(model.cases[j].title).casefold() in wanted for j in shown)

    positives = [i for i, q in enumerate(gold) if not q.is_negative]
    return {
        "success_at_5": round(float(np.mean([found(i, -1.0) for i in positives])), 4),
        "success_at_5_at_10pct_false": round(float(np.mean([found(i, cut) for i in positives])), 4),
        "threshold": round(cut, 4),
    }


def pseudo_paragraphs(texts: list[str], filler: list[str], seed: int = SEED) -> list[str]:
    """Each text between two everyday-news sentences, as a claim sits in a paragraph."""
    rng = random.Random(seed)
    return [f"{rng.choice(filler)} {t} {rng.choice(filler)}" for t in texts]


def choose_gate(model, gold, forms, vectors, pieces, news) -> tuple[float, dict]:
    """The paragraph gate: the ``GATE_QUANTILE`` quantile of the paragraph scores of the
    paraphrases (train and dev, each inside a pseudo-paragraph of two news sentences) whose
    own passage shows a right case (verifier and query gate, the best of its queries
    ``forms`` with their ``vectors`` and ``pieces``), so the gate drops about 2% of those;
    and how many everyday-news paragraphs of three sentences still pass it (the cost
    that remains).
    WHY not the lowest score: one paraphrase diluted by its filler sets the gate so low
    that 94% of news paragraphs pass and the gate saves nothing."""
    from newsaudit.analyzers.narrative_matcher import best_of
    from newsaudit.encoder.embedder import Embedder

    embedder = Embedder(threads=1)
    matched: dict[str, list] = {}
    for form, vector, states in zip(forms, vectors, pieces, strict=True):
        if not form.is_negative:
            matches = model.match(vector, form.text, "de", states=states)
            matched.setdefault(form.query_id, []).append(matches)
    found = []
    for query in gold:
        if query.is_negative:
            continue
        shown = [collapse(m.case.title) for m in best_of(matched[query.query_id], 10)]
        wanted = {t.casefold() for t in query.titles}
        if any(t.casefold() in wanted for t in shown[:5]):
            found.append(query.text)
    paragraphs = pseudo_paragraphs(found, news)
    news_paragraphs = [" ".join(news[i : i + 3]) for i in range(0, len(news) - 2, 3)]
    passage = np.stack([embedder.encode(t, "passage").vector for t in paragraphs])
    everyday = np.stack([embedder.encode(t, "passage").vector for t in news_paragraphs])
    scores = model.paragraph_scores(passage, "de")
    gate = round(float(np.quantile(scores, GATE_QUANTILE)), 4)
    passing = float(np.mean(model.paragraph_scores(everyday, "de") >= gate))
    alone = np.stack([embedder.encode(t, "passage").vector for t in found])
    return gate, {
        "gate": gate,
        "quantile": GATE_QUANTILE,
        "paraphrases_alone_passing": round(
            float(np.mean(model.paragraph_scores(alone, "de") >= gate)), 4
        ),
        "paraphrases_found": len(found),
        "news_paragraphs": len(news_paragraphs),
        "news_paragraphs_passing": round(passing, 4),
    }


def narrative_groups(vectors: np.ndarray, cases, threshold: float = GROUP_COSINE) -> np.ndarray:
    """Related cases as groups: titles at a cosine of at least ``threshold`` that share a
    keyword or a country are linked, and linked cases form one group (union-find).
    WHY both: at 0.94 alone titles of different claims about the same actor still meet
    ("US plans to invade Iran" / "... Venezuela"); a shared keyword keeps them apart more
    often than not."""
    parent = list(range(len(cases)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tags = [{t.casefold() for t in (*c.keywords, *c.countries)} for c in cases]
    unit_rows = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    for start in range(0, len(cases), 2000):
        block = unit_rows[start : start + 2000] @ unit_rows.T
        for i, j in zip(*np.nonzero(block >= threshold), strict=True):
            a, b = start + int(i), int(j)
            if a < b and tags[a] & tags[b]:
                parent[root(a)] = root(b)
    roots = [root(i) for i in range(len(cases))]
    ids = {r: n for n, r in enumerate(dict.fromkeys(roots))}
    return np.array([ids[r] for r in roots], dtype=np.int32)


def _write(
    out, rows, scale, means, infos, verifier, threshold, metrics, groups, entry_case, gate,
    query_gate, pieces,
) -> None:  # fmt: skip
    from newsaudit.analyzers.narrative_matcher import quantize

    out.mkdir(parents=True, exist_ok=True)
    facts, facts_scale = quantize(query_gate.facts)
    np.savez_compressed(
        out / "index.npz",
        vectors=rows,
        scale=scale,
        groups=groups,
        entry_case=entry_case,
        facts=facts,
        facts_scale=facts_scale,
        piece_projection=pieces.projection,
        piece_offsets=pieces.offsets,
        **{f"mean_{k}": v.astype(np.float32) for k, v in means.items()},
        **{f"piece_mean_{k}": v.astype(np.float32) for k, v in pieces.means.items()},
    )
    np.save(out / "pieces.npy", pieces.states, allow_pickle=False)
    meta = {"database": DATABASE, "cases": [case_record(c) for c in infos]}
    with gzip.GzipFile(out / "cases.json.gz", "wb", mtime=0) as handle:
        handle.write(json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    settings = {
        "threshold": threshold,
        "gate": gate,
        "verifier": verifier.to_json(),
        "query_gate": query_gate.to_json(),
        "max_shown": MAX_SHOWN,
        "prefix": "query",
    }
    (out / "verifier.json").write_text(json.dumps(settings, indent=1) + "\n", encoding="utf-8")
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")


def _model_weights(metrics: dict) -> tuple:
    return metrics.get("verifier"), metrics.get("query_gate", {}).get("coef"), metrics.get("gate")


def kept_measurements(out: Path, metrics: dict) -> dict:
    """The held-out scores and measurements (``MEASURED``) of the metrics.json already in
    ``out`` when it describes the same model (same verifier, gate and paragraph gate);
    none otherwise, since they were measured with another model."""
    path = out / "metrics.json"
    if not path.is_file():
        return {}
    before = json.loads(path.read_text(encoding="utf-8"))
    kept = {k: before[k] for k in MEASURED if before.get(k)}
    if kept and _model_weights(before) != _model_weights(json.loads(json.dumps(metrics))):
        _log(f"the model changed: dropping {', '.join(kept)} measured with the one before")
        return {}
    return kept


def record(entries: dict, out: Path = MODEL_DIR) -> None:
    """Add measurements (``MEASURED`` keys) to metrics.json and rewrite the card."""
    unknown = set(entries) - set(MEASURED)
    if unknown:
        raise ValueError(f"not a measurement of the model: {sorted(unknown)}")
    path = out / "metrics.json"
    metrics = json.loads(path.read_text(encoding="utf-8")) | entries
    path.write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    write_card(out, metrics)


def _row(name: str, scores: dict) -> str:
    return (
        f"| {name} | {scores['success_at_5']} | {scores['false_match_rate']} | "
        f"{scores.get('success_at_1', '-')} |\n"
    )


def _sample_text(sample: dict | None) -> str:
    """What the sample article (``bench/narratives.py``) shows, for the card."""
    if not sample:
        return "The sample: `python bench/narratives.py` records what it matches.\n"
    if sample["matches"]:
        shown = "; ".join(
            f'{m["title"]} ({m["probability"]}, on "{m["evidence"]}")' for m in sample["matches"]
        )
        return f"The sample (`../shared/samples/seed-article-de.txt`) matches: {shown}.\n"
    return (
        "The sample (`../shared/samples/seed-article-de.txt`) matches no case: the passage "
        f'"{sample["claim"]}" is encoded and its query gate gives '
        f"{sample['claim_gate']} (threshold {sample['gate_threshold']}); its best cases: "
        + "; ".join(sample["claim_cases"])
        + ".\n"
    )


_SESSION_9 = """Session 9, why the sample's claim was not shown and what changed (the
sample was only diagnosed, never trained on or used to set a threshold): the MOD's claim
is the content clause of a frame ("ein klares Bekenntnis, dass die Opposition, die
angeblich einen Bürgerkrieg in Syrien führt, in Wahrheit ein US-kontrolliertes
internationales Terrornetzwerk ist"). Its bare query kept the relative clause and dropped
only "angeblich", so it asserted the civil war the writer denies, and "Terrorists
coordinate with US forces in Syria" ranked first among crowded cases on the US in Syria
(verifier 0.22), gate 0.33 against 0.55. Two general causes: (1) a relative clause that a
hedge marks as denied is no part of the claim: the bare query now drops it whole, and a
quotation mark left alone at its ends (`narrative_matcher.query_texts`); no sentence of dev
or of the seen sets changes its queries by it. (2) the gate and verifier had seen few
claims carried by a label or an attribute ("ein von Washington gelenktes Instrument",
"vom Westen gesteuerte Putschisten") inside a frame: 40 such paraphrases of other claims
that train.tsv paraphrases (none about the US, terrorists or Syria) and 25 hard negatives of
the same shape (official labels: "stuft die Gruppe als ... ein", terror lists, Idlib's
militias) were written by hand for train.tsv. Retrained, the bare query "die Opposition ein
US-kontrolliertes internationales Terrornetzwerk ist." gets gate 0.589 against 0.55 and
shows "The US is the founder and supporter of international terrorist groups" (0.37) and
"The US is the main global sponsor of terrorism" (0.12, keyword Syrian War); a third
match, "OPCW is controlled by Americans" (0.06), is a false one. With the model before,
the new queries alone gave the bare claim 0.52. Dev (not held out) 0.8214 / 0.0286 before,
0.8214 / 0.0 after; seen sets before -> after: test 0.875 / 0.0286 -> 0.875 / 0.0, test2
0.8689 / 0.0263 -> 0.8525 / 0.0263, test3 0.7818 / 0.0 -> 0.7818 / 0.0, test4 0.8431 /
0.0294 -> 0.8235 / 0.0, test5 0.8182 / 0.0 -> 0.8364 / 0.0.
Read by hand (evaluation only, nothing tuned on it): all 7 matches of the 60 Süddeutsche
articles of the FANG-COVID sample (`bench/narratives.py`; 4 with the model before) are
false, everyday sentences on a case's topic ("In Sachsen ... sollen Schulen und Kitas
weiter geschlossen bleiben" as "In Ukraine, schools will be closed in large numbers", 0.61)
or short titles and leads ("Einige Länder waren vorgeprescht"); most matches on the four
unreliable outlets are of the same kind. The hand-written negatives (false-match rate 0.0)
are single sentences and overstate the precision on whole articles.
"""

_SAMPLE_WHY = """WHY the gate rejects it (session 6, this design): the claim sits inside the MOD's
framing clause ("ein klares Bekenntnis, dass die Opposition, die angeblich ..."), and its best
centred case cosine is 0.375, under the median best case of the dev hard negatives (0.42),
with the top 20 within 0.06 of each other, so neither the verifier nor the gate sees a case
stand out. Even the bare claim ("Die syrische Opposition ist in Wahrheit ein
US-kontrolliertes internationales Terrornetzwerk.") reaches only 0.47 (gate 0.057): no case
of the US or the West backing terrorists in Syria comes closer in e5-small than other cases
on the US in Syria, so no principled change of the gate or its threshold shows it; the late
interaction does not single them out either ("Washington supports terrorists in Syria and
therefore is an enemy of Moscow" is among the 20 candidates at cosine 0.32, its maxsim 0.657
under the best candidate's 0.683).
Session 7: every passage is also queried as its bare claim (`narrative_matcher.query_texts`:
the content clause of a framing "..., dass ..." without the hedges "angeblich", "in
Wahrheit"; a case counts by its best query). For the sample's passage the bare claim ("die
Opposition, die einen Bürgerkrieg in Syrien führt, ein US-kontrolliertes internationales
Terrornetzwerk ist.") ranks "Terrorists coordinate with US forces in Syria" first (centred
cosine 0.456, verifier probability 0.39 over its threshold 0.1; as written it ranks 4th at
0.353), but the query gate gives it 0.24 (margin over the fact bank 0.11, best logit -1.87,
claim-likeness 0.69) against 0.4, so it is still not shown. Dev, test4 and train are
unchanged by it (0.6607 / 0.0571, 0.7647 / 0.0588, 0.9208 / 0.0): 4 dev, 4 test4 and 6 train
sentences get a second query, and only one dev paraphrase's right titles change order.
Showing the bare claim alone instead lost a test4 paraphrase (0.7451), whose frame is the
claim ("Der Westen verhindert, dass ...").
Session 8: the verifier and the gate are trained on these queries too, on six hand-written
sets instead of one. The bare claim's gate probability rises from 0.24 to 0.33 (margin over
the fact bank 0.095, best logit -1.53, claim-likeness 0.49; "Terrorists coordinate with US
forces in Syria" first at verifier 0.22, centred cosine 0.464), but the gate threshold
chosen on dev and the cross-validated training sentences rises with them to 0.55, so it is
still not shown: on the gate's three features the bare claim sits among the top tenth of
the hard negatives (test5's negatives: 90th percentiles margin 0.10, best logit -1.46,
claim-likeness 1.13), and a gate of 0.3, low enough for it, lets 11% of the dev
negatives through (0.857 at 0.114 on dev).
"""


def write_card(out: Path, metrics: dict) -> Path:
    """MODEL_CARD.md from ``metrics`` (held-out scores appear once they are in it)."""
    dev, zero, gate = metrics["dev"], metrics["dev_zero_shot"], metrics["query_gate"]
    training = metrics["training"]
    sets = ", ".join(f"`{name}.tsv`" for name in training.get("sets", ("train",)))
    pooled = (
        dev["paraphrases"] + training.get("paraphrases", 0),
        dev["negatives"] + training.get("negatives", 0),
    )
    on_dev = next(
        (d for name, d in gate["designs"].items() if "(shipped)" in name and "dev+" not in name),
        {"dev": ["-", "-"], "train_cv": [0.0, 0.0]},
    )
    before = metrics["dev_verifier_only"]
    bank = gate["fact_bank"]
    rows = (
        f"| dev, zero-shot e5, one cosine threshold at 10% false matches | "
        f"{zero['success_at_5_at_10pct_false']} | 0.1 | - |\n"
        f"| dev, zero-shot e5, no threshold | {zero['success_at_5']} | 1.0 | - |\n"
        + _row(f"dev, verifier only (the design before; threshold {before['threshold']})", before)
        + _row("dev, shipped (verifier and query gate)", dev)
        + _row("train, 5-fold cross-validated, shipped thresholds", gate["train_cross_validated"])
    )
    for name, scores in metrics.get("seen", {}).items():
        how = "seen, trained on" if name in metrics["training"].get("sets", ()) else "seen"
        rows += _row(f"{name} ({how})", scores)
    for name in HELD_OUT_SPLITS:
        if metrics.get(name):
            rows += _row(metrics[name]["label"], metrics[name])
        if metrics.get(f"{name}_zero_shot"):
            rows += (
                f"| {name}, zero-shot e5, the cosine threshold at which 10% of its negatives "
                f"match (an oracle baseline) | "
                f"{metrics[f'{name}_zero_shot']['success_at_5_at_10pct_false']} | 0.1 | - |\n"
            )
    designs = "".join(
        f"| {name} | {d['dev'][0]} / {d['dev'][1]} | {d['train_cv'][0]} / {d['train_cv'][1]} | "
        f"{d['verifier_threshold']}, {d['gate_threshold']} |\n"
        for name, d in gate["designs"].items()
    )
    newest = next((metrics[n] for n in reversed(HELD_OUT_SPLITS) if metrics.get(n)), None)
    target = (
        "not yet scored on a held-out split"
        if newest is None
        else "reached"
        if newest["success_at_5"] >= 0.85 and newest["false_match_rate"] <= MAX_FALSE_MATCH
        else f"missed on {newest['label'].split(' ')[0]}"
    )
    size = sum((out / name).stat().st_size for name in FILES if (out / name).is_file())
    bench = metrics.get("bench", {})
    bench_text = (
        f"On the seeded FANG-COVID test-outlet sample (`python bench/narratives.py`, evaluation "
        f"only) the analyzer costs {bench['cpu_s_per_article_narratives']} CPU-s per article "
        f"on one core (the analyzers it builds on, in the same run: "
        f"{bench['cpu_s_per_article_baseline']} CPU-s; the machine and its load set both); "
        f"matches per article: "
        + ", ".join(f"{k} {v}" for k, v in bench["matches_per_article"].items())
        + "."
        if bench
        else "Cost and matches per article: `python bench/narratives.py`."
    )
    sample = metrics.get("sample")
    text = f"""# Known narratives: EUvsDisinfo index, verifier and query gate

Finds which documented pro-Kremlin disinformation claims a sentence repeats, across languages
(German sentences, English cases). Used by the `narratives` analyzer and
`newsaudit predict narratives`.

- **Index**: {metrics["cases"]:,} cases of the EUvsDisinfo database
  (`../shared/data/narratives-euvsdisinfo`: cknabs/EUvsDisinfo @ c4acb10, 10,892 reports
  2015-2021 with URL, date, keywords, outlets; kalkun/euvsdisinfo-scraper @ 8f78469, 3,071 rows
  2015-2017 with summary and disproof; rows with the same title merged, cut titles completed
  from kalkun). Each whole title and each summary is a multilingual-e5-small query vector
  ("query: " prefix), int8 with a float16 scale per row; a case is matched by its best entry.
  **Licence**: EUvsDisinfo terms, reuse with attribution ("Source: EUvsDisinfo").
- **Retrieval**: cosine after subtracting each language's mean e5 vector (case titles for
  English; 1,000 seeded sentences of tagesspiegel.de and zeit.de, FANG-COVID training outlets,
  for German); the 20 best cases go to the verifier.
- **Queries**: each passage is queried without its attribution ("..., heißt es im Kreml",
  "Wie der Kreml betont, ...") and, when it has one, also as its bare claim (what follows a
  framing colon, the content clause of "..., dass ...", without "angeblich", "in
  Wahrheit"); a case counts by its best query (`narrative_matcher.query_texts`). Training
  and threshold choice use the same queries ({training["forms"]} queries of the
  {training["queries"]} training sentences), and a sentence is scored by the best of its
  queries, as `predict narratives` does.
- **Verifier**: logistic regression over {", ".join(metrics["verifier"]["features"])}, trained on
  the top-20 candidates of the queries of the {training["queries"]} hand-written German
  sentences of {sets} ({training["paraphrases"]} paraphrases, {training["negatives"]} hard
  negatives; {training["right"]} right candidates of {training["candidates"]:,}) and of 300
  everyday-news sentences (all wrong);
  Platt-calibrated on the dev candidates (Brier {metrics["dev_brier"]}). A match's
  `probability` is this calibrated probability that the case is the one the sentence repeats.
- **Late interaction** (`maxsim`, `maxsim_below_best`): for each candidate, the mean over
  the pieces of its case title of the best cosine to a piece of the sentence, on e5's piece
  states of layers 8-10 and 11-12 (each unit length, side by side, centred by the language's
  mean piece: case titles for English, the 1,000 news sentences for German), projected to
  {PIECE_DIM} dimensions by a PCA of the pieces of every third title and of the news
  sentences; the titles' projected pieces are int8 rows in `pieces.npy`, memory-mapped.
  WHY: the pooled cosine is the evidence every other feature rests on, and a claim inside a framing
  clause or in other words loses it; how well the title's own pieces are found in the
  sentence is evidence the pooled vector does not carry (dev AUC of right over wrong
  candidates 0.918 -> 0.938 as verifier features). A case of a user's index has no stored
  pieces and gets the training mean of both features.
- **Query gate** (is the sentence a documented kind of claim at all?): a logistic regression
  over {", ".join(gate["features"])} (coefficients {[round(c, 2) for c in gate["coef"]]} on
  standardised features). The margin is the sentence's best case cosine minus its best
  cosine to a fact bank of {sum(bank.values()):,} factual sentences
  ({bank["disproof_sentences"]:,} EUvsDisinfo disproof sentences, {bank["news_sentences"]:,}
  German news sentences of tagesspiegel.de and zeit.de, the {bank["train_negatives"]} queries
  of the training sets' hard negatives; int8 in `index.npz`); claim-likeness is a linear
  probe on the centred e5 vector (3,000 case titles and the training paraphrases against
  the fact bank). Its features for the training sentences are cross-fitted (5 folds:
  verifier, probe and fact bank without the fold), 300 other news sentences are further
  negatives.
- **Shown**: a sentence shows cases only when its gate probability is at least
  {gate["gate_threshold"]}, then the cases whose verifier probability is at least
  {gate["verifier_threshold"]}, at most {gate["max_shown"]}. Both thresholds are the pair
  with the best success@5 at a false-match rate of at most {MAX_FALSE_MATCH} on dev and the
  cross-validated training sentences pooled ({pooled[0]} paraphrases, {pooled[1]} negatives).
  WHY pooled: the pair best on dev alone (dev {on_dev["dev"][0]} at {on_dev["dev"][1]}) lets
  {on_dev["train_cv"][1]:.0%} of the cross-validated training negatives through; 35 dev
  negatives are too few to set two thresholds.
- **Paragraph gate** (analyzer only): a paragraph whose e5 passage vector (shared with the
  other analyzers) comes no closer than {metrics["gate"]["gate"]} to any entry is skipped (the
  {metrics["gate"]["quantile"]} quantile of found train and dev paraphrases inside news
  pseudo-paragraphs; {metrics["gate"]["news_paragraphs_passing"]:.0%} of everyday-news
  paragraphs pass); at most 5 passages per article are encoded alone, one per passing
  paragraph per round (closest paragraphs first, longest passage first).
- **Evaluation sets**: `bench/narratives/{{dev,test,...,test6}}.tsv`, German, written by
  hand (see its README). Success@5: a right case among the first five titles shown;
  false-match rate: share of negatives with any title shown. Each test set was scored once
  while it was held out: test.tsv with the verifier-only design (0.7321 at 0.1714), test2.tsv
  with the verifier and query gate without late interaction (session 4: 0.6721 at 0.1053),
  test3.tsv with that design too (session 5: 0.7455 at 0.0789), test4.tsv with the late
  interaction (session 6: 0.7647 at 0.0588), test5.tsv (written blind) with the bare-claim
  queries (session 7: 0.5818 at 0.0). All five are seen since, and since session 8 they are
  training sentences ({sets}): their rows below are not held-out figures. test6.tsv,
  written blind in session 8, was scored once with the session-8 model (29768a1: success@5
  0.7455, success@1 0.6182, false-match rate 0.0) and is neither read nor scored with this
  one. The held-out set of this design is test7.tsv, written blind in session 9, scored once
  by `bench/narratives_heldout.py test7`; `--seen` scores the seen sets again. Dev chooses
  the thresholds and calibrates the verifier: its rows are not held-out figures either.

| split | success@5 | false-match rate | success@1 |
|---|---|---|---|
{rows}
Target: success@5 ≥ 0.85 at a false-match rate ≤ 0.10: {target}.
{_sample_text(sample)}{_SAMPLE_WHY if sample and not sample["matches"] else _SESSION_9}

Designs compared (success@5 / false-match rate; thresholds verifier, gate):

| design | dev | train, cross-validated | thresholds |
|---|---|---|---|
{designs}
Session 8 (attribution-free queries, verifier and gate trained on the queries the analyzer
makes, the seen test sets as training sentences), success@5 / false-match rate with
`predict narratives`, test5 as the only blind-written set not trained on until the last
step (the steps before the shipped one measured with a colon or a dash as a frame and a
float fact bank in training): the design before 0.5818 / 0.0 on test5 (dev 0.6607 /
0.0571); without the attribution (the model before, not retrained) 0.7091 / 0.0;
retrained on the queries, train.tsv alone 0.6909 / 0.0 (dev 0.6607 / 0.0571, test4
0.7843 / 0.1176); trained on train.tsv and test..test4 0.8 / 0.0571 (dev 0.7857 /
0.0286); shipped: test5 trained on as well, and the fact bank int8 in training as it
ships, dev 0.8214 / 0.0286 (with a float bank in training, one dev paraphrase at the gate
threshold scored there as shown and was not with `predict`). WHY the seen sets
as training sentences: train.tsv's sentences are short (77 characters on average against
test5's 128) and written by the project; with 224 more paraphrases the verifier and the
gate see longer sentences, framing and other writers. WHY test5 as well: it is the only
set written blind, as reviewers' sentences are.

The design before (verifier and query gate without the late interaction, thresholds on
dev + train): dev 0.625 / 0.0286, train cross-validated 0.901 / 0.1039. Also measured in
session 6 and not kept (with a quick proxy: the verifier's best probability as the only
gate): the late interaction with a learned projection (32 dimensions from the PCA, trained
with torch on the training sentences' candidates, and on 2,494 EUvsDisinfo summary openings
against their own title and retrieved titles of other narratives): dev ranking AUC fell
with every epoch (from 0.89 to 0.78-0.85; English title and summary share their words, and
101 German paraphrases are too few), so the projection stays the PCA; the sentence-to-title
direction of MaxSim (0.910 against 0.938 AUC); layers 11-12 alone at 32 or 16 dimensions, and
each group at 16 (dev AUC 0.930-0.939, pooled success@5 at most 0.771 against 0.790).

Also measured on dev and not kept: a claim-likeness probe over e5's pooled layer groups
(`analyzers.embeddings.ParagraphEncodings`; AUC of paraphrase vs negative 0.60-0.74 per
group against 0.77-0.79 for the final vector), TF-IDF style classifiers (dev AUC 0.67-0.71),
the fast subjectivity model as a feature (dev AUC 0.57), up to four disproof sentences per
case in the fact bank (no gain); pair classifiers over query and case vectors were tried
before and were no better. Tried in session 5, each with thresholds on dev + train as
shipped (success@5 / false-match rate, dev; train cross-validated), against the shipped
0.625 / 0.029; 0.901 / 0.104:
the 353 German normalised claims of CheckThat! 2025 (claim normalisation, train and dev) as
further claim-likeness positives 0.607 / 0.057; 0.901 / 0.104; a candidate's z-score over
all entries as a verifier feature 0.643 / 0.029; 0.901 / 0.117; how much the top candidates
repeat each other (mean title cosine to the other 19, and the weighted count of those at
0.8 or more) as verifier features 0.661 / 0.029; 0.891 / 0.130; pseudo-relevance feedback
(the query plus 0.5 or 0.25 times the mean of its three best entries) 0.607 / 0.029;
0.891 / 0.104 and 0.589 / 0.029; 0.901 / 0.117. WHY none of those helped: the right case's
centred cosine was the evidence every feature rested on, and for the harder sentences it is
no higher than a negative's best (dev paraphrases: median 0.54, lowest quarter under 0.49; dev
negatives' best case: median 0.42, a quarter over 0.49); the training paraphrases sit
higher (median 0.65), which is why train cross-validated scores run ahead of dev, test2
and test3.

{bench_text} The four files are {size / 2**20:.1f} MB. The training sentences
(`bench/narratives/train.tsv`) and evaluation sets are the project's own.

Train: `newsaudit train narratives` (seed {metrics["seed"]}; `--cache DIR` keeps the e5
vectors between runs). Score: `newsaudit predict narratives --input bench/narratives/dev.tsv
--output pred.tsv && newsaudit evaluate narratives --gold bench/narratives/dev.tsv
--predicted pred.tsv`.
"""
    path = out / "MODEL_CARD.md"
    path.write_text(text, encoding="utf-8")
    return path
