"""The NER training corpora, read and mapped onto GermEval 2014's outer labels, and
GermEval's seeded split by source.

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

import gzip
import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsaudit.benchmarks.bio import iob1_to_bio, map_bio
from newsaudit.benchmarks.germeval import TaggedSentence, read_germeval
from newsaudit.errors import InputError

SEED = 20141
DEFAULT_WORKDIR = Path.home() / ".cache" / "newsaudit" / "ner"
CASING_TOKENS = 12_000_000
_TOKEN = re.compile(r"\w+(?:[-.']\w+)*|[^\w\s]")
TEST_FRACTION = 0.20
DEV_FRACTION = 0.10
GERMEVAL_REPEATS = 2
LER_CAP = 6000

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


def conll_to_germeval(tokens: list[str], tags: list[str]) -> list[str]:
    """CoNLL IOB1 tags as BIO over GermEval labels, with MISC mapped as described in the
    module docstring."""
    out = iob1_to_bio(tags)
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


def load_conll_de(folder: Path) -> list[TaggedSentence]:
    sentences = []
    for name in ("train.txt", "dev.txt", "test.txt"):
        for rows in _blocks(folder / name):
            tokens = [r[0] for r in rows]
            sentences.append(
                TaggedSentence(tokens, conll_to_germeval(tokens, [r[-1] for r in rows]))
            )
    return sentences


def load_europarl(folder: Path) -> list[TaggedSentence]:
    sentences = []
    for name in ("train.tsv", "dev.tsv", "test.tsv"):
        for rows in _blocks(folder / name):
            tokens = [r[0] for r in rows]
            tags = [r[4] if len(r) > 4 else "O" for r in rows]
            sentences.append(TaggedSentence(tokens, conll_to_germeval(tokens, tags)))
    return sentences


def casing_table(corpus: Path) -> dict[str, str]:
    """Most frequent written form of each lower-cased word in a tokenised text file."""
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
            tags = map_bio(raw, MULTICONER_MAP)
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
            kept.append(TaggedSentence(tokens, map_bio(raw, LER_MAP)))
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


def write_casing_corpus(fang_gz: Path, out: Path, max_tokens: int = CASING_TOKENS) -> int:
    """FANG-COVID articles, one per line, tokens separated by spaces (for `casing_table`)."""
    n = 0
    with gzip.open(fang_gz, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if n >= max_tokens:
                break
            record = json.loads(line)
            tokens = _TOKEN.findall(f"{record.get('header') or ''}\n{record.get('article') or ''}")
            n += len(tokens)
            dst.write(" ".join(tokens) + "\n")
    return n


@dataclass
class Corpora:
    train: list[TaggedSentence]
    germeval_train: list[TaggedSentence]
    dev: list[TaggedSentence]
    test: list[TaggedSentence]
    counts: dict[str, int]


def build_corpora(data: Path, workdir: Path) -> Corpora:
    """GermEval split by source plus the four extra corpora, shuffled with the seed."""
    ner = data / "ner"
    germeval_path = ner / "germeval2014" / "NER-de-test.tsv"
    fang = data / "news-fang-covid" / "fang-covid-text-only.jsonl.gz"
    for needed in (germeval_path, fang):
        if not needed.is_file():
            raise InputError(f"training data is missing: {needed}")
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "fang_corpus.txt"
    if not corpus.is_file():
        write_casing_corpus(fang, corpus)
    train, dev, test = split_germeval(read_germeval(germeval_path))
    rng = random.Random(SEED)
    extra_sets = {
        "conll2003-de": load_conll_de(ner / "conll2003-de-xglue"),
        "europarl-de": load_europarl(ner / "europarl-de"),
        "multiconer2-de": load_multiconer(ner / "multiconer2-de", casing_table(corpus)),
        "german-ler": load_ler(ner / "german-ler", rng),
    }
    pool = train * GERMEVAL_REPEATS + [s for v in extra_sets.values() for s in v]
    rng.shuffle(pool)
    counts = {"germeval-train": len(train), "germeval-dev": len(dev), "germeval-test": len(test)}
    counts.update({k: len(v) for k, v in extra_sets.items()})
    return Corpora(pool, train, dev, test, counts)
