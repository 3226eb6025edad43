"""Fit and measure the technique flag calibrator (``analyzers/technique_calibration.py``).

The calibrator learns from flags that heads never trained on: every German training article
is scored by the heads of the outer part that held it out (``technique_folds.outer_parts``).
It is measured by cross-fitting over those parts (each part's flags get probabilities from a
calibrator fitted on the other parts), so no paragraph is scored by a calibrator fitted on
it; the shipped calibrator is then fitted on every part's flags.

Low capacity on purpose: per technique an intercept and a slope on the score's log-odds,
both shrunk to a shared pair (rare techniques have a handful of flags), plus one shared
gate weight on the paragraph's highest score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from newsaudit.analyzers.technique_calibration import STRONG_PROBABILITY, Calibrator, logit
from newsaudit.benchmarks.metrics import micro_f1_arrays

if TYPE_CHECKING:
    from newsaudit.analyzers.technique_model import AttentionHead
    from newsaudit.benchmarks.semeval import Article
    from newsaudit.train.technique_rows import Rows

# Inverse L2 strength on the per-technique deviations from the shared intercept and slope.
C_CALIBRATION = 1.0


@dataclass
class OuterScores:
    """Every German training paragraph with the TF-IDF and attention scores of the outer
    part's heads that never saw its article, and that part."""

    rows: Rows
    text: np.ndarray
    attention: np.ndarray
    part: np.ndarray


def outer_scores(
    articles: Sequence[Article], labels: Sequence[str], heads: dict[int, AttentionHead]
) -> OuterScores:
    """Score each outer part with a TF-IDF head fitted on the other parts and with
    ``heads[part]`` (fitted without that part's articles, ``technique_folds.german_jobs``)."""
    from newsaudit.analyzers.technique_model import attention_scores
    from newsaudit.train.heads import fit_features, fit_head
    from newsaudit.train.technique_folds import outer_parts
    from newsaudit.train.technique_rows import C_TEXT, encodings, paragraph_rows

    part_of = outer_parts(articles)
    ordered = sorted(articles, key=lambda a: (part_of[a.id], a.id))
    rows = paragraph_rows(ordered, labels)
    part = np.array([part_of[a.id] for a in ordered for _ in a.paragraphs])
    text = np.zeros(rows.y.shape, dtype=np.float32)
    attention = np.zeros(rows.y.shape, dtype=np.float32)
    for k, head in sorted(heads.items()):
        train, test = np.flatnonzero(part != k), np.flatnonzero(part == k)
        train_texts = [rows.texts[i] for i in train]
        test_texts = [rows.texts[i] for i in test]
        features = fit_features(train_texts, 100_000)
        text_head = fit_head(features.transform(train_texts), rows.y[train], C_TEXT)
        text[test] = text_head.proba(features.transform(test_texts))
        attention[test] = attention_scores(head, encodings(test_texts), rows.y.shape[1])
    return OuterScores(rows, text, attention, part)


def _design(
    scores: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    features: dict[str, np.ndarray],
    names: Sequence[str],
) -> np.ndarray:
    n_labels = scores.shape[1]
    z = logit(scores[rows, cols])
    x = np.zeros((len(rows), 2 * n_labels + 2 + len(names)))
    x[np.arange(len(rows)), cols] = 1.0
    x[np.arange(len(rows)), n_labels + cols] = z
    # shared terms, scaled up so that the L2 penalty barely touches them
    x[:, 2 * n_labels] = SHARED_SCALE
    x[:, 2 * n_labels + 1] = SHARED_SCALE * z
    for k, name in enumerate(names):
        x[:, 2 * n_labels + 2 + k] = SHARED_SCALE * features[name][rows]
    return x


SHARED_SCALE = 10.0


