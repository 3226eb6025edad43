"""Train the persuasion-technique, evidence, genre and frame model (deterministic, seeded).

Validation design (never tuned on what is reported):
- German: a seeded 25% of the German training *articles* is held out as the test set.
  Thresholds and ensemble weights are chosen by grouped cross-validation on the rest.
  Every German article is also held out once (4 parts, the recipe re-run on the rest).
- Other languages (the ``multi`` group): trained on the train splits of en, fr, it, pl, ru;
  weights and thresholds chosen on later-period sets never trained on (the fr/it/pl/ru dev
  splits; CheckThat! 2024 English for English); English is reported on the official
  ``en/dev`` split, which is never trained or tuned on.
- Genre and frames: grouped cross-validation over German articles, with every choice made
  by an inner CV (``train/article_heads.py``).

Every attention head the recipe needs (cross-validation folds, held-out and outer parts,
the shipped heads) is known before any is fitted, so they are fitted side by side.

Modules: ``technique_folds`` (which articles each part sees), ``technique_rows`` (paragraph
rows, encodings, head scores), ``technique_german`` and ``technique_multi`` (the two
recipes); this one fits the heads and writes the model.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsaudit.analyzers.technique_model import TechniqueModel
from newsaudit.benchmarks.semeval import LANGUAGES, load_split, read_label_set, shared_semeval_root
from newsaudit.train.attention import fit_heads
from newsaudit.train.heads import SEED, log
from newsaudit.train.technique_folds import german_jobs, multi_job
from newsaudit.train.technique_german import train_german
from newsaudit.train.technique_multi import train_multi
from newsaudit.train.technique_rows import MULTI, attention_examples, encodings


def train_all(output: Path | None = None, workers: int | None = None) -> TechniqueModel:
    """Train every head, write the model files (``models.techniques.save``),
    ``metrics.json`` and ``MODEL_CARD.md``."""
    import os

    from newsaudit.models import techniques as packaged
    from newsaudit.train.article_heads import train_genre_frames
    from newsaudit.train.technique_card import write_card

    output = output or packaged.MODEL_DIR
    output.mkdir(parents=True, exist_ok=True)
    root = shared_semeval_root()
    if not root.is_dir():
        from newsaudit.errors import InputError

        raise InputError(f"SemEval-2023 data not found at {root} (set NEWSAUDIT_SHARED)")
    techniques = read_label_set("techniques.txt")
    frames = read_label_set("frames.txt")
    genres = ["opinion", "reporting", "satire"]
    german = load_split("de")
    jobs = german_jobs(german)
    jobs["multi"] = [multi_job()]
    examples = {lang: attention_examples(load_split(lang), techniques) for lang in LANGUAGES}
    others = [e for lang in MULTI for exs in examples[lang].values() for e in exs]
    workers = workers or int(os.environ.get("NEWSAUDIT_THREADS", os.cpu_count() or 1))
    flat = [job for js in jobs.values() for job in js]
    log(f"fitting {len(flat)} attention heads on {workers} workers")
    fitted = fit_heads(flat, examples["de"], others, SEED, workers, log)
    heads = {name: [fitted[job] for job in js] for name, js in jobs.items()}
    de_group, de_metrics = train_german(techniques, heads)
    de_article_metrics = train_genre_frames(de_group, ["de"], genres, frames, encodings)
    multi_group, multi_metrics = train_multi(techniques, heads["multi"][0])
    multi_article_metrics = train_genre_frames(
        multi_group, MULTI, genres, frames, None, k=3, style=False
    )
    metrics = {
        "techniques_de": de_metrics,
        "techniques_multi": multi_metrics,
        "genre_frames_de": de_article_metrics,
        "genre_frames_multi": multi_article_metrics,
    }
    model = TechniqueModel(
        techniques=list(techniques),
        genres=genres,
        frames=list(frames),
        groups={"de": de_group, "multi": multi_group},
        languages=list(LANGUAGES),
    )
    files = packaged.save(model, output)
    (output / "metrics.json").write_text(json.dumps(metrics, indent=2, default=float) + "\n")
    write_card(metrics, output, sum(f.stat().st_size for f in files) / 1e6)
    log(f"wrote {', '.join(str(f) for f in files)}")
    return model
