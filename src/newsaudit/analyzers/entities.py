"""Named entities (PER, ORG, LOC, OTH) from the packaged German NER, grouped into clusters.

The model is multilingual-e5-small fine-tuned by ``newsaudit train ner`` and run with ONNX
Runtime; see ``models/ner/MODEL_CARD.md``. It tags the text layer's tokens sentence by
sentence, so every entity's offsets are token offsets into ``Document.text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from newsaudit.analyzers.base import Analyzer, Context

if TYPE_CHECKING:
    from spacy.tokens import Token

    from newsaudit.encoder.tagger import EncoderTagger
    from newsaudit.report.model import Entity

REPORTED = frozenset({"PER", "ORG", "LOC", "OTH"})


def tag_sentences(sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """Tag token lists with the packaged model (loaded once per process)."""
    from newsaudit.models import ner

    return tag_names(ner.load(), sentences)


def tag_names(tagger: EncoderTagger, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """The model's BIO tags with organisation names corrected by their head word; the
    analyzer and ``predict ner`` share it, so the benchmark scores what users see."""
    from newsaudit.analyzers.org_names import correct_organisations

    return [
        correct_organisations(words, tags)
        for words, tags in zip(sentences, tagger.tag(sentences), strict=True)
    ]


def tokens_by_sentence(context: Context) -> list[list[Token]]:
    """The text layer's tokens per sentence, whitespace tokens left out."""
    doc = context.layer.doc
    out: list[list[Token]] = []
    bounds = context.layer.sentences or [(0, len(doc.text))]
    i = 0
    for start, end in bounds:
        while i < len(doc) and doc[i].idx < start:
            i += 1
        tokens: list[Token] = []
        while i < len(doc) and doc[i].idx < end:
            if not doc[i].is_space:
                tokens.append(doc[i])
            i += 1
        if tokens:
            out.append(tokens)
    return out


class EntityAnalyzer(Analyzer):
    """Entities and their clusters; German only (no English model is good enough yet)."""

    name: ClassVar[str] = "entities"
    version: ClassVar[str] = "0.1"
    languages: ClassVar[frozenset[str] | None] = frozenset({"de"})
    assigns: ClassVar[tuple[str, ...]] = ("entities", "entity_clusters")

    def __init__(self) -> None:
        self._model: EncoderTagger | None = None

    @property
    def model_name(self) -> str | None:
        from newsaudit.models import ner

        return f"{ner.NAME} {self._model.version}" if self._model else None

    def load(self) -> None:
        from newsaudit.models import ner

        self._model = ner.load()

    def analyze(self, context: Context) -> dict[str, Any]:
        from newsaudit.analyzers.clusters import cluster_entities
        from newsaudit.benchmarks.bio import bio_spans
        from newsaudit.report.model import Entity

        self.load()
        assert self._model is not None
        text = context.document.text
        sentences = tokens_by_sentence(context)
        entities: list[Entity] = []
        tagged = tag_names(self._model, [[t.text for t in s] for s in sentences])
        for tokens, tags in zip(sentences, tagged, strict=True):
            for first, stop, label in bio_spans(tags):
                # -deriv/-part words ("russische", "US-Beamte") contain a name but do not
                # name an entity, so the report leaves them out.
                if label not in REPORTED:
                    continue
                start = tokens[first].idx
                last = tokens[stop - 1]
                end = last.idx + len(last.text)
                entities.append(Entity(start=start, end=end, text=text[start:end], label=label))
        entities = propagate(entities, sentences, text)
        clusters = cluster_entities(entities)
        return {"entities": entities, "entity_clusters": clusters}


def _bare(word: str) -> str:
    for ending in ("’s", "'s", "s", "'", "’"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def propagate(entities: list[Entity], sentences: list[list[Token]], text: str) -> list[Entity]:
    """Add repeated mentions the model missed: a name tagged once is a name everywhere.

    WHY: the model reads one sentence at a time; an article that introduces "Igor
    Konashenkov" later says "Konashenkov" or "Kirbys" in contexts the model is unsure of.
    Only untagged, capitalised tokens are added: the tokens of a multi-word name tagged
    elsewhere in the article (as a whole), and a person's surname or one-word name (also
    with a genitive -s).
    """
    from newsaudit.report.model import Entity

    names: dict[tuple[str, ...], str] = {}
    surnames: dict[str, str] = {}
    for e in entities:
        words = tuple(e.text.split())
        names.setdefault(words, e.label)
        if e.label == "PER" and len(words[-1]) >= 3:
            surnames.setdefault(_bare(words[-1]) if len(words) == 1 else words[-1], "PER")
    covered = [False] * (len(text) + 1)
    for e in entities:
        covered[e.start : e.end] = [True] * (e.end - e.start)
    added: list[Entity] = []
    longest = max((len(n) for n in names), default=0)
    for tokens in sentences:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if covered[token.idx] or not token.text[:1].isupper():
                i += 1
                continue
            match = 0
            label = ""
            for n in range(min(longest, len(tokens) - i), 1, -1):
                words = tuple(t.text for t in tokens[i : i + n])
                if words in names and not any(covered[t.idx] for t in tokens[i : i + n]):
                    match, label = n, names[words]
                    break
            if not match and _bare(token.text) in surnames:
                match, label = 1, "PER"
            if match:
                last = tokens[i + match - 1]
                start, end = token.idx, last.idx + len(last.text)
                added.append(Entity(start=start, end=end, text=text[start:end], label=label))
                i += match
            else:
                i += 1
    return sorted([*entities, *added], key=lambda e: e.start)