def fit_calibrator(
    scores: np.ndarray,
    gold: np.ndarray,
    flags: np.ndarray,
    names: Sequence[str] = (),
    words: Sequence[int] | None = None,
    articles: Sequence[str] | None = None,
    c: float = C_CALIBRATION,
) -> Calibrator:
    """Calibrator fitted on the flagged (paragraph, technique) pairs: is the flag right?
    ``names`` are the shared paragraph features it may use (``FEATURES``)."""
    from sklearn.linear_model import LogisticRegression

    from newsaudit.analyzers.technique_calibration import paragraph_features

    rows, cols = np.nonzero(flags)
    features = paragraph_features(scores, words, articles)
    x = _design(scores, rows, cols, features, names)
    y = gold[rows, cols].astype(int)
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000).fit(x, y)
    w = model.coef_.ravel()
    n = scores.shape[1]
    shared = dict(zip(names, SHARED_SCALE * w[2 * n + 2 :], strict=True))
    return Calibrator(
        intercept=w[:n] + SHARED_SCALE * w[2 * n],
        slope=w[n : 2 * n] + SHARED_SCALE * w[2 * n + 1],
        **{name: float(v) for name, v in shared.items()},
    )


def cross_fit(
    scores: np.ndarray,
    gold: np.ndarray,
    flags: np.ndarray,
    part: np.ndarray,
    names: Sequence[str] = (),
    words: Sequence[int] | None = None,
    articles: Sequence[str] | None = None,
) -> np.ndarray:
    """(n, n_labels) probabilities, each part's from a calibrator fitted on the other parts."""
    out = np.zeros(scores.shape, dtype=np.float64)
    w = None if words is None else np.asarray(words)
    a = None if articles is None else np.asarray(articles)
    for k in np.unique(part):
        mine = part == k
        calibrator = fit_calibrator(
            scores[~mine],
            gold[~mine],
            flags[~mine],
            names,
            None if w is None else w[~mine],
            None if a is None else list(a[~mine]),
        )
        out[mine] = calibrator.probabilities(
            scores[mine], None if w is None else w[mine], None if a is None else list(a[mine])
        )
    return out


@dataclass
class LevelScores:
    micro_f1_all: float
    precision_all: float
    recall_all: float
    strong_precision: float
    strong_recall: float
    strong_flags: int
    all_flags: int
    log_loss: float
    ece: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(float(v), 4) for k, v in vars(self).items()}


def level_scores(
    gold: np.ndarray,
    flags: np.ndarray,
    probabilities: np.ndarray,
    strong: float = STRONG_PROBABILITY,
    items: np.ndarray | None = None,
) -> LevelScores:
    """Precision and recall of all flags and of the strong ones (gold: every technique
    of every paragraph; no strong flag on the paragraphs that ``items`` marks as list
    items), and the calibration of the flags' probabilities."""
    strong_flags = flags & (probabilities >= strong)
    if items is not None:
        strong_flags &= ~items[:, None]
    n_gold = max(int(gold.sum()), 1)
    right = gold.astype(bool)
    p = np.clip(probabilities[flags], 1e-6, 1 - 1e-6)
    y = right[flags]
    return LevelScores(
        micro_f1_all=micro_f1_arrays(gold, flags.astype(np.int8)),
        precision_all=float(y.mean()) if len(y) else 0.0,
        recall_all=float((flags & right).sum() / n_gold),
        strong_precision=float(right[strong_flags].mean()) if strong_flags.any() else 0.0,
        strong_recall=float((strong_flags & right).sum() / n_gold),
        strong_flags=int(strong_flags.sum()),
        all_flags=int(flags.sum()),
        log_loss=float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean()) if len(y) else 0.0,
        ece=expected_calibration_error(p, y),
    )


