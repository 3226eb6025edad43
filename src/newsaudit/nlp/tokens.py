"""Tokens, sentences, article-local lemmas and stop words over ``Document.text``."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from newsaudit.nlp.sentences import split_sentences

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsaudit.document import Document

# spaCy ships tokenizer rules and stop words for these; others fall back to "xx".
SPACY_LANGUAGES = frozenset({"de", "en", "fr", "it", "pl", "ru", "es", "nl", "pt"})


def import_spacy() -> Any:
    """spaCy, imported without torch: thinc imports torch whenever it is installed (the
    ``train`` extra), which costs about 230 MB and a second of start-up, and a tokenizer
    never uses it. Import spaCy through this before any ``spacy.*`` module."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` fails in here
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=16)
def blank_pipeline(language: str | None) -> Language:
    """A tokenizer-only spaCy pipeline; loaded once per process and language."""
    spacy = import_spacy()
    code = language if language in SPACY_LANGUAGES else "xx"
    try:
        return spacy.blank(code)
    except ImportError:
        return spacy.blank("xx")


@lru_cache(maxsize=16)
def stop_words(language: str | None) -> frozenset[str]:
    nlp = blank_pipeline(language)
    return frozenset(w.lower() for w in nlp.Defaults.stop_words)


# Inflection endings tried longest first; "ies" -> "y" is the one English rewrite.
_ENDINGS = {
    "de": ("ern", "en", "er", "es", "em", "ns", "e", "n", "s"),
    "en": ("'s", "’s", "ies", "es", "s"),
}


def fold_inflection(word: str, vocabulary: frozenset[str], language: str | None) -> str:
    """The shortest form of ``word`` that the same article also uses, lower-cased.

    A cheap, article-local lemma: "Drohungen" folds to "drohung" when the article also says
    "Drohung", and the genitive "Kirbys" to "kirby" when "Kirby" occurs. Words whose base
    form the article never uses stay as they are, so nothing is invented. A full dictionary
    lemmatiser (simplemma) costs a second of start-up, which this path must not pay.
    """
    endings = _ENDINGS.get(language or "", ())
    current = word
    for _ in range(2):
        for ending in endings:
            if len(current) - len(ending) < 3 or not current.endswith(ending):
                continue
            stem = current[: -len(ending)]
            candidate = stem + "y" if ending == "ies" else stem
            if candidate in vocabulary:
                current = candidate
                break
        else:
            break
    return current.lower()


@dataclass
class TextLayer:
    """The tokenised article; ``doc`` token offsets (``token.idx``) point into the text."""

    doc: Doc
    sentences: list[tuple[int, int]] = field(default_factory=list)
    sentence_block: list[int] = field(default_factory=list)


def build_text_layer(document: Document) -> TextLayer:
    """Tokenise the whole text once and mark sentence starts from our own splitter."""
    import numpy

    nlp = blank_pipeline(document.language)
    from spacy.attrs import IDX, SENT_START

    # The tokenizer itself, not ``make_doc``: its ``max_length`` (E088) guards the memory of
    # spaCy's parser and NER, which this tokenizer-only pipeline never runs.
    doc = nlp.tokenizer(document.text)
    sentences: list[tuple[int, int]] = []
    sentence_block: list[int] = []
    for block in document.blocks:
        for span in split_sentences(document.text, block.start, block.end):
            sentences.append(span)
            sentence_block.append(block.index)
    if len(doc):
        # One vectorised write: setting token.is_sent_start one by one is quadratic in spaCy.
        starts = numpy.array(sorted({s for s, _ in sentences}), dtype="uint64")
        offsets = doc.to_array([IDX])
        flags = numpy.where(numpy.isin(offsets, starts), 1, -1).astype("int64")
        flags[0] = 1
        doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
    return TextLayer(doc=doc, sentences=sentences, sentence_block=sentence_block)
