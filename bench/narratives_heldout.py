"""Score a held-out narratives split once with the packaged model and record it in the model's
metrics.json and card: `newsaudit predict narratives` on the split (in an empty data
directory, so no user index takes part), its success@k and false-match rate, and the
zero-shot oracle of the issue (raw e5, the one cosine threshold at which 10% of the split's
own negatives match).

    python bench/narratives_heldout.py test6

A split already recorded is refused: a held-out split is scored once, after every choice is
frozen (``--again`` overrides, and the card should then say how often it was read).
``--seen`` scores the sets read before (``trainer.SEEN_SPLITS``: diagnosed, tuned on or
trained on; not held out) and records them together, as often as wanted.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def main(argv: list[str]) -> None:
    from newsaudit.analyzers.embeddings import sentence_vectors
    from newsaudit.benchmarks.narratives import is_truncated, read_gold
    from newsaudit.models import narratives
    from newsaudit.train import narratives as trainer

    if argv[:1] == ["--seen"]:
        seen = {name: _scores(name) for name in trainer.SEEN_SPLITS}
        trainer.record({"seen": seen})
        print(json.dumps(seen, indent=1))
        return
    split = argv[0] if argv else ""
    if split not in trainer.HELD_OUT_SPLITS:
        raise SystemExit(
            f"usage: narratives_heldout.py {{{','.join(trainer.HELD_OUT_SPLITS)}}} | --seen"
        )
    metrics = json.loads((narratives.MODEL_DIR / "metrics.json").read_text(encoding="utf-8"))
    if metrics.get(split) and "--again" not in argv:
        raise SystemExit(f"{split} is recorded already: {metrics[split]}")
    gold = read_gold(trainer.BENCH / f"{split}.tsv")
    scores = _scores(split)
    model = narratives.load()
    titles = sum(not is_truncated(c.title) for c in model.cases)
    zero_shot = trainer._zero_shot(model, gold, sentence_vectors([q.text for q in gold]), titles)
    entry = {
        **scores,
        "label": f"{split} (held out: scored once, after every choice was fixed)",
    }
    trainer.record({split: entry, f"{split}_zero_shot": zero_shot})
    print(json.dumps({split: entry, f"{split}_zero_shot": zero_shot}, indent=1))


def _scores(split: str) -> dict:
    """``newsaudit predict narratives`` on a split (in an empty data directory, so no user
    index takes part) and its success@k and false-match rate."""
    from newsaudit.benchmarks.metrics import match_scores
    from newsaudit.benchmarks.narratives import read_gold, read_predictions
    from newsaudit.train import narratives as trainer

    gold_path = trainer.BENCH / f"{split}.tsv"
    gold = read_gold(gold_path)
    with tempfile.TemporaryDirectory() as scratch:
        predicted_path = Path(scratch) / "pred.tsv"
        subprocess.run(
            [sys.executable, "-m", "newsaudit", "predict", "narratives", "--input",
             str(gold_path), "--output", str(predicted_path)],
            check=True,
            env={**_environment(), "NEWSAUDIT_DATA_DIR": scratch},
        )  # fmt: skip
        predicted = read_predictions(predicted_path)
    return match_scores([(q.query_id, q.titles) for q in gold], predicted).__dict__


def _environment() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(REPO / "src")}


if __name__ == "__main__":
    main(sys.argv[1:])
