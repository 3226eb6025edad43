"""Tokens, sentences, article-local lemmas and stop words over ``Document.text``."""

from __future__ import annotations

import sys
import types
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
    """spaCy, imported without torch and without its command line: thinc imports torch
    whenever it is installed (the ``train`` extra), which costs about 230 MB and a second
    of start-up, and ``spacy/__init__`` imports ``spacy.cli`` (weasel, httpx, requests:
    some 300 modules, a quarter of spaCy's import) for ``spacy.info`` alone. A tokenizer
    uses neither. ``spacy.info`` becomes a stand-in that imports the real one when called,
    and ``import spacy.cli`` still works. Import spaCy through this before any ``spacy.*``
    module."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    stand_ins = {"torch": None, **_cli_stand_in()}
    sys.modules.update(stand_ins)  # type: ignore[arg-type]  # `import torch` fails in here
    try:
        import spacy
    finally:
        for name in stand_ins:
            del sys.modules[name]
    if isinstance(spacy.__dict__.get("cli"), _StandIn):
        del spacy.cli
    return spacy


class _StandIn(types.ModuleType):
    """A module that ``import spacy`` takes for ``spacy.cli`` or ``spacy.cli.info``."""


def _cli_stand_in() -> dict[str, types.ModuleType]:
    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    cli, cli_info = _StandIn("spacy.cli"), _StandIn("spacy.cli.info")
    cli_info.info = info  # type: ignore[attr-defined]
    cli.info = cli_info  # type: ignore[attr-defined]
    return {"spacy.cli": cli, "spacy.cli.info": cli_info}


@lru_cache(maxsize=16)
def blank_pipeline(language: str | None) -> Language:
    """A tokenizer-only spaCy pipeline; loaded once per process and language."""
    return import_spacy().blank(_language_class(language).lang)


@lru_cache(maxsize=16)
def stop_words(language: str | None) -> frozenset[str]:
    """spaCy's stop words of the language (its ``Defaults``, as :func:`blank_pipeline`
    reads them), without building a pipeline: the English tokenizer's rules alone took
    0.15 s of a German article's first report."""
    return frozenset(w.lower() for w in _language_class(language).Defaults.stop_words)


def _language_class(language: str | None) -> Any:
    """spaCy's class for the language, the multi-language one where spaCy has none."""
    get_lang_class = import_spacy().util.get_lang_class
    try:
        return get_lang_class(language if language in SPACY_LANGUAGES else "xx")
    except ImportError:
        return get_lang_class("xx")


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
