"""Seconds to compare an article with a 5,000-word source on one core.

The article is the sample (`../shared/samples/seed-article-de.txt`); the source is a
5,000-word press-briefing transcript built in this script from hand-written template
sentences (no news text), with the sample's source passage in its middle so that the
article's quotes have something to align with. Measures, in the same process and run:
the first comparison (models loading), the warm comparison (best of N wall-clock runs,
with its stages, and its CPU seconds, which other work on a shared machine does not
inflate), and as baseline the article pipeline alone (entities, quotes, claims),
which every comparison runs first.

    OMP_NUM_THREADS=1 python bench/compare_speed.py [--words 5000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import SHARED_DATA, print_table, write_results  # noqa: E402

SAMPLES = SHARED_DATA.parent / "samples"
SUBJECTS = (
    "The ministry",
    "Our partners",
    "The delegation",
    "The committee",
    "The government",
    "Our team",
    "The commission",
    "The agency",
    "The negotiators",
    "The regional office",
)
VERBS = (
    "will review",
    "has discussed",
    "is preparing",
    "expects to publish",
    "has received",
    "continues to monitor",
    "may revise",
    "intends to support",
    "has not yet seen",
    "plans to present",
)
OBJECTS = (
    "the new budget proposal",
    "the report on water supplies",
    "a plan for the harbour",
    "the figures for the second quarter",
    "the agreement on fishing rights",
    "the request from the city council",
    "a programme for vocational schools",
    "the draft of the transport law",
    "the proposal for rural clinics",
    "the results of the survey",
)
TAILS = (
    "before the end of the month.",
    "in close cooperation with the local authorities.",
    "and will inform the press next week.",
    "after consultations with experts.",
    "as soon as the data are complete.",
    "without further delay.",
)


def transcript(words: int, passage: str) -> str:
    """A long briefing: questions and answers of template sentences, the passage midway."""
    combos = itertools.product(SUBJECTS, VERBS, OBJECTS, TAILS)
    lines: list[str] = []
    count = 0
    inserted = False
    for n, (s, v, o, t) in enumerate(combos):
        if not inserted and count >= words // 2:
            lines.append(f"SPOKESPERSON: {passage}")
            count += len(passage.split())
            inserted = True
        speaker = "QUESTION" if n % 5 == 0 else "SPOKESPERSON"
        sentence = f"{s} {v} {o} {t}"
        if speaker == "QUESTION":
            sentence = f"Can you tell us whether {s.lower()} {v} {o}?"
        lines.append(f"{speaker}: {sentence}")
        count += len(sentence.split()) + 1
        if count >= words:
            break
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    article_path, source_path = SAMPLES / "seed-article-de.txt", SAMPLES / "seed-source-en.txt"
    if not article_path.is_file() or not source_path.is_file():
        raise SystemExit(f"the sample article and source are not in {SAMPLES}")

    from newsaudit.compare.comparison import article_pipeline, compare
    from newsaudit.ingest import load_path

    article = article_path.read_text(encoding="utf-8")
    passage = source_path.read_text(encoding="utf-8").split("\n\n", 1)[-1].strip()
    source = transcript(args.words, passage)
    words = len(source.split())

    started = time.perf_counter()
    report = compare(article, [source])
    cold = time.perf_counter() - started
    warm, cpu, stages = float("inf"), float("inf"), {}
    for _ in range(args.repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        report = compare(article, [source])
        elapsed = time.perf_counter() - started
        cpu = min(cpu, time.process_time() - started_cpu)
        if elapsed < warm:
            warm, stages = elapsed, report.timings
    document = load_path(article_path)
    baseline, baseline_cpu = float("inf"), float("inf")
    for _ in range(args.repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        article_pipeline().run(document)
        baseline = min(baseline, time.perf_counter() - started)
        baseline_cpu = min(baseline_cpu, time.process_time() - started_cpu)

    figures = {
        "source_words": words,
        "source_sentences": source.count("\n") + 1,
        "first_compare_s": round(cold, 3),
        "compare_s": round(warm, 3),
        "compare_cpu_s": round(cpu, 3),
        "stages_s": stages,
        "baseline_article_pipeline_s": round(baseline, 3),
        "baseline_article_pipeline_cpu_s": round(baseline_cpu, 3),
        "compare_over_baseline": round(warm / baseline, 2),
        "findings": len(report.findings),
        "alignments": len(report.alignments),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "target_s": 2.0,
    }
    print_table([(k, str(v)) for k, v in figures.items()])
    path = write_results(
        "compare_speed",
        figures,
        f"the sample article against a {words}-word template transcript with the sample "
        "source passage in its middle; best of "
        f"{args.repeats} warm runs, wall clock, one thread",
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
