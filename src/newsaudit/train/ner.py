"""Train the packaged German NER: five corpora mapped onto GermEval's outer labels.

WHY this shape: a spaCy CNN (hash embeddings + floret vectors from German news + a
transition-based NER) tags ~10k words/s on one core without torch, and the extra corpora
and vectors close most of the gap that a GermEval-only model leaves.

Label mapping (also in the model card):
- GermEval 2014: outer layer as is, all 12 labels (PER/ORG/LOC/OTH with -deriv/-part).
- CoNLL-2003 German, EuroParl (IOB1): PER, ORG, LOC kept; MISC -> OTH, except a one-token
  MISC without a hyphen that is written in lower case ("deutschen") or ends like a word
  derived from a place or people ("Frankfurter", "Palästinenser", "Briten": -er, -ern,
  -ers, -e, -en, -isch) -> LOCderiv, which is how GermEval marks such words.
- MultiCoNER II German (lower-cased text, re-cased with each word's most frequent form in
  FANG-COVID news; unknown words inside names capitalised): person types -> PER,
  group/company types -> ORG, settlements/stations/other places -> LOC, works/software/
  vehicles/other products -> OTH; medical, food, drink and clothing mentions -> O (they are
  mostly common nouns, not names). Sentences with a Facility are left out: many of those
  spans are common nouns ("Aussichtsplattform", "Gewächshaus").
- German LER: PER/RR/AN -> PER; LD/ST/STR/LDS -> LOC; ORG/UN/INN/GRT/MRK -> ORG. Sentences
  with legal norms, case law, contracts or literature references (GS, VO, EUN, VS, VT, RS,
  LIT) are left out: GermEval annotates such things inconsistently, so they would teach
  contradictions. Of the rest, only sentences with an entity are kept, at most 6,000.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsaudit.errors import InputError
from newsaudit.tasks.ner import (
    Scores,
    TaggedSentence,
    evaluate_files,
    format_germeval,
    format_scores,
    read_germeval,
)

SEED = 20141
MODEL_VERSION = "1.0.0"
TEST_FRACTION = 0.20
DEV_FRACTION = 0.10
GERMEVAL_REPEATS = 2
LER_CAP = 6000
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner"

MULTICONER = {
    "PER": ("Artist", "Athlete", "Politician", "Scientist", "SportsManager", "Cleric", "OtherPER"),
    "ORG": (
        "ORG",
        "SportsGRP",
        "MusicalGRP",
        "PublicCorp",
        "PrivateCorp",
        "AerospaceManufacturer",
        "CarManufacturer",
    ),
    "LOC": ("HumanSettlement", "Station", "OtherLOC"),
    "OTH": (
        "VisualWork",
        "MusicalWork",
        "WrittenWork",
        "ArtWork",
        "Software",
        "OtherPROD",
        "Vehicle",
    ),
}
MULTICONER_MAP = {fine: coarse for coarse, fines in MULTICONER.items() for fine in fines}
LER_MAP = {
    **dict.fromkeys(("PER", "RR", "AN"), "PER"),
    **dict.fromkeys(("LD", "ST", "STR", "LDS"), "LOC"),
    **dict.fromkeys(("ORG", "UN", "INN", "GRT", "MRK"), "ORG"),
}
LER_DROP = frozenset({"GS", "VO", "EUN", "VS", "VT", "RS", "LIT"})


def _blocks(path: Path) -> Iterator[list[list[str]]]:
    """Blank-line separated blocks of whitespace/tab split rows, comments dropped."""
    rows: list[list[str]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                if rows:
                    yield rows
                rows = []
            elif not line.startswith("# "):
                rows.append(line.split("\t") if "\t" in line else line.split(" "))
    if rows:
        yield rows


_DERIVED_ENDINGS = ("er", "ern", "ers", "e", "en", "isch")


def _derived(word: str) -> bool:
    """A one-word MISC that GermEval would call LOCderiv: an adjective ("deutschen") or a
    word for people or things of a place ("Frankfurter", "Palästinenser", "Briten")."""
    return "-" not in word and (word[:1].islower() or word.endswith(_DERIVED_ENDINGS))


def iob1_to_bio(tokens: list[str], tags: list[str]) -> list[str]:
    """CoNLL IOB1 (``I-`` starts a span unless it follows the same type) to BIO over GermEval
    labels, with MISC mapped as described in the module docstring."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        kind = tag[2:] if tag != "O" else ""
        if not kind:
            out.append("O")
        elif tag.startswith("B-") or prev != kind:
            out.append(f"B-{kind}")
        else:
            out.append(f"I-{kind}")
        prev = kind or "O"
    mapped: list[str] = []
    for i, tag in enumerate(out):
        if tag == "O" or not tag.endswith("MISC"):
            mapped.append(tag)
            continue
        single = tag.startswith("B-") and (i + 1 == len(out) or out[i + 1] != "I-MISC")
        if single and _derived(tokens[i]):
            mapped.append("B-LOCderiv")
        else:
            mapped.append(tag[:2] + "OTH")
    return mapped


