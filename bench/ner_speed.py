"""Words per second of the entity analyzer on one core.

The main figure is words per CPU second of this single-threaded process: the machine is
shared, so wall-clock time measures the neighbours as much as the analyzer (it is
recorded too).

Input: the first N German FANG-COVID articles from ../shared/data (not shipped). The
baseline measured in the same run is the text layer alone (spaCy's tokenizer plus our
sentence splitter), which every analyzer needs anyway; the issue's reference point is
spaCy's de_core_news_sm at 8,366 words/s (its published CPU figure, not measured here).

Run: OMP_NUM_THREADS=1 PYTHONPATH=src python bench/ner_speed.py [--articles 300]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from common import SHARED_DATA, print_table, write_results  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    source = SHARED_DATA / "news-fang-covid" / "fang-covid-text-only.jsonl.gz"
    if not source.is_file():
        sys.exit(f"needs {source}")

    from newsaudit.analyzers.base import Context
    from newsaudit.analyzers.entities import EntityAnalyzer
    from newsaudit.ingest import document_from_text
    from newsaudit.nlp.tokens import build_text_layer

    with gzip.open(source, "rt", encoding="utf-8") as f:
        texts = [
            f"{r['header']}\n\n{r['article']}"
            for r in map(json.loads, itertools.islice(f, args.articles))
        ]
    documents = [document_from_text(t) for t in texts]
    analyzer = EntityAnalyzer()
    analyzer.load()
    analyzer.analyze(Context(documents[0], build_text_layer(documents[0])))  # warm-up

    cpu = time.process_time()
    layers = [build_text_layer(d) for d in documents]
    layer_cpu = time.process_time() - cpu
    words = sum(1 for layer in layers for t in layer.doc if not t.is_space and not t.is_punct)
    tokens = sum(1 for layer in layers for t in layer.doc if not t.is_space)

    began, cpu = time.perf_counter(), time.process_time()
    entities = 0
    for document, layer in zip(documents, layers, strict=True):
        entities += len(analyzer.analyze(Context(document, layer))["entities"])
    ner_seconds = time.perf_counter() - began
    ner_cpu = time.process_time() - cpu

    figures = {
        "articles": len(documents),
        "words": words,
        "entities": entities,
        "entity_analyzer_words_per_cpu_second": round(words / ner_cpu),
        "entity_analyzer_tokens_per_cpu_second": round(tokens / ner_cpu),
        "entity_analyzer_words_per_wall_second": round(words / ner_seconds),
        "text_layer_words_per_cpu_second": round(words / layer_cpu),
        "entity_analyzer_vs_text_layer_cpu_time": round(ner_cpu / layer_cpu, 2),
        "reference_de_core_news_sm_words_per_second": 8366,
        "threads": 1,
    }
    print_table([(k, str(v)) for k, v in figures.items()])
    path = write_results(
        "ner_speed", figures, f"first {len(documents)} FANG-COVID articles (German news)"
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