def reliability(probabilities: np.ndarray, right: np.ndarray, bins: int = 10) -> list[dict]:
    """Per probability bin: flags, mean probability, share right (the reliability diagram)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(probabilities, edges[1:-1]), 0, bins - 1)
    out = []
    for b in range(bins):
        inside = which == b
        if inside.any():
            out.append(
                {
                    "bin": f"{edges[b]:.1f}-{edges[b + 1]:.1f}",
                    "flags": int(inside.sum()),
                    "mean_probability": round(float(probabilities[inside].mean()), 3),
                    "share_right": round(float(right[inside].mean()), 3),
                }
            )
    return out


def expected_calibration_error(probabilities: np.ndarray, right: np.ndarray) -> float:
    rows = reliability(probabilities, right)
    n = max(len(probabilities), 1)
    return sum(r["flags"] / n * abs(r["mean_probability"] - r["share_right"]) for r in rows)


# The calibrators compared: name -> (shared features, EM rounds of the prior adaptation to
# everyday news; 0 = none, 1 = the mean calibrated probability on news, 100 = converged EM).
DESIGNS: dict[str, tuple[tuple[str, ...], int]] = {
    "platt": ((), 0),
    "platt + gate": (("gate",), 0),
    "platt + gate + length": (("gate", "length"), 0),
    "platt + gate + article": (("gate", "article"), 0),
    "platt + gate + length + article": (("gate", "length", "article"), 0),
    "platt + prior (1 EM step)": ((), 1),
    "platt + gate + length + prior (1 EM step)": (("gate", "length"), 1),
    "platt + prior (EM)": ((), 100),
}
# The strong cut of a design: the lowest probability at which its strong flags, cross-fitted
# on parts 1-3 (never part 0), keep precision >= MIN_PRECISION (0.6 plus a margin) and at
# which the everyday-news sample gets at most a third of its all-flag rate as strong flags
# (the "a third of today's rate", measured on training outlets only).
MIN_PRECISION = 0.65
CUTS = tuple(round(c, 3) for c in np.arange(0.30, 0.6001, 0.025))


def strong_cut(
    gold: np.ndarray,
    flags: np.ndarray,
    probabilities: np.ndarray,
    news: NewsScores,
    news_flags: np.ndarray,
    news_probabilities: np.ndarray,
    items: np.ndarray | None = None,
) -> float:
    """The lowest cut of ``CUTS`` that keeps both the precision and the news budget."""
    budget = density(news, news_flags, news_probabilities, 1.1)["news_all_per_1000_words"] / 3
    for cut in CUTS:
        scored = level_scores(gold, flags, probabilities, cut, items)
        precise = scored.strong_precision >= MIN_PRECISION
        quiet = (
            density(news, news_flags, news_probabilities, cut)["news_strong_per_1000_words"]
            <= budget
        )
        if precise and quiet:
            return float(cut)
    return CUTS[-1]


MIN_PARTS_FOR_SELECTION = (1, 2, 3)


# The outer heads learn from a seeded fifth of the other languages' articles (all German
# ones of their parts): a quarter of the full recipe's time, which fits a session's budget.
OTHERS_SHARE = 0.2


def outer_heads(workers: int, log: Any) -> dict[int, AttentionHead]:
    """The attention heads of the four outer parts, each fitted without that part's German
    articles (the jobs of ``technique_folds.german_jobs``, seed 13) on the German articles
    of the other parts and ``OTHERS_SHARE`` of the other languages' articles; cached beside
    the e5 states."""
    import random
    from dataclasses import fields

    from newsaudit.analyzers.technique_model import AttentionHead
    from newsaudit.benchmarks.semeval import load_split, read_label_set
    from newsaudit.train.attention import fit_heads
    from newsaudit.train.embeddings import DEFAULT_CACHE
    from newsaudit.train.heads import SEED
    from newsaudit.train.technique_folds import german_jobs
    from newsaudit.train.technique_rows import MULTI, attention_examples

    directory = DEFAULT_CACHE.parent / "outer-heads"
    paths = {k: directory / f"part{k}.npz" for k in range(4)}
    if not all(p.is_file() for p in paths.values()):
        labels = read_label_set("techniques.txt")
        jobs = german_jobs(load_split("de"))
        wanted = {0: jobs["held_out"][0], **{k: jobs[f"part{k}"][0] for k in (1, 2, 3)}}
        others = []
        for lang in MULTI:
            articles = sorted(load_split(lang), key=lambda a: a.id)
            chosen = random.Random(SEED).sample(articles, round(len(articles) * OTHERS_SHARE))
            others += [e for exs in attention_examples(chosen, labels).values() for e in exs]
        german = attention_examples(load_split("de"), labels)
        fitted = fit_heads(list(wanted.values()), german, others, SEED, workers, log)
        directory.mkdir(parents=True, exist_ok=True)
        for k, job in wanted.items():
            head = fitted[job]
            np.savez(paths[k], **{f.name: getattr(head, f.name) for f in fields(head)})
    heads = {}
    for k, path in paths.items():
        with np.load(path) as stored:
            heads[k] = AttentionHead(**{f.name: stored[f.name] for f in fields(AttentionHead)})
    return heads


@dataclass
class NewsScores:
    """The everyday-news and unreliable training-outlet sample, flattened to paragraphs."""

    scores: np.ndarray
    words: list[int]
    articles: list[str]
    article_words: dict[str, int]
    article_news: dict[str, bool]
    items: np.ndarray  # (paragraphs,) list items, never strong


def news_scores(model: Any) -> NewsScores:
    from newsaudit.train.technique_news import score_news, training_outlet_sample

    scored = score_news(training_outlet_sample(), model)
    rows, words, articles, items = [], [], [], []
    for a in scored:
        rows.append(a.scores)
        words += list(a.block_words)
        articles += [a.id] * len(a.scores)
        items += list(a.block_items)
    return NewsScores(
        np.concatenate(rows),
        words,
        articles,
        {a.id: a.words for a in scored},
        {a.id: a.news for a in scored},
        np.array(items, dtype=bool),
    )


def density(
    news: NewsScores, flags: np.ndarray, probabilities: np.ndarray, strong: float
) -> dict[str, Any]:
    """Strong and all flags per 1,000 words of each article, and how they split the groups."""
    from newsaudit.benchmarks.metrics import roc_auc

    strong_of: dict[str, int] = dict.fromkeys(news.article_words, 0)
    all_of: dict[str, int] = dict.fromkeys(news.article_words, 0)
    n_strong = (flags & (probabilities >= strong) & ~news.items[:, None]).sum(axis=1)
    n_all = flags.sum(axis=1)
    for i, a in enumerate(news.articles):
        strong_of[a] += int(n_strong[i])
        all_of[a] += int(n_all[i])
    ids = sorted(news.article_words)
    rate = {
        level: {a: 1000 * counts[a] / max(news.article_words[a], 1) for a in ids}
        for level, counts in (("strong", strong_of), ("all", all_of))
    }

    def pooled(counts: dict[str, int], news_group: bool) -> float:
        chosen = [a for a in ids if news.article_news[a] == news_group]
        return 1000 * sum(counts[a] for a in chosen) / sum(news.article_words[a] for a in chosen)

    unreliable = [not news.article_news[a] for a in ids]
    return {
        "news_strong_per_1000_words": round(pooled(strong_of, True), 2),
        "news_all_per_1000_words": round(pooled(all_of, True), 2),
        "unreliable_strong_per_1000_words": round(pooled(strong_of, False), 2),
        "unreliable_all_per_1000_words": round(pooled(all_of, False), 2),
        "roc_auc_strong_density": round(roc_auc([rate["strong"][a] for a in ids], unreliable), 4),
        "roc_auc_all_density": round(roc_auc([rate["all"][a] for a in ids], unreliable), 4),
        "rates": rate,
    }


def _select(rows: np.ndarray, *arrays: Any) -> list[Any]:
    return [
        None
        if a is None
        else (a[rows] if isinstance(a, np.ndarray) else [a[i] for i in np.flatnonzero(rows)])
        for a in arrays
    ]


def train_calibration(output: Path | None = None, workers: int | None = None) -> dict[str, Any]:
    """Fit the outer heads (cached), score every German paragraph out of fold, compare the
    ``DESIGNS`` by cross-fitting, fit the chosen calibrator on every part, and write
    ``calibration.json``, ``calibration_metrics.json``, ``persuasion_reference.json`` and
    the card's calibration section."""
    import json
    import os

    from newsaudit.analyzers.technique_calibration import count_words, list_items
    from newsaudit.analyzers.technique_model import blend_scores
    from newsaudit.benchmarks.semeval import load_split, read_label_set
    from newsaudit.models import techniques as packaged
    from newsaudit.train.heads import log
    from newsaudit.train.technique_news import NEWS

    output = output or packaged.MODEL_DIR
    workers = workers or int(os.environ.get("NEWSAUDIT_THREADS", os.cpu_count() or 1))
    labels = read_label_set("techniques.txt")
    heads = outer_heads(workers, log)
    outer = outer_scores(load_split("de"), labels, heads)
    model = packaged.read(output)
    group = model.groups["de"]
    texts = outer.rows.texts
    empty = np.array([not t.strip() for t in texts])
    scores = blend_scores(outer.text, outer.attention, outer.rows.groups, empty, group.default_mix)
    flags = scores >= model.thresholds("de")
    gold = outer.rows.y
    words = np.array([count_words(t) for t in texts])
    items = list_items(texts)
    articles = np.array(outer.rows.groups)
    part = outer.part
    news = news_scores(model)
    news_flags = news.scores >= model.thresholds("de")
    log(f"scored {len(texts)} German paragraphs out of fold, {len(news.article_words)} news")

    # prior adaptation: the techniques' rates on everyday news by EM over its paragraphs
    from newsaudit.train.technique_news import prior_shift

    prose = ~empty
    full = fit_calibrator(scores[prose], gold[prose], np.ones_like(gold[prose], dtype=bool))
    is_news = np.array([news.article_news[a] for a in news.articles])
    source_prior = gold[prose].mean(axis=0)
    news_full = full.probabilities(news.scores[is_news])
    shifts = {rounds: prior_shift(news_full, source_prior, rounds) for rounds in (1, 100)}

    results: dict[str, Any] = {}
    fitted: dict[str, Calibrator] = {}
    crossfitted: dict[str, np.ndarray] = {}
    inner = part != 0
    for name, (names, adapt) in DESIGNS.items():
        p = cross_fit(scores, gold, flags, part, names, words, list(articles))
        s, g, f, pt, w, a, it = _select(inner, scores, gold, flags, part, words, articles, items)
        p_inner = cross_fit(s, g, f, pt, names, w, list(a))
        calibrator = fit_calibrator(scores, gold, flags, names, words, list(articles))
        if adapt:
            shift = shifts[adapt][1]
            p = sigmoid_shift(p, shift)
            p_inner = sigmoid_shift(p_inner, shift)
            calibrator.shift = shift
        news_p = calibrator.probabilities(news.scores, news.words, news.articles)
        cut = strong_cut(g, f, p_inner, news, news_flags, news_p, it)
        calibrator.strong = cut
        results[name] = {
            "features": list(names),
            "prior_adaptation_em_rounds": adapt,
            "strong_cut": cut,
            "parts_1_3_crossfit": level_scores(g, f, p_inner, cut, it).as_dict(),
            "part_0_held_out": level_scores(
                gold[~inner], flags[~inner], p[~inner], cut, items[~inner]
            ).as_dict(),
            "pooled_4_parts": level_scores(gold, flags, p, cut, items).as_dict(),
            "pooled_4_parts_strong_at_0.6": level_scores(gold, flags, p, 0.6, items).as_dict(),
            "news": {
                k: v for k, v in density(news, news_flags, news_p, cut).items() if k != "rates"
            },
        }
        fitted[name], crossfitted[name] = calibrator, p
        log(f"calibration {name}: {json.dumps(results[name])}")
    raw = level_scores(gold, flags, scores, items=items)
    chosen = max(results, key=lambda n: results[n]["parts_1_3_crossfit"]["strong_recall"])
    calibrator = fitted[chosen]
    p = crossfitted[chosen]
    right = gold.astype(bool)
    metrics = {
        "chosen": chosen,
        "rule": "each design's strong cut is the lowest probability (0.30-0.60) at which its "
        f"strong flags, cross-fitted on parts 1-3, keep precision >= {MIN_PRECISION} and at "
        "which everyday news gets at most a third of its all-flag rate as strong flags; the "
        "design with the highest strong recall on parts 1-3 at its cut",
        "designs": results,
        "uncalibrated_score_as_probability": raw.as_dict(),
        "reliability_pooled": reliability(p[flags], right[flags]),
        "reliability_part_0": reliability(
            p[flags & ~inner[:, None]], right[flags & ~inner[:, None]]
        ),
        "source_prior": [round(float(v), 4) for v in source_prior],
        "news_prior_1_em_step": [round(float(v), 4) for v in shifts[1][0]],
        "news_prior_em": [round(float(v), 4) for v in shifts[100][0]],
        "paragraphs": int(prose.sum()),
        "list_items": int(items.sum()),
        "articles": len(set(articles)),
    }
    calibrator.about = {
        "fitted_on": "flags of every German SemEval training paragraph, scored by heads of the "
        "outer part that never saw its article (train/technique_calibration.py)",
        "design": chosen,
    }
    multi, metrics["multi"] = multi_calibration(model, labels, chosen, log)
    packaged.save_calibrators({"de": calibrator, "multi": multi}, output)
    model.calibrators = {"de": calibrator, "multi": multi}
    news_p = calibrator.probabilities(news.scores, news.words, news.articles)
    rates = density(news, news_flags, news_p, calibrator.strong)["rates"]
    reference_ids = sorted(a for a in news.article_words if news.article_news[a])
    reference = {
        "languages": {
            "de": {
                "name": ", ".join(sorted(NEWS)),
                "articles": len(reference_ids),
                "strong_per_1000_words": sorted(
                    round(rates["strong"][a], 2) for a in reference_ids
                ),
                "all_per_1000_words": sorted(round(rates["all"][a], 2) for a in reference_ids),
            }
        }
    }
    (output / packaged.REFERENCE).write_text(json.dumps(reference, indent=1) + "\n", "utf-8")
    (output / "calibration_metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    from newsaudit.train.technique_card import write_calibration_section

    write_calibration_section(metrics, output)
    return metrics


def sigmoid_shift(probabilities: np.ndarray, shift: np.ndarray) -> np.ndarray:
    from newsaudit.numeric import sigmoid

    return sigmoid(logit(probabilities) + shift)


def multi_calibration(
    model: Any, labels: Sequence[str], design: str, log: Any
) -> tuple[Calibrator, dict]:
    """The other languages' calibrator (chosen German design, no prior adaptation), fitted on
    flags the multilingual heads never trained on: the fr/it/pl/ru dev splits and CheckThat!
    2024 English, each scored with its own blend and thresholds; its strong cut is chosen by
    cross-fitting over those five sets (one held out at a time); scored on en/dev, which
    nothing here fits or tunes on."""
    from newsaudit.analyzers.technique_calibration import count_words, list_items
    from newsaudit.benchmarks.checkthat import load_techniques_gold
    from newsaudit.benchmarks.semeval import load_split
    from newsaudit.train.technique_rows import encodings, paragraph_rows

    def scored(articles: Sequence[Article], language: str) -> tuple:
        rows = paragraph_rows(articles, labels)
        scores = model.technique_scores(rows.texts, language, encodings(rows.texts), rows.groups)
        flags = scores >= model.thresholds(language)
        words = np.array([count_words(t) for t in rows.texts])
        return scores, rows.y, flags, words, np.array(rows.groups), list_items(rows.texts)

    sets = {lang: scored(load_split(lang, "dev"), lang) for lang in ("fr", "it", "pl", "ru")}
    sets["en-checkthat"] = scored(load_techniques_gold({"en"}, set(labels)), "en")
    names = DESIGNS[design][0]
    scores, gold, flags, words, articles, items = (
        np.concatenate([s[i] for s in sets.values()]) for i in range(6)
    )
    part = np.concatenate([np.full(len(s[0]), k) for k, s in enumerate(sets.values())])
    p = cross_fit(scores, gold, flags, part, names, words, list(articles))
    cut = next(
        (
            c
            for c in CUTS
            if level_scores(gold, flags, p, c, items).strong_precision >= MIN_PRECISION
        ),
        CUTS[-1],
    )
    calibrator = fit_calibrator(scores, gold, flags, names, words, list(articles))
    calibrator.strong = float(cut)
    calibrator.about = {
        "fitted_on": "flags of the fr/it/pl/ru dev splits and CheckThat! 2024 English, "
        "scored by the shipped multilingual heads (never trained on them)",
        "design": design,
    }
    en_scores, en_gold, en_flags, en_words, en_articles, en_items = scored(
        load_split("en", "dev"), "en"
    )
    en_p = calibrator.probabilities(en_scores, en_words, list(en_articles))
    right = en_gold.astype(bool)
    metrics = {
        "strong_cut": float(cut),
        "fitting_sets_crossfit": level_scores(gold, flags, p, cut, items).as_dict(),
        "en_dev": level_scores(en_gold, en_flags, en_p, cut, en_items).as_dict(),
        "en_dev_reliability": reliability(en_p[en_flags], right[en_flags]),
    }
    log(f"multi calibration: {metrics}")
    return calibrator, metrics