def _mapped_bio(tags: list[str], mapping: dict[str, str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        kind = mapping.get(tag[2:]) if tag != "O" else None
        if kind is None:
            out.append("O")
        elif tag.startswith("I-") and out and out[-1][2:] == kind:
            out.append(f"I-{kind}")
        else:
            out.append(f"B-{kind}")
    return out


def load_conll_de(folder: Path) -> list[TaggedSentence]:
    sentences = []
    for name in ("train.txt", "dev.txt", "test.txt"):
        for rows in _blocks(folder / name):
            tokens = [r[0] for r in rows]
            sentences.append(TaggedSentence(tokens, iob1_to_bio(tokens, [r[-1] for r in rows])))
    return sentences


def load_europarl(folder: Path) -> list[TaggedSentence]:
    sentences = []
    for name in ("train.tsv", "dev.tsv", "test.tsv"):
        for rows in _blocks(folder / name):
            tokens = [r[0] for r in rows]
            tags = [r[4] if len(r) > 4 else "O" for r in rows]
            sentences.append(TaggedSentence(tokens, iob1_to_bio(tokens, tags)))
    return sentences


def casing_table(corpus: Path) -> dict[str, str]:
    """Most frequent written form of each lower-cased word in a tokenised text file."""
    from collections import Counter

    counts: Counter[str] = Counter()
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            counts.update(line.split())
    best: dict[str, tuple[int, str]] = {}
    for word, n in counts.items():
        key = word.lower()
        if n > best.get(key, (0, ""))[0]:
            best[key] = (n, word)
    return {k: w for k, (_, w) in best.items()}


def truecase(sentence: TaggedSentence, casing: dict[str, str]) -> TaggedSentence:
    """Restore German casing of a lower-cased sentence: each word as news text writes it
    most often; unknown words inside a name are capitalised; the first word too."""
    tokens = []
    for i, (token, tag) in enumerate(zip(sentence.tokens, sentence.outer, strict=True)):
        word = casing.get(token)
        if word is None:
            word = token[:1].upper() + token[1:] if tag != "O" else token
        if i == 0:
            word = word[:1].upper() + word[1:]
        tokens.append(word)
    return TaggedSentence(tokens, sentence.outer)


def load_multiconer(folder: Path, casing: dict[str, str] | None = None) -> list[TaggedSentence]:
    """MultiCoNER II German; its text is lower-cased, so ``casing`` restores it."""
    sentences = []
    for name in ("de-train.conll", "de-dev.conll"):
        for rows in _blocks(folder / name):
            rows = [r for r in rows if r and r[0]]
            tokens = [r[0] for r in rows]
            raw = [r[-1] for r in rows]
            if any(t.endswith("-Facility") for t in raw):
                continue
            tags = _mapped_bio(raw, MULTICONER_MAP)
            sentence = TaggedSentence(tokens, tags)
            sentences.append(truecase(sentence, casing) if casing is not None else sentence)
    return sentences


def load_ler(folder: Path, rng: random.Random) -> list[TaggedSentence]:
    kept = []
    for path in sorted(folder.glob("*.conll")):
        for rows in _blocks(path):
            rows = [r for r in rows if len(r) >= 2 and r[0]]
            raw = [r[-1] for r in rows]
            kinds = {t[2:] for t in raw if t != "O"}
            if not kinds or kinds & LER_DROP:
                continue
            tokens = [r[0] for r in rows]
            kept.append(TaggedSentence(tokens, _mapped_bio(raw, LER_MAP)))
    rng.shuffle(kept)
    return kept[:LER_CAP]


def split_germeval(
    sentences: list[TaggedSentence], seed: int = SEED
) -> tuple[list[TaggedSentence], list[TaggedSentence], list[TaggedSentence]]:
    """Seeded split by source (the comment line naming article and date), so sentences of
    one source never sit on both sides: (train, dev, test)."""
    sources = sorted({s.comments[0].split("\t")[1] if s.comments else "" for s in sentences})
    random.Random(seed).shuffle(sources)
    n_test = round(len(sources) * TEST_FRACTION)
    n_dev = round(len(sources) * DEV_FRACTION)
    test_src = set(sources[:n_test])
    dev_src = set(sources[n_test : n_test + n_dev])
    train, dev, test = [], [], []
    for s in sentences:
        src = s.comments[0].split("\t")[1] if s.comments else ""
        (test if src in test_src else dev if src in dev_src else train).append(s)
    return train, dev, test


def _docbin(sentences: Iterable[TaggedSentence], path: Path) -> int:
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("de").vocab
    db = DocBin(store_user_data=False)
    n = 0
    for s in sentences:
        ents = [t if t != "O" else "O" for t in s.outer]
        doc = Doc(vocab, words=s.tokens, ents=ents)
        db.add(doc)
        n += 1
    db.to_disk(path)
    return n


CONFIG = """
[paths]
train = null
dev = null
vectors = null

[system]
gpu_allocator = null
seed = {seed}

[nlp]
lang = "de"
pipeline = ["tok2vec","ner"]
batch_size = 1000
tokenizer = {{"@tokenizers":"spacy.Tokenizer.v1"}}

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [5000,1000,2500,2500]
include_static_vectors = {static}

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = 4
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${{components.tok2vec.model.encode.width}}

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
gpu_allocator = null
dropout = 0.1
accumulate_gradient = 1
patience = 3000
max_epochs = 0
max_steps = {max_steps}
eval_frequency = 500
frozen_components = []
annotating_components = []
before_to_disk = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = true
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[initialize]
vectors = ${{paths.vectors}}
"""


def build_corpora(
    data: Path, workdir: Path, extra: bool = True, casing: dict[str, str] | None = None
) -> dict[str, int]:
    """Write train/dev/test DocBins and the held-out GermEval TSV; returns sentence counts."""
    ner = data / "ner"
    germeval_path = ner / "germeval2014" / "NER-de-test.tsv"
    if not germeval_path.is_file():
        raise InputError(f"GermEval 2014 is not at {germeval_path}")
    train, dev, test = split_germeval(read_germeval(germeval_path))
    rng = random.Random(SEED)
    extra_sets: dict[str, list[TaggedSentence]] = {}
    if extra:
        extra_sets = {
            "conll2003-de": load_conll_de(ner / "conll2003-de-xglue"),
            "europarl-de": load_europarl(ner / "europarl-de"),
            "multiconer2-de": load_multiconer(ner / "multiconer2-de", casing),
            "german-ler": load_ler(ner / "german-ler", rng),
        }
    pool = train * GERMEVAL_REPEATS + [s for v in extra_sets.values() for s in v]
    rng.shuffle(pool)
    workdir.mkdir(parents=True, exist_ok=True)
    _docbin(pool, workdir / "train.spacy")
    _docbin(train, workdir / "train-germeval.spacy")
    _docbin(dev, workdir / "dev.spacy")
    (workdir / "germeval-dev.tsv").write_text(format_germeval(dev), encoding="utf-8")
    (workdir / "germeval-test.tsv").write_text(format_germeval(test), encoding="utf-8")
    counts = {"germeval-train": len(train), "germeval-dev": len(dev), "germeval-test": len(test)}
    counts.update({k: len(v) for k, v in extra_sets.items()})
    return counts


def write_config(path: Path, vectors: Path | None, max_steps: int, width: int = 96) -> None:
    path.write_text(
        CONFIG.format(
            seed=SEED,
            width=width,
            static="true" if vectors else "false",
            max_steps=max_steps,
        ),
        encoding="utf-8",
    )


def vectors_model(table: Path, out: Path) -> Path:
    """A spaCy pipeline directory holding only the vectors (for ``[initialize]``)."""
    if (out / "vocab").is_dir():
        return out
    import spacy
    from spacy.training.initialize import convert_vectors

    nlp = spacy.blank("de")
    convert_vectors(nlp, table, truncate=0, prune=-1, mode="default")
    nlp.to_disk(out)
    return out


def train_model(workdir: Path, vectors: Path | None, max_steps: int, name: str) -> Path:
    from spacy.cli.train import train as spacy_train

    config = workdir / f"{name}.cfg"
    write_config(config, vectors, max_steps)
    out = workdir / name
    overrides = {
        "paths.train": str(workdir / "train.spacy"),
        "paths.dev": str(workdir / "dev.spacy"),
        "paths.vectors": str(vectors) if vectors else None,
    }
    spacy_train(config, out, overrides=overrides)
    return out / "model-best"


def finetune_model(workdir: Path, base: Path, max_steps: int, name: str) -> Path:
    """Continue training ``base`` on GermEval's training part alone, at a lower rate.

    WHY: the other corpora teach names, but their conventions differ (titles inside PER
    spans, MISC vs OTH); a short in-domain pass aligns the model with GermEval's.
    """
    from spacy.cli.train import train as spacy_train

    config = workdir / f"{name}.cfg"
    text = CONFIG.format(seed=SEED, width=96, static="true", max_steps=max_steps)
    text = text.replace(
        '[components.tok2vec]\nfactory = "tok2vec"', f'[components.tok2vec]\nsource = "{base}"'
    )
    text = text.replace('[components.ner]\nfactory = "ner"', f'[components.ner]\nsource = "{base}"')
    text = text.replace("learn_rate = 0.001", "learn_rate = 0.0003")
    text = text.replace("eval_frequency = 500", "eval_frequency = 200")
    config.write_text(text, encoding="utf-8")
    out = workdir / name
    overrides = {
        "paths.train": str(workdir / "train-germeval.spacy"),
        "paths.dev": str(workdir / "dev.spacy"),
        "paths.vectors": str(base),
    }
    spacy_train(config, out, overrides=overrides)
    return out / "model-best"


def package(best: Path, scores: dict, meta: dict) -> Path:
    """Copy the trained pipeline into the package (without training-only files)."""
    shutil.rmtree(MODEL_DIR / "pipeline", ignore_errors=True)
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copytree(best, MODEL_DIR / "pipeline")
    meta_path = MODEL_DIR / "pipeline" / "meta.json"
    meta_json = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_json.update(
        name="newsaudit_ner_de",
        version=MODEL_VERSION,
        description="German NER (PER, ORG, LOC, OTH with -deriv/-part); see MODEL_CARD.md",
        license="research use only (inherits CoNLL-2003 and EuroParl NER terms)",
    )
    meta_path.write_text(json.dumps(meta_json, indent=2), encoding="utf-8")
    (MODEL_DIR / "scores.json").write_text(
        json.dumps({"scores": scores, **meta}, indent=2), encoding="utf-8"
    )
    return MODEL_DIR


def score_pipeline(
    model_dir: Path, gold_tsv: Path, out_tsv: Path
) -> tuple[dict[str, dict[str, dict[str, float]]], dict[str, dict[str, Scores]]]:
    """Tag ``gold_tsv`` with the model in ``model_dir``; (JSON-able scores, score tables)."""
    from newsaudit.analyzers.entities import NerTagger

    sentences = read_germeval(gold_tsv)
    tagger = NerTagger(model_dir)
    for s, tags in zip(sentences, tagger.tag([s.tokens for s in sentences]), strict=True):
        s.outer = tags
    out_tsv.write_text(format_germeval(sentences), encoding="utf-8")
    results = evaluate_files(gold_tsv, out_tsv)
    return {layer: {k: vars(v) for k, v in t.items()} for layer, t in results.items()}, results


CARD_TEMPLATE = Path(__file__).with_name("ner_card.md")


def write_card(
    model_dir: Path, scores: dict, meta: dict, test_table: str, speed: str | None = None
) -> Path:
    counts = meta["sentences"]
    vectors = meta.get("vectors", False)
    card = CARD_TEMPLATE.read_text(encoding="utf-8").format(
        version=MODEL_VERSION,
        seed=SEED,
        max_steps=meta["max_steps"],
        finetune_steps=meta.get("finetune_steps", 0),
        minutes=meta["minutes"],
        repeats=GERMEVAL_REPEATS,
        vectors_line="static word vectors trained on FANG-COVID German news"
        if vectors
        else "no static vectors",
        vectors_row="| FANG-COVID (first 12M tokens), unlabelled | word vectors: fastText CBOW "
        "(trained with floret), 64 dims, words seen 10+ times | research use | - |\n"
        if vectors
        else "",
        germeval_train=counts["germeval-train"],
        germeval_dev=counts["germeval-dev"],
        germeval_test=counts["germeval-test"],
        conll=counts.get("conll2003-de", 0),
        europarl=counts.get("europarl-de", 0),
        multiconer=counts.get("multiconer2-de", 0),
        ler=counts.get("german-ler", 0),
        test_table=test_table,
        dev_coarse=scores["germeval-dev"]["coarse"]["micro"]["f1"],
        dev_fine=scores["germeval-dev"]["fine"]["micro"]["f1"],
        speed=speed or "Measured by `bench/ner_speed.py`; see bench/results/ner_speed.json.",
    )
    path = model_dir / "MODEL_CARD.md"
    path.write_text(card, encoding="utf-8")
    return path


def train(
    data: Path,
    workdir: Path,
    max_steps: int = 4000,
    finetune_steps: int = 1500,
    use_vectors: bool = True,
) -> str:
    """The whole recipe: corpora, vectors, training, scoring on held-out GermEval, packaging."""
    from newsaudit.train.ner_vectors import train_vectors

    began = time.time()
    fang = data / "news-fang-covid" / "fang-covid-text-only.jsonl.gz"
    if not fang.is_file():
        raise InputError(f"FANG-COVID is not at {fang}")
    table = train_vectors(fang, workdir)
    counts = build_corpora(data, workdir, casing=casing_table(workdir / "fang_corpus.txt"))
    vectors = vectors_model(table, workdir / "vectors") if use_vectors else None
    best = train_model(workdir, vectors, max_steps, "model")
    if finetune_steps:
        best = finetune_model(workdir, best, finetune_steps, "finetuned")
    dev_scores, _ = score_pipeline(best, workdir / "germeval-dev.tsv", workdir / "pred-dev.tsv")
    test_scores, test_results = score_pipeline(
        best, workdir / "germeval-test.tsv", workdir / "pred-test.tsv"
    )
    minutes = round((time.time() - began) / 60, 1)
    scores = {"germeval-dev": dev_scores, "germeval-heldout": test_scores}
    meta = {
        "sentences": counts,
        "seed": SEED,
        "max_steps": max_steps,
        "finetune_steps": finetune_steps,
        "minutes": minutes,
        "vectors": vectors is not None,
    }
    model_dir = package(best, scores, meta)
    write_card(model_dir, scores, meta, format_scores(test_results))
    return (
        f"sentences: {counts}\ntraining took {minutes} min\n"
        f"held-out GermEval ({counts['germeval-test']} sentences):\n" + format_scores(test_results)
    )
