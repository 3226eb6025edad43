"""Paragraphs per second of the techniques + genre/frames analyzers on one core.

Two baselines in the same run, on the same paragraphs:
- an XLM-RoBERTa-large-sized sequence classifier (24 layers, 1024 wide, 16 heads, 4096 FFN,
  250,002-piece vocabulary; random weights, since only compute is compared) in torch on
  one thread, fed the same word pieces (XLM-R and multilingual-e5 share their
  SentencePiece vocabulary), batched by length like newsaudit, truncated at 512;
  this is what the SemEval-2023 winners ran. Needs torch (`pip install torch==2.13.0`);
  without it the comparison is skipped. `--xlmr N` limits it to the first N paragraphs.
- the TF-IDF heads alone (no e5), i.e. what e5 and the attention head cost.
newsaudit's figure covers the e5 encoding of every paragraph, the technique scores, the
word-level evidence of every flag, and genre and frames.
Input: the held-out German SemEval paragraphs when ../shared/data is present, otherwise the
sample article's paragraphs repeated.

Run: PYTHONPATH=src python -m bench.techniques_speed [PARAGRAPHS] [--xlmr N]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench.common import SHARED_DATA, print_table, write_results  # noqa: E402


def _paragraphs() -> tuple[list[str], str]:
    if (SHARED_DATA / "semeval2023-task3").is_dir():
        from newsaudit.benchmarks.semeval import load_split
        from newsaudit.train.technique_folds import german_held_out

        articles = load_split("de")
        held = german_held_out(articles)
        texts = [p.text for a in articles if a.id in held for p in a.paragraphs if p.text]
        return texts, f"{len(texts)} held-out German SemEval paragraphs"
    sample = (SHARED_DATA.parent / "samples" / "seed-article-de.txt").read_text(encoding="utf-8")
    texts = [p for p in sample.split("\n") if p.strip()] * 20
    return texts, f"{len(texts)} sample-article paragraphs (repeated)"


def xlmr_large_paragraphs_per_s(texts: list[str]) -> float | None:
    """Forward passes of an XLM-R-large-sized classifier over `texts`, one thread."""
    try:
        import torch
    except ImportError:
        return None
    from torch import nn

    from newsaudit.encoder.pieces import WordPieces
    from newsaudit.encoder.weights import read_e5

    torch.set_num_threads(1)
    torch.manual_seed(0)
    vocabulary = read_e5(with_layers=False).vocabulary
    pieces = WordPieces(vocabulary)
    rows = [
        [vocabulary.bos, *[i for w in t.split() for i in pieces.segment(w)][:510], vocabulary.eos]
        for t in texts
    ]

    class XlmrLargeClassifier(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.words = nn.Embedding(250_002, 1024)
            self.positions = nn.Embedding(514, 1024)
            self.norm = nn.LayerNorm(1024)
            layer = nn.TransformerEncoderLayer(
                1024, 16, 4096, activation="gelu", batch_first=True, dropout=0.0
            )
            self.encoder = nn.TransformerEncoder(layer, 24, enable_nested_tensor=False)
            self.head = nn.Sequential(nn.Linear(1024, 1024), nn.Tanh(), nn.Linear(1024, 23))

        def forward(self, ids: torch.Tensor, pad: torch.Tensor) -> torch.Tensor:
            positions = torch.arange(ids.shape[1]).unsqueeze(0)
            x = self.norm(self.words(ids) + self.positions(positions))
            return self.head(self.encoder(x, src_key_padding_mask=pad)[:, 0])

    model = XlmrLargeClassifier().eval()
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    started = time.perf_counter()
    with torch.inference_mode():
        for j in range(0, len(order), 8):
            batch = [rows[i] for i in order[j : j + 8]]
            width = max(len(r) for r in batch)
            ids = torch.full((len(batch), width), vocabulary.pad, dtype=torch.long)
            pad = torch.ones((len(batch), width), dtype=torch.bool)
            for r, row in enumerate(batch):
                ids[r, : len(row)] = torch.tensor(row)
                pad[r, : len(row)] = False
            model(ids, pad)
    return len(rows) / (time.perf_counter() - started)


def main() -> None:
    import numpy as np

    from newsaudit.analyzers import embeddings
    from newsaudit.analyzers.technique_model import word_scores
    from newsaudit.models import techniques

    parser = argparse.ArgumentParser()
    parser.add_argument("paragraphs", type=int, nargs="?", default=200)
    parser.add_argument("--xlmr", type=int, default=60, help="paragraphs for XLM-R-large")
    args = parser.parse_args()
    limit, xlmr_limit = args.paragraphs, args.xlmr
    texts, description = _paragraphs()
    texts = texts[:limit]
    description = f"first {len(texts)} of {description}"
    model = techniques.load()
    model.technique_scores(texts[:2], "de")  # warm up vectorizers

    started = time.perf_counter()
    model.predict_techniques(texts, "de")
    tfidf_s = time.perf_counter() - started

    embeddings._embedder()
    started = time.perf_counter()
    encodings = embeddings.ParagraphEncodings(texts)  # as the analyzers share them
    reader = model.piece_reader("de")
    reads = [encodings.read(row, "techniques", reader) for row in range(len(texts))]
    scores, pieces = model.score_paragraphs(texts, "de", reads=reads)
    for row in np.flatnonzero((scores >= model.thresholds("de")).any(axis=1)):
        encoded, piece_scores = encodings[row], pieces[row]
        if encoded is not None and piece_scores is not None:
            word_scores(piece_scores, encoded.spans)
    model.genre_scores("\n".join(texts[:20]), "de", encodings[:20])
    model.frame_scores("\n".join(texts[:20]), "de", encodings[:20])
    full_s = time.perf_counter() - started

    figures = {
        "paragraphs": len(texts),
        "tfidf_only_paragraphs_per_s": round(len(texts) / tfidf_s, 1),
        "full_paragraphs_per_s": round(len(texts) / full_s, 1),
        "full_vs_tfidf_slowdown": round(full_s / tfidf_s, 1),
        "threads": os.environ["OMP_NUM_THREADS"],
        "piece_state_dim": int(np.prod(embeddings._embedder().encode(texts[0]).states.shape[1:])),
    }
    xlmr = xlmr_large_paragraphs_per_s(texts[:xlmr_limit])
    if xlmr is not None:
        figures["xlmr_large_paragraphs"] = min(xlmr_limit, len(texts))
        figures["xlmr_large_paragraphs_per_s"] = round(xlmr, 2)
        figures["newsaudit_vs_xlmr_large_speedup"] = round(len(texts) / full_s / xlmr, 1)
    print_table([(k, str(v)) for k, v in figures.items()])
    print(write_results("techniques_speed", figures, description))


if __name__ == "__main__":
    main()
