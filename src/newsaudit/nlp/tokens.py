"""Tokens, sentences, lemmas and stop words over ``Document.text`` (one coordinate system)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from newsaudit.nlp.sentences import split_sentences

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsaudit.document import Document

# spaCy ships tokenizer rules and stop words for these; others fall back to "xx".
SPACY_LANGUAGES = frozenset({"de", "en", "fr", "it", "pl", "ru", "es", "nl", "pt"})
LEMMA_LANGUAGES = frozenset({"de", "en", "fr", "it", "pl", "ru", "es", "nl", "pt"})


@lru_cache(maxsize=16)
def blank_pipeline(language: str | None) -> Language:
    """A tokenizer-only spaCy pipeline; loaded once per process and language."""
    import spacy

    code = language if language in SPACY_LANGUAGES else "xx"
    try:
        return spacy.blank(code)
    except ImportError:
        return spacy.blank("xx")


@lru_cache(maxsize=16)
def stop_words(language: str | None) -> frozenset[str]:
    nlp = blank_pipeline(language)
    return frozenset(w.lower() for w in nlp.Defaults.stop_words)


@lru_cache(maxsize=200_000)
def lemma(word: str, language: str | None) -> str:
    """Dictionary lemma of one word (lower-cased unless it is a German noun or a name)."""
    if language not in LEMMA_LANGUAGES:
        return word.lower()
    import simplemma

    return simplemma.lemmatize(word, lang=language)


@dataclass
class TextLayer:
    """The tokenised article; ``doc`` token offsets (``token.idx``) point into the text."""

    doc: Doc
    sentences: list[tuple[int, int]] = field(default_factory=list)
    sentence_block: list[int] = field(default_factory=list)


def build_text_layer(document: Document) -> TextLayer:
    """Tokenise the whole text once and mark sentence starts from our own splitter."""
    nlp = blank_pipeline(document.language)
    doc = nlp.make_doc(document.text)
    sentences: list[tuple[int, int]] = []
    sentence_block: list[int] = []
    for block in document.blocks:
        for span in split_sentences(document.text, block.start, block.end):
            sentences.append(span)
            sentence_block.append(block.index)
    starts = {s for s, _ in sentences}
    for token in doc:
        token.is_sent_start = token.idx in starts or token.i == 0
    return TextLayer(doc=doc, sentences=sentences, sentence_block=sentence_block)
